import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'dashboard/src/**/*.test.{ts,tsx}'],
    globalSetup: ['tests/setup/platform.ts'],
    // No file starts in the last minutes of an India day: its "today" must not change while it runs.
    setupFiles: ['tests/setup/india-day.ts'],
    // Real Postgres and a real Temporal server are shared by every file; two files at a time fits 2 cores.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
