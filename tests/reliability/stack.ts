/**
 * An isolated platform for fault tests, shaped like a deployment: its own embedded Postgres (a temp data dir, a
 * free port), its own Temporal — a dev server persisting to a SQLite file (so workflows survive its restart), or
 * with `temporal: 'cluster'` a real Temporal cluster on that Postgres, each service its own process
 * (stack/temporal-cluster.ts) — N worker processes and N API processes. Every part can be killed and started again on the same port, so clients
 * keep their addresses. Nothing here is shared with the suite's Postgres or Temporal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrator.js';
import { seedReferenceData } from '../../db/seed.js';
import { registerSuiteBatches } from '../support/suite-batches.js';
import { projectRoot } from '../../stack/layout.js';
import { ensurePostgres, type PostgresHandle } from '../../stack/postgres.js';
import { freePort, waitForPort } from '../../stack/ports.js';
import { ensureTemporal, stopChild, type TemporalHandle } from '../../stack/temporal.js';
import {
  CLUSTER_SERVICES,
  resolveServerBinaries,
  startTemporalCluster,
  type ClusterHandle,
  type ClusterService,
} from '../../stack/temporal-cluster.js';
import { dataDir as projectDataDir } from '../../stack/layout.js';
import { TEST_SECRETS } from '../support/secrets.js';

/** A child process and the tail of what it wrote, for the report when something fails. */
export interface Managed {
  child: ChildProcess;
  output(): string;
}

