/**
 * The platform as a deployment runs it, for benchmarks: an embedded Postgres of its own (.data/bench), a
 * Temporal dev server in memory, and separate API and worker processes with RATE_LIMITS=off.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createDb, type Db } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrator.js';
import { seedReferenceData } from '../../db/seed.js';
import { dataDir, projectRoot } from '../../stack/layout.js';
import { ensurePostgres } from '../../stack/postgres.js';
import { freePort, waitForPort } from '../../stack/ports.js';
import { ensureTemporal, stopChild } from '../../stack/temporal.js';

export const BENCH_SECRETS = {
  ID_HASH_SECRET: 'bench-id-hash-secret-0123456789abcdef',
  TOKEN_SECRET: 'bench-token-secret-0123456789abcdef0',
};

export interface BenchPlatform {
  apiUrls: string[];
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  db: Db;
  processes: { api: ChildProcess[]; worker: ChildProcess[]; temporal?: ChildProcess };
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startBenchPlatform(
  options: { apis?: number; workers?: number; dayMs?: number; extraEnv?: NodeJS.ProcessEnv } = {},
): Promise<BenchPlatform> {
  const postgres = await ensurePostgres({
    dataDir: path.join(dataDir(), 'bench'),
    port: Number(process.env.TEEKA_BENCH_PG_PORT ?? 54370),
    database: 'teeka_bench',
    fresh: true,
  });
  // No statement timeout: benchmark set-up runs bulk loads of millions of rows.
  const { db } = createDb({ connectionString: postgres.url, poolSize: 20, statementTimeoutMs: 0 });
  await migrateToLatest(db);
  await seedReferenceData(db);
  const temporal = await ensureTemporal({ port: await freePort(), uiPort: await freePort() });
  const taskQueue = 'vaccine-journey';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    RATE_LIMITS: 'off',
    DATABASE_URL: postgres.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    DAY_MS: String(options.dayMs ?? 86_400_000),
    DB_POOL_SIZE: '30',
    WORKER_METRICS_PORT: '0',
    ...BENCH_SECRETS,
    ...options.extraEnv,
  };
  const run = (script: string, extra: NodeJS.ProcessEnv = {}) =>
    spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: projectRoot,
      env: { ...env, ...extra },
      stdio: ['ignore', 'ignore', 'inherit'],
    });

  const workers = Array.from({ length: options.workers ?? 1 }, () => run('workflows/worker.ts'));
  const apiPorts = await Promise.all(Array.from({ length: options.apis ?? 1 }, () => freePort()));
  const apis = apiPorts.map((port) => run('api/server.ts', { PORT: String(port) }));
  await Promise.all(apiPorts.map((port) => waitForPort(port, '127.0.0.1', 60_000)));
  // Give the workers time to bundle their workflows and start polling.
  await new Promise((r) => setTimeout(r, 6_000));

  return {
    apiUrls: apiPorts.map((port) => `http://127.0.0.1:${port}`),
    databaseUrl: postgres.url,
    temporalAddress: temporal.address,
    taskQueue,
    db,
    processes: { api: apis, worker: workers, temporal: temporal.child },
    env,
    async stop() {
      await Promise.all([...apis, ...workers].map((child) => stopChild(child)));
      await db.destroy();
      await temporal.stop();
      await postgres.stop();
    },
  };
}
