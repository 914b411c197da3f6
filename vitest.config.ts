import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/yield-between-tests.ts'],
    // One headless Chromium shared by the web test files (test/web/); a real RT only when the run includes test/foreign/rt/ tests.
    globalSetup: ['test/web/browser-setup.ts', 'test/foreign/rt/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