function capture(child: ChildProcess): Managed {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

export async function killHard(managed: Managed | undefined): Promise<void> {
  const child = managed?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

export interface IsolatedStack {
  db: Db;
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  apiUrls: string[];
  /** The first worker process. */
  worker(): Managed;
  workers(): Managed[];
  apis(): Managed[];
  /** SIGKILL, then a new worker on the same task queue (resolves once it polls). */
  killAndRestartWorker(pauseMs?: number): Promise<void>;
  /** SIGKILL the API process at `index`, then a new one on the same port (resolves once /ready answers). */
  killAndRestartApi(index: number, pauseMs?: number): Promise<void>;
  /** SIGKILL the Temporal dev server (or every service of the cluster), then start it again on the same ports and data. */
  killAndRestartTemporal(pauseMs?: number): Promise<void>;
  /** Cluster only: SIGKILL one Temporal service, then start it again (resolves once it listens). */
  killAndRestartTemporalService(service: ClusterService, pauseMs?: number): Promise<void>;
  /** Stops the embedded Postgres cluster (fast shutdown: every connection is cut) and starts it again. */
  restartPostgres(pauseMs?: number): Promise<void>;
  /** Recent output of every process, for a failure report. */
  logs(): string;
  stop(): Promise<void>;
}

export interface StackOptions {
  apis: number;
  /** Worker processes; 1 unless given. */
  workers?: number;
  /** The Temporal dev server (default) or a real cluster on the stack's Postgres. */
  temporal?: 'dev' | 'cluster';
  /** Extra environment of the API and worker processes. */
  env?: NodeJS.ProcessEnv;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startIsolatedStack(options: StackOptions): Promise<IsolatedStack> {
  // This stack is always our own, whatever the suite was pointed at.
  const saved = { DATABASE_URL: process.env.DATABASE_URL, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS };
  delete process.env.DATABASE_URL;
  delete process.env.TEMPORAL_ADDRESS;
  const restoreEnv = () => {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  };

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'teeka-faults-'));
  const pgPort = await freePort();
  const temporalPort = await freePort();
  const temporalUiPort = await freePort();
  const temporalDbFile = path.join(dataDir, 'temporal.sqlite');
  let postgresOutput = '';
  const postgresOptions = {
    dataDir,
    port: pgPort,
    database: 'teeka_faults',
    log: (line: string) => (postgresOutput = (postgresOutput + line + '\n').slice(-10_000)),
  };

  let postgres: PostgresHandle = await ensurePostgres({ ...postgresOptions, fresh: true });
  const { db } = createDb({ connectionString: postgres.url, poolSize: 6 });
  await migrateToLatest(db);
  await seedReferenceData(db);
  await registerSuiteBatches(db);

  const clusterOptions =
    options.temporal === 'cluster'
      ? {
          postgresUrl: postgres.url,
          frontendPort: temporalPort,
          namespace: 'default',
          binaries: await resolveServerBinaries(
            (line) => console.log(`[tests] ${line}`),
            path.join(projectDataDir(), 'logs', 'temporal-server-build.log'),
          ),
        }
      : undefined;
  let cluster: ClusterHandle | undefined = clusterOptions ? await startTemporalCluster(clusterOptions) : undefined;
  let temporal: TemporalHandle = cluster
    ? { address: cluster.address, namespace: cluster.namespace, stop: () => cluster!.stop() }
    : await ensureTemporal({ port: temporalPort, uiPort: temporalUiPort, dbFile: temporalDbFile });
  let temporalOutput = '';
  const taskQueue = 'faults';

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATABASE_URL: postgres.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    TEEKA_DATA_DIR: dataDir,
    RATE_LIMITS: 'off',
    SESSION_SWEEP: 'off',
    DB_POOL_SIZE: '8',
    // A worker killed while the dev outbox sends leaves the message SENDING: it is sent again once this stale
    // (messaging/sms-outbox.ts), within the time the test waits for every journey.
    SMS_SENDING_STALE_SECONDS: '15',
    ...TEST_SECRETS,
    ...options.env,
  };

  const startWorker = async (): Promise<Managed> => {
    const managed = capture(
      spawn(process.execPath, ['--import', 'tsx', 'workflows/worker.ts'], {
        cwd: projectRoot,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    await new Promise<void>((resolve, reject) => {
      const onData = () => {
        if (managed.output().includes('polling task queue')) {
          managed.child.stdout!.off('data', onData);
          resolve();
        }
      };
      managed.child.stdout!.on('data', onData);
      managed.child.once('exit', (code, signal) =>
        reject(new Error(`worker exited before polling (${signal ?? code}):\n${managed.output()}`)),
      );
    });
    return managed;
  };

  const startApi = async (port: number): Promise<Managed> => {
    const managed = capture(
      spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
        cwd: projectRoot,
        env: { ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const exited = new Promise<never>((_, reject) =>
      managed.child.once('exit', (code, signal) =>
        reject(new Error(`api exited before it was ready (${signal ?? code}):\n${managed.output()}`)),
      ),
    );
    const ready = (async () => {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const status = await fetch(`http://127.0.0.1:${port}/ready`).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 200) return;
        if (Date.now() > deadline) throw new Error(`api on ${port} not ready after 90 s:\n${managed.output()}`);
        await sleep(250);
      }
    })();
    await Promise.race([ready, exited]);
    exited.catch(() => {});
    return managed;
  };

  const apiPorts = await Promise.all(Array.from({ length: options.apis }, () => freePort()));
  let workers: Managed[];
  let apis: Managed[];
  try {
    [workers, apis] = await Promise.all([
      Promise.all(Array.from({ length: options.workers ?? 1 }, () => startWorker())),
      Promise.all(apiPorts.map(startApi)),
    ]);
  } catch (error) {
    await temporal.stop();
    await db.destroy();
    await postgres.stop();
    restoreEnv();
    throw error;
  }

  const keepTemporalOutput = (handle: TemporalHandle) => {
    const keep = (chunk: Buffer) => (temporalOutput = (temporalOutput + chunk.toString()).slice(-10_000));
    handle.child?.stdout?.on('data', keep);
    handle.child?.stderr?.on('data', keep);
  };
  keepTemporalOutput(temporal);

  return {
    db,
    databaseUrl: postgres.url,
    temporalAddress: temporal.address,
    taskQueue,
    apiUrls: apiPorts.map((port) => `http://127.0.0.1:${port}`),
    worker: () => workers[0],
    workers: () => workers,
    apis: () => apis,
    async killAndRestartWorker(pauseMs = 1_000) {
      await killHard(workers[0]);
      await sleep(pauseMs);
      workers[0] = await startWorker();
    },
    async killAndRestartApi(index, pauseMs = 1_000) {
      await killHard(apis[index]);
      await sleep(pauseMs);
      apis[index] = await startApi(apiPorts[index]);
    },
    async killAndRestartTemporal(pauseMs = 1_000) {
      if (cluster && clusterOptions) {
        await Promise.all(CLUSTER_SERVICES.map((service) => cluster!.kill(service)));
        await sleep(pauseMs);
        cluster = await startTemporalCluster(clusterOptions);
        temporal = { address: cluster.address, namespace: cluster.namespace, stop: () => cluster!.stop() };
        return;
      }
      await killHard(temporal.child ? { child: temporal.child, output: () => '' } : undefined);
      await sleep(pauseMs);
      temporal = await ensureTemporal({ port: temporalPort, uiPort: temporalUiPort, dbFile: temporalDbFile });
      keepTemporalOutput(temporal);
    },
    async killAndRestartTemporalService(service, pauseMs = 1_000) {
      if (!cluster) throw new Error('only a cluster has services to kill one by one');
      await cluster.kill(service);
      await sleep(pauseMs);
      await cluster.start(service);
    },
    async restartPostgres(pauseMs = 1_000) {
      await postgres.stop();
      await sleep(pauseMs);
      postgres = await ensurePostgres({ ...postgresOptions, fresh: false });
      await waitForPort(pgPort);
    },
    logs() {
      const tail = (text: string) => text.slice(-4_000);
      return [
        ...workers.map((worker, i) => `--- worker ${i}\n${tail(worker.output())}`),
        ...apis.map((api, i) => `--- api ${i}\n${tail(api.output())}`),
        cluster ? cluster.logs() : `--- temporal\n${tail(temporalOutput)}`,
        `--- postgres\n${tail(postgresOutput)}`,
      ].join('\n');
    },
    async stop() {
      await Promise.all([...apis, ...workers].map((managed) => stopChild(managed.child)));
      await db.destroy();
      await temporal.stop();
      await postgres.stop();
      restoreEnv();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
