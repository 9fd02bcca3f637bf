/**
 * Doses: sustained doses per second through `POST /api/v1/doses` — each authenticated, checked, committed with
 * its rollups, audit row, live event and outbox signal — with p50/p95/p99/max latency, then how long the outbox
 * and the journeys' dose steps (stage, SMS, certificate) take to drain.
 *
 * Baselines, measured first on the idle platform (API and worker started, nothing asked of them): raw single-row
 * INSERTs into a table of the dose's shape (same columns, defaults, checks and indexes; no foreign keys or
 * triggers) in the same Postgres at the same concurrency, from node-pg and from pgbench.
 *
 * BENCH_DOSES (20,000) doses; BENCH_DURATION_S offers them at BENCH_DOSES / BENCH_DURATION_S per second (else as
 * fast as the API answers); BENCH_CONNECTIONS (64); BENCH_BASELINE_SECONDS (15); BENCH_DRAIN_TIMEOUT_S (600).
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../db/connection.js';
import { applicationCoresDuring, cpuMsPer, cpuSampler, formatCpu, waitForIdle } from './lib/cpu.js';
import { profileWindow } from './lib/cpu-profile.js';
import { countError } from './lib/errors.js';
import {
  BENCH_BATCH,
  createPeople,
  createSessionsWithVaccinators,
  startJourneys,
  temporalClient,
} from './lib/fixtures.js';
import { adminToken, liveProbe } from './lib/live-probe.js';
import { load } from './lib/load.js';
import { findPgbench, runPgbench } from './lib/pgbench.js';
import {
  enableStatementStats,
  formatStatements,
  resetStatementStats,
  sampleWaitEvents,
  statementStats,
} from './lib/pg-stats.js';
import { platformGroups, settle, type BenchPlatform } from './lib/platform.js';
import { round, runForSeconds, summarise, writeResult } from './lib/report.js';
import { runBenchmark } from './lib/run.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? 15);
const DRAIN_TIMEOUT_S = Number(process.env.BENCH_DRAIN_TIMEOUT_S ?? 600);

const BASELINE_COLUMNS =
  'beneficiary_id, dose_number, vaccine_code, batch, site_id, session_day_id, district_id, vaccinator_id, administered_at, client_event_id';

/** A fresh empty table of the dose's shape: columns, defaults, checks and indexes (LIKE copies no FKs or triggers). */
async function baselineTable(db: Db, name: string): Promise<void> {
  await sql`drop table if exists ${sql.table(name)}`.execute(db);
  await sql`create table ${sql.table(name)} (like dose including all)`.execute(db);
}

async function nodePgInsertBaseline(platform: BenchPlatform) {
  const table = 'bench_baseline_dose_node_pg';
  await baselineTable(platform.db, table);
  const pool = new pg.Pool({ connectionString: platform.databaseUrl, max: CONNECTIONS });
  try {
    // Open every connection first: the baseline measures INSERTs, not connection set-up.
    await Promise.all(Array.from({ length: CONNECTIONS }, () => pool.query('select 1')));
    const cpu = cpuSampler(platform.pids());
    const run = await runForSeconds('doses: baseline node-pg INSERT', BASELINE_SECONDS, CONNECTIONS, async (i) => {
      await pool.query(
        `insert into ${table} (${BASELINE_COLUMNS})
         values ($1, 1, 'COVISHIELD', 'B1', 1, $2, 27024, $3, now(), $4)`,
        [randomUUID(), randomUUID(), randomUUID(), `baseline-${i}-${randomUUID()}`],
      );
    });
    const cpuReport = cpu.stop();
    const { n } = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(platform.db))
      .rows[0];
    if (n !== run.ok) countError('doses: baseline node-pg INSERT', 'rows stored differ from INSERTs answered', 1);
    return {
      tool: 'node-pg (pg.Pool, extended protocol, one INSERT per round trip)',
      clients: CONNECTIONS,
      seconds: round(run.seconds, 1),
      inserts: run.ok,
      errors: run.errors,
      perSecond: round(run.perSecond),
      latencyMs: summarise(run.latencies),
      cpu: cpuReport,
      applicationCores: applicationCoresDuring('the node-pg INSERT baseline', cpuReport),
    };
  } finally {
    await pool.end();
    await sql`drop table if exists ${sql.table(table)}`.execute(platform.db);
  }
}

async function pgbenchInsertBaseline(platform: BenchPlatform) {
  const binary = findPgbench();
  if (!binary) return { unavailable: 'no pgbench found (PGBENCH_PATH, embedded binaries, PATH)' };
  const table = 'bench_baseline_dose_pgbench';
  await baselineTable(platform.db, table);
  try {
    const cpu = cpuSampler(platform.pids());
    const result = await runPgbench({
      phase: 'doses: baseline pgbench INSERT',
      binary,
      databaseUrl: platform.databaseUrl,
      clients: CONNECTIONS,
      seconds: BASELINE_SECONDS,
      script: `insert into ${table} (${BASELINE_COLUMNS})
  values (gen_random_uuid(), 1, 'COVISHIELD', 'B1', 1, gen_random_uuid(), 27024, gen_random_uuid(), now(), gen_random_uuid()::text);\n`,
    });
    const cpuReport = cpu.stop();
    if (!result) return { unavailable: 'pgbench failed' };
    return {
      ...result,
      perSecond: round(result.tps),
      cpu: cpuReport,
      applicationCores: applicationCoresDuring('the pgbench INSERT baseline', cpuReport),
    };
  } finally {
    await sql`drop table if exists ${sql.table(table)}`.execute(platform.db);
  }
}

