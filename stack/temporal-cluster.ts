/**
 * A real Temporal cluster on Postgres, as a deployment runs it: the server (`go.temporal.io/server`, the version
 * the Temporal CLI embeds) with its four services — frontend, history, matching and the internal worker — each a
 * separate process (`start --service <name>`), on Temporal's own `temporal` and `temporal_visibility` databases.
 *
 * The config is deploy/temporal/config/teeka.yaml and the schema is created by deploy/temporal/setup-schema.sh with
 * temporal-sql-tool: the same files docker-compose.yml runs. The server and the SQL tool are built once with
 * `go install` into a per-user cache keyed by version (~/.cache/teeka/temporal-server/<version>), shared by every
 * checkout on the machine, or taken from TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import pg from 'pg';
import { hasGo, goInstall } from './go-build.js';
import { projectRoot } from './layout.js';
import { freePort, waitForPort } from './ports.js';
import { stopChild, waitForTemporal } from './temporal.js';

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const SERVER_MODULE = 'go.temporal.io/server';

/** The cluster's services, in the order they start; each runs as its own process. */
export const CLUSTER_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

/**
 * History shards of a cluster this file creates. Fixed when the cluster's database is first created; a deployment
 * chooses its own (docker-compose.yml: 512).
 */
export const LOCAL_HISTORY_SHARDS = 16;

export function temporalServerCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'teeka', 'temporal-server', TEMPORAL_SERVER_VERSION);
}

export interface ServerBinaries {
  server: string;
  sqlTool: string;
}

/**
 * Finds the server and SQL tool, building them once with `go install` when they are missing (`say` gets the
 * progress; the build's raw output goes to `buildLog`).
 */
