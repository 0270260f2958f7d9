// Benchmarks that need the whole connector corpus (../shared/connector-corpus beside the
// repository, never copied into it): the proxy imports it next to the shipped connectors.
import { defineConfig } from '@playwright/test';
import base from './bench.config';

const port = Number(process.env.PB_BENCH_CORPUS_PORT || 18090);

export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '**/*.corpus.ts',
  use: { ...base.use, baseURL: `http://127.0.0.1:${port}` },
  webServer: {
    // serve.sh runs the proxy from the repository root, so the path is relative to it.
    command: `bash ./serve.sh ${port} --connectors ../shared/connector-corpus`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    // TERM, not KILL: serve.sh stops the services it started and removes its folder.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    timeout: 120_000,
  },
});
