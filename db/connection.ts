import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// Counts and sums come back as int8/numeric; our figures fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
// A calendar date is not an instant: keep 'YYYY-MM-DD' rather than a midnight-UTC Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export interface DbOptions {
  connectionString: string;
  poolSize?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
  /** How long an idle connection is kept open; the driver's 10 s unless given. */
  idleTimeoutMs?: number;
}

/**
 * Idle time the API and worker processes keep their connections for. A new connection costs Postgres a backend
 * process that starts cold: it maps shared buffers page by page and plans every statement and foreign-key check
 * again. A worker idle between waves of activities closed and reopened its connections all through a dose load.
 */
export const SERVICE_IDLE_TIMEOUT_MS = 5 * 60_000;

export function createPool(options: DbOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 15_000,
    application_name: options.applicationName ?? 'teeka',
    ...(options.idleTimeoutMs !== undefined && { idleTimeoutMillis: options.idleTimeoutMs }),
  });
  // An idle client losing its server (restart, failover) must not crash the process; the pool replaces it.
  pool.on('error', (error) => {
    console.warn(`[db] idle connection lost: ${error.message}`);
  });
  // A checked-out client has no pool listener (pg-pool removes it on checkout). Cut while between statements — a
  // transaction waiting on Temporal, a Postgres restart — it would emit an unhandled 'error' and crash the process
  // (found by tests/reliability/faults-under-load.test.ts). Its queries fail with the error; on release the pool
  // sees it is no longer queryable and drops it.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

export function createDb(options: DbOptions): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = createPool(options);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}

export type Db = Kysely<Database>;