export async function resolveServerBinaries(say: (line: string) => void, buildLog: string): Promise<ServerBinaries> {
  const configured = { server: process.env.TEMPORAL_SERVER_PATH, sqlTool: process.env.TEMPORAL_SQL_TOOL_PATH };
  if (configured.server && !existsSync(configured.server))
    throw new Error(`TEMPORAL_SERVER_PATH points to ${configured.server}, which does not exist`);
  if (configured.sqlTool && !existsSync(configured.sqlTool))
    throw new Error(`TEMPORAL_SQL_TOOL_PATH points to ${configured.sqlTool}, which does not exist`);
  const cacheDir = temporalServerCacheDir();
  const found: ServerBinaries = {
    server: configured.server ?? path.join(cacheDir, 'server'),
    sqlTool: configured.sqlTool ?? path.join(cacheDir, 'sql'),
  };
  if (existsSync(found.server) && existsSync(found.sqlTool)) return found;

  const packages = [
    `${SERVER_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`,
    `${SERVER_MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
  ];
  if (!hasGo()) {
    throw new Error(
      'The Temporal server is not built and Go is not installed. Install Go and run:\n' +
        `  GOBIN=${cacheDir} go install ${packages.join(' ')}\n` +
        'or set TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH to the server and temporal-sql-tool binaries.',
    );
  }
  await goInstall({
    what: `the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool`,
    packages,
    gobin: cacheDir,
    logFile: buildLog,
    say,
  });
  if (!existsSync(found.server) || !existsSync(found.sqlTool))
    throw new Error(`the build finished but the binaries are missing from ${cacheDir}; see ${buildLog}`);
  return found;
}

export interface ClusterOptions {
  /** A Postgres server URL with a user that may create databases (its database part is ignored). */
  postgresUrl: string;
  /** Temporal's two databases; default `temporal` and `temporal_visibility`. */
  databases?: { history: string; visibility: string };
  /** Drop both databases first (tests). */
  fresh?: boolean;
  /** Frontend gRPC port; the other services' ports are free ones unless given. */
  frontendPort?: number;
  namespace: string;
  binaries: ServerBinaries;
  /** Where each service's output is appended (`<dir>/temporal-<service>.log`); none = kept in memory only. */
  logDir?: string;
  /** Extra environment of the services (e.g. LOG_LEVEL). */
  env?: NodeJS.ProcessEnv;
}

export interface ClusterHandle {
  address: string;
  namespace: string;
  /** The running process of a service. */
  process(service: ClusterService): ChildProcess;
  /** SIGKILL one service (no shutdown of any kind). */
  kill(service: ClusterService): Promise<void>;
  /** Starts a service that was killed or stopped, on the same ports. */
  start(service: ClusterService): Promise<void>;
  /** Waits until the frontend answers for the namespace. */
  ready(timeoutMs?: number): Promise<void>;
  /** The last output of every service, for a failure report. */
  logs(): string;
  /** SIGTERM every service (frontend first), SIGKILL after a grace period. */
  stop(): Promise<void>;
}

const SERVICE_PORT_VARIABLES: Record<ClusterService, [grpc: string, membership: string]> = {
  frontend: ['FRONTEND_GRPC_PORT', 'FRONTEND_MEMBERSHIP_PORT'],
  history: ['HISTORY_GRPC_PORT', 'HISTORY_MEMBERSHIP_PORT'],
  matching: ['MATCHING_GRPC_PORT', 'MATCHING_MEMBERSHIP_PORT'],
  worker: ['WORKER_GRPC_PORT', 'WORKER_MEMBERSHIP_PORT'],
};

/** Runs deploy/temporal/setup-schema.sh (the docker-compose one-shot) against this Postgres. */
export async function setupClusterSchema(options: ClusterOptions): Promise<void> {
  const url = new URL(options.postgresUrl);
  const databases = options.databases ?? { history: 'temporal', visibility: 'temporal_visibility' };
  if (options.fresh) {
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      for (const database of [databases.history, databases.visibility]) {
        if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`invalid database name: ${database}`);
        await client.query(`drop database if exists ${database} with (force)`);
      }
    } finally {
      await client.end();
    }
  }
  const result = spawnSync('sh', [path.join(projectRoot, 'deploy/temporal/setup-schema.sh')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      TEMPORAL_SQL_TOOL: options.binaries.sqlTool,
      POSTGRES_SEEDS: url.hostname,
      DB_PORT: url.port || '5432',
      POSTGRES_USER: decodeURIComponent(url.username),
      SQL_PASSWORD: decodeURIComponent(url.password),
      DBNAME: databases.history,
      VISIBILITY_DBNAME: databases.visibility,
    },
  });
  if (result.status !== 0) {
    throw new Error(`creating Temporal's schema failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** Creates the schema (or brings it up to date), starts the four services and registers the namespace. */
export async function startTemporalCluster(options: ClusterOptions): Promise<ClusterHandle> {
  await setupClusterSchema(options);
  const url = new URL(options.postgresUrl);
  const databases = options.databases ?? { history: 'temporal', visibility: 'temporal_visibility' };
  const frontendPort = options.frontendPort ?? (await freePort());
  const ports: Record<string, string> = {
    FRONTEND_GRPC_PORT: String(frontendPort),
    FRONTEND_HTTP_PORT: String(await freePort()),
  };
  for (const service of CLUSTER_SERVICES) {
    const [grpc, membership] = SERVICE_PORT_VARIABLES[service];
    ports[membership] = String(await freePort());
    if (service !== 'frontend') ports[grpc] = String(await freePort());
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_SERVER: options.binaries.server,
    DB: 'postgres12',
    POSTGRES_SEEDS: url.hostname,
    DB_PORT: url.port || '5432',
    POSTGRES_USER: decodeURIComponent(url.username),
    POSTGRES_PWD: decodeURIComponent(url.password),
    DBNAME: databases.history,
    VISIBILITY_DBNAME: databases.visibility,
    NUM_HISTORY_SHARDS: String(LOCAL_HISTORY_SHARDS),
    BIND_ON_IP: '127.0.0.1',
    SQL_MAX_CONNS: '10',
    SQL_MAX_IDLE_CONNS: '10',
    SQL_VIS_MAX_CONNS: '4',
    SQL_VIS_MAX_IDLE_CONNS: '4',
    DYNAMIC_CONFIG_FILE_PATH: path.join(projectRoot, 'deploy/temporal/dynamicconfig/production-sql.yaml'),
    LOG_LEVEL: 'warn',
    ...ports,
    ...options.env,
  };
  delete env.PROMETHEUS_ENDPOINT; // four processes on one host would share its port
  if (options.logDir) mkdirSync(options.logDir, { recursive: true });

  const processes = new Map<ClusterService, ChildProcess>();
  const outputs = new Map<ClusterService, string>();
  const address = `127.0.0.1:${frontendPort}`;

  const start = async (service: ClusterService): Promise<void> => {
    const child = spawn('sh', [path.join(projectRoot, 'deploy/temporal/start-server.sh'), '--service', service], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const file = options.logDir
      ? createWriteStream(path.join(options.logDir, `temporal-${service}.log`), { flags: 'a' })
      : undefined;
    const keep = (chunk: Buffer) => {
      outputs.set(service, ((outputs.get(service) ?? '') + chunk.toString()).slice(-20_000));
      file?.write(chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('exit', () => file?.end());
    processes.set(service, child);
    // Every service joins the membership ring (the internal worker serves no gRPC of its own).
    const [, membership] = SERVICE_PORT_VARIABLES[service];
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(
          new Error(`Temporal ${service} exited (${signal ?? code}):\n${(outputs.get(service) ?? '').slice(-3_000)}`),
        ),
      ),
    );
    exited.catch(() => {});
    await Promise.race([waitForPort(Number(env[membership]), '127.0.0.1', 90_000), exited]);
  };

  const stopAll = async () => {
    for (const service of ['frontend', 'worker', 'matching', 'history'] as const) {
      const child = processes.get(service);
      if (child) await stopChild(child, 10_000);
    }
  };

  try {
    for (const service of CLUSTER_SERVICES) await start(service);
    await registerNamespace(address, options.namespace);
    await waitForTemporal(address, options.namespace, 90_000);
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    address,
    namespace: options.namespace,
    process: (service) => processes.get(service)!,
    async kill(service) {
      const child = processes.get(service);
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
    start,
    ready: (timeoutMs = 90_000) => waitForTemporal(address, options.namespace, timeoutMs),
    logs: () =>
      CLUSTER_SERVICES.map((service) => `--- temporal ${service}\n${(outputs.get(service) ?? '').slice(-3_000)}`).join(
        '\n',
      ),
    stop: stopAll,
  };
}

/** Registers the namespace unless it exists (retention: how long closed histories are kept). */
async function registerNamespace(address: string, namespace: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        try {
          await connection.workflowService.describeNamespace({ namespace });
          return;
        } catch (error) {
          if ((error as { code?: number }).code !== 5) throw error; // NOT_FOUND: register it below
        }
        await connection.workflowService.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs('30 days'),
        });
        // Every frontend learns of a new namespace on its next registry refresh (a few seconds): wait for it, so a
        // first workflow start is not refused.
        for (;;) {
          try {
            await connection.workflowService.countWorkflowExecutions({ namespace });
            return;
          } catch (error) {
            if (Date.now() > deadline) throw error;
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      } finally {
        await connection.close();
      }
    } catch (error) {
      if ((error as { code?: number }).code === 6) return; // ALREADY_EXISTS: registered meanwhile
      if (Date.now() > deadline)
        throw new Error(`could not register the namespace ${namespace} at ${address}`, { cause: error });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
