/**
 * Starts what the suite needs, once: Postgres (DATABASE_URL or an embedded cluster under .data/test),
 * a fresh `teeka_test` database at the latest migration with reference data, a Temporal dev server
 * (TEMPORAL_ADDRESS or an in-memory one on free ports) and one worker process on the test task queue.
 * Anything missing fails the run with the reason; nothing is skipped.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrator.js';
import { seedReferenceData } from '../../db/seed.js';
import { registerSuiteBatches } from '../support/suite-batches.js';
import { dataDir } from '../../stack/layout.js';
import { ensurePostgres, type PostgresHandle } from '../../stack/postgres.js';
import { freePort } from '../../stack/ports.js';
import { ensureTemporal, stopChild, type TemporalHandle } from '../../stack/temporal.js';
import { spawnWorker } from '../support/processes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    /** Server URL without a database, for tests that create their own databases. */
    postgresServerUrl: string;
    temporalAddress: string;
    temporalNamespace: string;
    taskQueue: string;
  }
}

export const TEST_TASK_QUEUE = 'vaccine-journey-test';

let postgres: PostgresHandle | undefined;
let temporal: TemporalHandle | undefined;
let worker: ChildProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  const log = process.env.TEEKA_VERBOSE ? (line: string) => console.log(line) : () => {};
  postgres = await ensurePostgres({
    dataDir: path.join(dataDir(), 'test'),
    port: Number(process.env.TEEKA_TEST_PG_PORT ?? 54339),
    database: 'teeka_test',
    fresh: true,
    log,
  });
  const { db } = createDb({ connectionString: postgres.url });
  try {
    await migrateToLatest(db);
    await seedReferenceData(db);
    await registerSuiteBatches(db);
  } finally {
    await db.destroy();
  }

  temporal = await ensureTemporal({ port: await freePort(), uiPort: await freePort(), log });

  // Tests start the workflows of their own session days (with their own compressed days); spawnWorker turns the sweep off.
  worker = await spawnWorker(
    {
      databaseUrl: postgres.url,
      temporalAddress: temporal.address,
      temporalNamespace: temporal.namespace,
      taskQueue: TEST_TASK_QUEUE,
    },
    { DB_POOL_SIZE: '10', LOG_LEVEL: process.env.TEEKA_VERBOSE ? 'info' : 'warn' },
  );
  worker.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') console.error(`[tests] the test worker exited (${signal ?? code})`);
  });

  const server = new URL(postgres.url);
  server.pathname = '/postgres';
  project.provide('databaseUrl', postgres.url);
  project.provide('postgresServerUrl', server.toString());
  project.provide('temporalAddress', temporal.address);
  project.provide('temporalNamespace', temporal.namespace);
  project.provide('taskQueue', TEST_TASK_QUEUE);
}

export async function teardown(): Promise<void> {
  if (worker) await stopChild(worker);
  await temporal?.stop();
  await postgres?.stop();
}
