/**
 * The platform as a deployment runs it, for benchmarks: an embedded Postgres of its own (.data/bench, with
 * pg_stat_statements loaded), a Temporal dev server in memory, and separate API and worker processes with
 * RATE_LIMITS=off. BENCH_CPU_PROF=1 starts the API and worker with `node --cpu-prof` (bench/profiles/<run>/).
 * BENCH_JOURNEYS_NICE=<n> runs the worker and the Temporal server at that niceness: on this one shared box, the way
 * a deployment gives capture (API, Postgres) hosts of its own, so the journeys follow behind instead of taking turns.
 * BENCH_TEMPORAL=cluster runs the real Temporal server instead of the dev server: the cluster of `npm run cluster`
 * (frontend, history, matching and worker processes, stack/temporal-cluster.ts) persisting to its own two databases
 * on the benchmark's Postgres server, so its Postgres work counts under "postgres".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDb, type Db } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrator.js';
import { seedReferenceData } from '../../db/seed.js';
import { indiaDate } from '../../domain/time.js';
import { dataDir, projectRoot } from '../../stack/layout.js';
import { ensurePostgres } from '../../stack/postgres.js';
import { freePort, waitForPort } from '../../stack/ports.js';
import { ensureTemporal, stopChild } from '../../stack/temporal.js';
import { CLUSTER_SERVICES, resolveServerBinaries, startTemporalCluster } from '../../stack/temporal-cluster.js';
import { waitForIdle } from './cpu.js';
import { registerBenchBatch, temporalClient } from './fixtures.js';

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
  /** `temporal` is the dev server's process; a cluster's four are in pids() as temporal-<service>. */
  processes: { api: ChildProcess[]; worker: ChildProcess[]; temporal?: ChildProcess };
  temporalKind: 'dev server' | 'cluster';
  env: NodeJS.ProcessEnv;
  /** Where the API's and worker's CPU profiles go when BENCH_CPU_PROF=1 (one folder per process). */
  profileDir?: string;
  /** Root pids of the platform's processes by name, for the CPU sampler (lib/cpu.ts). */
  pids(): Record<string, number | undefined>;
  stop(): Promise<void>;
}

export async function startBenchPlatform(
  options: { name?: string; apis?: number; workers?: number; dayMs?: number; extraEnv?: NodeJS.ProcessEnv } = {},
): Promise<BenchPlatform> {
  const benchDataDir = path.join(dataDir(), 'bench');
  const postgres = await ensurePostgres({
    dataDir: benchDataDir,
    port: Number(process.env.TEEKA_BENCH_PG_PORT ?? 54370),
    database: 'teeka_bench',
    fresh: true,
    // Statement counts per request (lib/pg-stats.ts): top-level statements are the application's round trips;
    // BENCH_PG_TRACK=all counts the statements inside functions and triggers too.
    settings: {
      shared_preload_libraries: 'pg_stat_statements',
      'pg_stat_statements.track': process.env.BENCH_PG_TRACK === 'all' ? 'all' : 'top',
    },
  });
  // No statement timeout: benchmark set-up runs bulk loads of millions of rows.
  const { db } = createDb({ connectionString: postgres.url, poolSize: 20, statementTimeoutMs: 0 });
  await migrateToLatest(db);
  await seedReferenceData(db);
  await registerBenchBatch(db);
  const temporal = await startTemporal(postgres.url, benchDataDir);
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
  const profileDir =
    process.env.BENCH_CPU_PROF === '1'
      ? path.join(
          projectRoot,
          'bench',
          'profiles',
          `${options.name ?? 'bench'}-${new Date().toISOString().replace(/[:.]/g, '-')}`,
        )
      : undefined;
  const run = (script: string, name: string, extra: NodeJS.ProcessEnv = {}) =>
    spawn(
      process.execPath,
      [
        ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : []),
        '--import',
        'tsx',
        script,
      ],
      {
        cwd: projectRoot,
        env: { ...env, ...extra },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );

  const workers = Array.from({ length: options.workers ?? 1 }, (_, i) => run('workflows/worker.ts', `worker-${i}`));
  const journeysNice = Number(process.env.BENCH_JOURNEYS_NICE ?? 0);
  if (journeysNice) {
    // Threads the worker starts later (its workflow thread, libuv's pool) inherit the niceness of their creator.
    for (const pid of [...workers.map((w) => w.pid), ...Object.values(temporal.pids)]) {
      if (pid) reniceAllThreads(pid, journeysNice);
    }
  }
  const apiPorts = await Promise.all(Array.from({ length: options.apis ?? 1 }, () => freePort()));
  const apis = apiPorts.map((port, i) => run('api/server.ts', `api-${i}`, { PORT: String(port) }));
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
    temporalKind: temporal.kind,
    env,
    profileDir,
    pids() {
      const named = (kind: string, children: ChildProcess[]) =>
        Object.fromEntries(children.map((c, i) => [children.length === 1 ? kind : `${kind}-${i}`, c.pid]));
      return {
        ...named('api', apis),
        ...named('worker', workers),
        ...temporal.pids,
        postgres: postmasterPid(path.join(benchDataDir, 'postgres')),
        'load-generator': process.pid,
      };
    },
    async stop() {
      await Promise.all([...apis, ...workers].map((child) => stopChild(child)));
      await db.destroy();
      await temporal.stop();
      await postgres.stop();
    },
  };
}

