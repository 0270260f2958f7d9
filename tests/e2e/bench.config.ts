// Benchmarks in Chromium (not tests: they print figures and assert no timings).
import { defineConfig } from '@playwright/test';
import base from './playwright.config';

export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '**/*.bench.ts',
  workers: 1,
  timeout: 300_000,
});