/** Polls until the outbox has nothing pending and every dose's journey has projected its stage, SMS and certificate. */
async function drain(db: Db, expected: number, startedAt: number) {
  const reachedAt: Record<string, number | null> = { outbox: null, stage: null, sms: null, certificate: null };
  let last: Record<string, number> = {};
  const deadline = startedAt + DRAIN_TIMEOUT_S * 1000;
  for (;;) {
    const { rows } = await sql<{ outbox: number; stage: number; sms: number; certificate: number }>`
      /* bench */ select (select count(*)::int from workflow_outbox where delivered_at is null) as outbox,
             (select count(*)::int from beneficiary where stage = 'DOSE1_DONE' and name like 'Bench Person %') as stage,
             (select count(*)::int from sms_message where template = 'DOSE_RECORDED' and status in ('SENT', 'DELIVERED')) as sms,
             (select count(*)::int from certificate where kind = 'PROVISIONAL' and revoked_at is null) as certificate`.execute(
      db,
    );
    last = rows[0];
    const now = Date.now();
    const seconds = round((now - startedAt) / 1000, 1);
    if (reachedAt.outbox === null && last.outbox === 0) reachedAt.outbox = seconds;
    for (const step of ['stage', 'sms', 'certificate'] as const) {
      if (reachedAt[step] === null && last[step] >= expected) reachedAt[step] = seconds;
    }
    if (Object.values(reachedAt).every((v) => v !== null)) break;
    if (now > deadline) {
      for (const [step, at] of Object.entries(reachedAt)) {
        if (at === null) {
          countError('doses: drain', `${step} not drained within ${DRAIN_TIMEOUT_S} s`, 1, JSON.stringify(last));
        }
      }
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    secondsAfterLoadUntil: {
      outboxEmpty: reachedAt.outbox,
      journeyStages: reachedAt.stage,
      doseSms: reachedAt.sms,
      provisionalCertificates: reachedAt.certificate,
    },
    final: {
      outboxPending: last.outbox,
      journeysAtDose1Done: last.stage,
      doseSmsSent: last.sms,
      provisionalCertificates: last.certificate,
    },
  };
}

export async function benchDoses(platform: BenchPlatform, count = Number(process.env.BENCH_DOSES ?? 20_000)) {
  const durationS = process.env.BENCH_DURATION_S ? Number(process.env.BENCH_DURATION_S) : undefined;
  const overallRate = durationS ? Math.ceil(count / durationS) : undefined;

  const people = await createPeople(platform.db, count, '3');
  const { client, close } = await temporalClient(platform.temporalAddress);
  await startJourneys(client, platform.taskQueue, people, { verified: true, concurrency: 64 });
  await close();
  // One session day per connection, each with its vaccinator: on a record day every desk records its own people,
  // and ~100,000 sessions share the national rate, so no session's row is written by two desks at once.
  const sessions = await createSessionsWithVaccinators(platform.db, platform.apiUrls[0], CONNECTIONS, {
    dose1: 0,
    // A desk's share of the doses depends on how fast its answers come back: room for all of them anywhere.
    walkin: count,
    tag: 'doses',
  });

  // A war-room client watching every district the doses land in, and the national room.
  const districtRooms = (
    await platform.db
      .selectFrom('session_day')
      .select('district_id')
      .distinct()
      .where(
        'id',
        'in',
        sessions.map((x) => x.sessionDayId),
      )
      .execute()
  ).map((r) => `district:${r.district_id}`);
  const probe = await liveProbe(platform.apiUrls[0], await adminToken(platform.db, platform.apiUrls[0]), [
    'national',
    ...districtRooms,
  ]);
  const statements = await enableStatementStats(platform.db);

  // Baselines first, on the idle platform: the journeys just started have settled, nothing else is asked.
  const idleBeforeBaselines = await settle(platform, { runningJourneys: people.length });
  const nodePg = await nodePgInsertBaseline(platform);
  const pgbench = await pgbenchInsertBaseline(platform);
  const idleBeforeLoad = await waitForIdle(platformGroups(platform));

  if (statements) await resetStatementStats(platform.db);
  const stopWaits =
    !statements || process.env.BENCH_PG_WAITS === '1' ? await sampleWaitEvents(platform.databaseUrl) : undefined;
  const cpu = cpuSampler(platform.pids());
  const endProfileWindow = profileWindow('the dose load');
  let next = 0;
  const api = await load({
    phase: 'doses: load',
    url: platform.apiUrls[0],
    connections: CONNECTIONS,
    amount: count,
    ...(overallRate ? { overallRate } : {}),
    // Each connection is one desk: it records at its own session day, one dose after another.
    requestsOfConnection: (connection) => {
      const session = sessions[connection % sessions.length];
      return [
        {
          method: 'POST',
          path: '/api/v1/doses',
          setupRequest: (request) => {
            const i = next++ % count;
            const person = people[i];
            return {
              ...request,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
              body: JSON.stringify({
                referenceId: person.referenceId,
                secretCode: person.secretCode,
                sessionDayId: session.sessionDayId,
                vaccineCode: 'COVISHIELD',
                batch: BENCH_BATCH,
                clientEventId: `bench-${i}-${person.referenceId}`,
              }),
            };
          },
        },
      ];
    },
  });
  const loadCpu = cpu.stop();
  endProfileWindow();
  const loadStatements = statements ? await statementStats(platform.db, api.ok) : undefined;
  const waits = await stopWaits?.();
  const drainStarted = Date.now();
  // Progress on stderr (stdout carries the result): a profiler attached from outside can start on this line.
  process.stderr.write(`doses: load done, the drain begins (pids ${JSON.stringify(platform.pids())})\n`);
  const drainCpu = cpuSampler(platform.pids());
  const endDrainWindow = profileWindow('the drain after the dose load');
  await new Promise((r) => setTimeout(r, 2_000));
  const live = probe.stop();

  const stored = (
    await sql<{ n: number; people: number }>`
      select count(*)::int as n, count(distinct beneficiary_id)::int as people from dose where batch = ${BENCH_BATCH}`.execute(
      platform.db,
    )
  ).rows[0];
  if (stored.n !== api.ok) {
    countError('doses: exactly once', 'doses stored differ from doses answered 2xx', Math.abs(stored.n - api.ok));
  }
  if (stored.people !== stored.n)
    countError('doses: exactly once', 'a person has two dose-1 rows', stored.n - stored.people);
  const drained = await drain(platform.db, stored.n, drainStarted);
  const drainCpuReport = drainCpu.stop();
  endDrainWindow();
  const drainStatements = statements ? await statementStats(platform.db, api.ok) : undefined;

  const baselinePerSecond = (pgbench as { perSecond?: number }).perSecond;
  const result = {
    command: `${durationS ? `BENCH_DURATION_S=${durationS} ` : ''}BENCH_DOSES=${count} npm run bench -- doses`,
    connections: CONNECTIONS,
    offeredRate: overallRate ?? 'as fast as answered',
    doses: {
      sent: api.attempts,
      ok: api.ok,
      errors: api.errors,
      seconds: api.seconds,
      sustainedPerSecond: api.okPerSecond,
      perSecondOverTime: api.okPerSecondOverTime,
      latencyMs: api.okLatencyMs,
      stored: stored.n,
    },
    baselines: {
      idleBeforeBaselines,
      nodePgInsert: nodePg,
      pgbenchInsert: pgbench,
      ratioToNodePg: round(api.okPerSecond / nodePg.perSecond, 3),
      ratioToPgbench: baselinePerSecond ? round(api.okPerSecond / baselinePerSecond, 3) : null,
    },
    idleBeforeLoad,
    cpuDuringLoad: { ...loadCpu, cpuMsPerDose: cpuMsPer(loadCpu, api.ok) },
    drain: { ...drained, cpu: { ...drainCpuReport, cpuMsPerDose: cpuMsPer(drainCpuReport, stored.n) } },
    postgresStatements: statements
      ? { duringLoad: loadStatements, loadAndDrain: drainStatements }
      : 'pg_stat_statements is not loaded in this Postgres; wait events sampled instead',
    ...(waits ? { postgresWaitEventsDuringLoad: waits } : {}),
    liveFeed: live,
  };
  writeResult('doses', result);
  console.log(
    [
      '',
      `doses: ${api.ok} ok in ${api.seconds} s = ${api.okPerSecond}/s sustained (per second: min ${api.okPerSecondOverTime.min}, ` +
        `p10 ${api.okPerSecondOverTime.p10}, median ${api.okPerSecondOverTime.p50}); ` +
        `latency p50 ${api.okLatencyMs.p50} p95 ${api.okLatencyMs.p95} p99 ${api.okLatencyMs.p99} max ${api.okLatencyMs.max} ms; ` +
        `errors ${api.errorTotal}`,
      `baseline raw INSERT, idle platform, ${CONNECTIONS} clients: node-pg ${nodePg.perSecond}/s ` +
        `(ratio ${result.baselines.ratioToNodePg}), pgbench ${baselinePerSecond ?? 'n/a'}/s (ratio ${result.baselines.ratioToPgbench ?? 'n/a'})`,
      `drain after the load (s): ${JSON.stringify(drained.secondsAfterLoadUntil)}`,
      formatCpu('the dose load', loadCpu, api.ok, 'dose'),
      formatCpu('the drain', drainCpuReport, stored.n, 'dose'),
      ...(loadStatements ? [formatStatements('the dose load', loadStatements, 'dose')] : []),
      ...(drainStatements ? [formatStatements('load and drain', drainStatements, 'dose')] : []),
    ].join('\n'),
  );
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runBenchmark('doses', benchDoses);
