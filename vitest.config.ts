import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/yield-between-tests.ts'],
    // Chromium for the web tests, a real RT, Redmine and fossil for their tests, a throwaway PostgreSQL for the hub's, each set up only when the run includes their folder.
    globalSetup: ['test/web/browser-setup.ts', 'test/foreign/rt/global-setup.ts', 'test/foreign/redmine/global-setup.ts', 'test/foreign/fossil/global-setup.ts', 'test/hub/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
