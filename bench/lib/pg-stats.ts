/**
 * What Postgres was asked during a run: pg_stat_statements (loaded by the bench platform; top-level statements
 * only, so each call is one round trip from the API or worker, BEGIN and COMMIT included), reset before the
 * window and read after it. Where the extension is not loaded (a DATABASE_URL server without it), the backends'
 * wait events are sampled from pg_stat_activity instead, like ../shared/tools/pg-waits.sh.
 */
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../../db/connection.js';
import { round } from './report.js';

/** Creates the extension in the bench database; false when the server has not preloaded the library. */
export async function enableStatementStats(db: Db): Promise<boolean> {
  const { rows } = await sql<{ libs: string }>`select current_setting('shared_preload_libraries') as libs`.execute(db);
  if (!rows[0].libs.split(',').some((lib) => lib.trim() === 'pg_stat_statements')) return false;
  await sql`create extension if not exists pg_stat_statements`.execute(db);
  return true;
}

export async function resetStatementStats(db: Db): Promise<void> {
  await sql`select pg_stat_statements_reset()`.execute(db);
}

interface StatementRow {
  query: string;
  calls: number;
  total_ms: number;
  mean_ms: number;
  rows: number;
}

export interface StatementReport {
  /** 'top': each call is a round trip from a client; 'all': statements inside functions and triggers counted too. */
  track: string;
  operations: number;
  totalCalls: number;
  callsPerOperation: number;
  totalExecMs: number;
  execMsPerOperation: number;
  topByCalls: Array<{ calls: number; perOperation: number; totalMs: number; meanMs: number; query: string }>;
  topByTime: Array<{ calls: number; perOperation: number; totalMs: number; meanMs: number; query: string }>;
}

/** Statements of this database since the last reset; `operations` = the run's successful operations. */
export async function statementStats(db: Db, operations: number, top = 12): Promise<StatementReport> {
  const { rows } = await sql<StatementRow>`
    select regexp_replace(query, '\\s+', ' ', 'g') as query, calls::float8 as calls,
           total_exec_time as total_ms, mean_exec_time as mean_ms, rows::float8 as rows
    from pg_stat_statements
    where dbid = (select oid from pg_database where datname = current_database())
      and query not like '%pg_stat_statements%'
      -- the benchmark's own polling
      and query not like '%/* bench */%'`.execute(db);
  const entry = (r: StatementRow) => ({
    calls: r.calls,
    perOperation: operations ? round(r.calls / operations, 2) : NaN,
    totalMs: round(r.total_ms),
    meanMs: round(r.mean_ms, 3),
    query: r.query.slice(0, 140),
  });
  const track = (await sql<{ track: string }>`select current_setting('pg_stat_statements.track') as track`.execute(db))
    .rows[0].track;
  const totalCalls = rows.reduce((a, r) => a + r.calls, 0);
  const totalExecMs = rows.reduce((a, r) => a + r.total_ms, 0);
  return {
    track,
    operations,
    totalCalls,
    callsPerOperation: operations ? round(totalCalls / operations, 1) : NaN,
    totalExecMs: round(totalExecMs),
    execMsPerOperation: operations ? round(totalExecMs / operations, 3) : NaN,
    topByCalls: [...rows]
      .sort((a, b) => b.calls - a.calls)
      .slice(0, top)
      .map(entry),
    topByTime: [...rows]
      .sort((a, b) => b.total_ms - a.total_ms)
      .slice(0, top)
      .map(entry),
  };
}

export function formatStatements(label: string, report: StatementReport, unit = 'op'): string {
  const line = (e: StatementReport['topByCalls'][number]) =>
    `  ${String(e.calls).padStart(8)} calls ${e.perOperation.toFixed(2).padStart(6)}/${unit} ${e.totalMs.toFixed(0).padStart(8)} ms  ${e.query}`;
  return [
    `Postgres statements during ${label} (${report.track === 'top' ? 'top-level: round trips' : 'all, nested included'}; ` +
      `API and worker together): ${report.totalCalls} calls = ${report.callsPerOperation} per ${unit}, ` +
      `${report.totalExecMs} ms executing = ${report.execMsPerOperation} ms per ${unit}`,
    ' top by calls:',
    ...report.topByCalls.map(line),
    ' top by total time:',
    ...report.topByTime.map(line),
  ].join('\n');
}

/**
 * Samples the bench database's client backends 4 times a second: wait event, state and the statement's start,
 * counted. Returns a stop function giving the most frequent.
 */
export async function sampleWaitEvents(databaseUrl: string, intervalMs = 250) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await client.query<{ key: string }>(
        `select coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, '-') || ' | ' || coalesce(state, '-') ||
                ' | ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 80) as key
         from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
      );
      samples++;
      for (const { key } of rows) counts.set(key, (counts.get(key) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return async (top = 15) => {
    stopped = true;
    await loop;
    await client.end();
    return {
      samples,
      top: [...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([key, n]) => ({ backendsOnAverage: round(n / Math.max(1, samples), 2), key })),
    };
  };
}