/** The Temporal server of the run: the dev server in memory, or the real server as a cluster (BENCH_TEMPORAL). */
async function startTemporal(postgresUrl: string, benchDataDir: string) {
  if (process.env.BENCH_TEMPORAL !== 'cluster') {
    const dev = await ensureTemporal({ port: await freePort(), uiPort: await freePort() });
    return { ...dev, kind: 'dev server' as const, pids: { temporal: dev.child?.pid } };
  }
  const logDir = path.join(benchDataDir, 'temporal-logs');
  const binaries = await resolveServerBinaries(
    (line) => console.error(line),
    path.join(benchDataDir, 'temporal-server-build.log'),
  );
  const cluster = await startTemporalCluster({
    postgresUrl,
    fresh: true,
    namespace: 'default',
    binaries,
    logDir,
  });
  await cluster.ready(120_000);
  return {
    address: cluster.address,
    namespace: cluster.namespace,
    child: undefined,
    kind: 'cluster' as const,
    pids: Object.fromEntries(CLUSTER_SERVICES.map((service) => [`temporal-${service}`, cluster.process(service).pid])),
    stop: () => cluster.stop(),
  };
}

/** Linux niceness is per thread: every thread of the process gets it. */
function reniceAllThreads(pid: number, niceness: number): void {
  for (const tid of readdirSync(`/proc/${pid}/task`)) setPriority(Number(tid), niceness);
}

/** The embedded cluster's postmaster (first line of postmaster.pid); undefined for a DATABASE_URL server. */
function postmasterPid(clusterDir: string): number | undefined {
  const file = path.join(clusterDir, 'postmaster.pid');
  if (process.env.DATABASE_URL || !existsSync(file)) return undefined;
  return Number(readFileSync(file, 'utf8').split('\n')[0]) || undefined;
}

/** The platform's processes without the load generator: what must be idle before a baseline. */
export function platformGroups(platform: BenchPlatform): Record<string, number | undefined> {
  const { 'load-generator': _self, ...rest } = platform.pids();
  return rest;
}

/**
 * Waits until Temporal's visibility lists every running journey: the server records a workflow's start there from a
 * queue of its own, after the start has answered. Until it has, the server is still working on the fixtures; a
 * record day's journeys were started days before.
 */
async function journeysVisible(platform: BenchPlatform, expected: number) {
  const { client, close } = await temporalClient(platform.temporalAddress);
  const t0 = Date.now();
  const deadline = t0 + 600_000;
  let visible = 0;
  try {
    for (;;) {
      ({ count: visible } = await client.workflow.count(
        `WorkflowType = 'beneficiaryJourneyWorkflow' AND ExecutionStatus = 'Running'`,
      ));
      if (visible >= expected || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  } finally {
    await close();
  }
  if (visible < expected) console.warn(`WARNING: Temporal lists ${visible} of ${expected} running journeys`);
  return { expected, visible, waitedSeconds: Math.round((Date.now() - t0) / 100) / 10 };
}

/**
 * Brings the platform to rest before a baseline: Temporal lists every journey the fixtures started (when told how
 * many), every session day of today and tomorrow has had its workflow started by the worker's 30-second sweep (else
 * the sweep would start them during the baseline), then the platform's processes go quiet (lib/cpu.ts waitForIdle).
 */
export async function settle(platform: BenchPlatform, options: { runningJourneys?: number } = {}) {
  const journeys =
    options.runningJourneys === undefined ? undefined : await journeysVisible(platform, options.runningJourneys);
  const deadline = Date.now() + 90_000;
  let unstarted = 0;
  for (;;) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from session_day
      where workflow_started_at is null and date between ${indiaDate()}::date and ${indiaDate()}::date + 1`.execute(
      platform.db,
    );
    unstarted = rows[0].n;
    if (!unstarted || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return {
    ...(journeys ? { journeysListedByTemporal: journeys } : {}),
    sessionDaysWithoutWorkflow: unstarted,
    ...(await waitForIdle(platformGroups(platform))),
  };
}
