import { defineConfig } from 'vitest/config';

// Pure tests: rules, schedules, stage machines, templates, certificates, dashboard logic. No Postgres, Temporal or
// browser, so `npm run test:unit` runs them in seconds. A test that needs the platform belongs in `integration`
// (it would fail here: nothing provides databaseUrl or temporalAddress).
const unitTests = [
  'dashboard/src/**/*.test.{ts,tsx}',
  'tests/certificates/{keys,pdf,throughput,verify}.test.ts',
  'tests/cowin/mapping.test.ts',
  'tests/db/migration-order.test.ts',
  'tests/db/written-together.test.ts',
  'tests/deploy/compose.test.ts',
  'tests/domain/refusals.test.ts',
  'tests/dry-runs/rules.test.ts',
  'tests/journey/{schedule,state,precaution-rules}.test.ts',
  'tests/live/fanout.test.ts',
  'tests/messaging/{rate-limit-and-config,templates}.test.ts',
  'tests/planning/session-plan.test.ts',
  'tests/reliability/workflow-mutex.test.ts',
  'tests/security/{access-cache,tokens}.test.ts',
  'tests/sessions/rules.test.ts',
  'tests/stack/console.test.ts',
  'tests/stock/rules.test.ts',
  'tests/support/india-day.test.ts',
];

export default defineConfig({
  test: {
    // No file starts in the last minutes of an India day: its "today" must not change while it runs.
    setupFiles: ['tests/setup/india-day.ts'],
    // Real Postgres and a real Temporal server are shared by every file; two files at a time fits 2 cores.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'unit', include: unitTests } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          exclude: [...unitTests, 'tests/cluster/**'],
          // Real Postgres, a real Temporal server and a worker, started once for every integration file.
          globalSetup: ['tests/setup/platform.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'cluster',
          include: ['tests/cluster/**/*.test.ts'],
          // Builds the Temporal server once per machine, before any file needs it.
          globalSetup: ['tests/setup/temporal-server.ts'],
          // Each file starts its own Temporal cluster (four server processes), Postgres, two workers and two APIs:
          // one file at a time.
          maxWorkers: 1,
        },
      },
    ],
  },
});
