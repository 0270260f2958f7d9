// Browser tests run against the release build served by the proxy, in Debian's Chromium.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.PB_TEST_PORT || 18080);
// With a throwaway PostgreSQL (scripts/with-postgres.sh sets the URL), tests tagged @postgres
// also run against a second proxy that stores everything there.
const postgres = process.env.PLUGBOARD_TEST_POSTGRES_URL;
const pgPort = port + 1;
// The OAuth sign-in spec's proxy: the test OAuth connector and its authorization server besides
// the rest (a proxy of its own, so the other specs' catalog stays as it is).
const oauthPort = port + 2;
// Test connectors (API key and basic auth) besides the shipped ones, served by their fixture
// services (nginx on loopback, started by serve.sh).
const fixtures = 'E2E_FIXTURE_SERVICES=1';

export default defineConfig({
  testDir: './specs',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  workers: 2,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'sqlite' },
    ...(postgres ? [{ name: 'postgres', grep: /@postgres/, use: { baseURL: `http://127.0.0.1:${pgPort}` } }] : []),
  ],
  webServer: [
    {
      command: `${fixtures} E2E_OAUTH=1 bash ./serve.sh ${oauthPort}`,
      url: `http://127.0.0.1:${oauthPort}/api/health`,
      reuseExistingServer: false,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      timeout: 60_000,
    },
    {
      command: `${fixtures} bash ./serve.sh ${port}`,
      url: `http://127.0.0.1:${port}/api/health`,
      reuseExistingServer: false,
      // TERM, not KILL: serve.sh stops the services it started and removes its folder.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      timeout: 60_000,
    },
    ...(postgres ? [{
      command: `${fixtures} E2E_DATABASE_URL='${postgres}' bash ./serve.sh ${pgPort}`,
      url: `http://127.0.0.1:${pgPort}/api/health`,
      reuseExistingServer: false,
      // TERM, not KILL: serve.sh stops the services it started and removes its folder.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      timeout: 60_000,
    }] : []),
  ],
});
