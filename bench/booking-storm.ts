/**
 * Booking storm: 10,000 booking attempts from 1,000 concurrent clients on 1,000 seats → exactly 1,000 booked,
 * each through `POST /api/v1/appointments` (the person's journey and the conditional seat UPDATE). Reports
 * attempts and successful bookings per second, latency of each, and fails on any error, timeout or overbooking.
 *
 * Baselines, measured first on the idle platform: the raw conditional seat UPDATE alone, from node-pg (the same
 * attempts on the same number of seats, BENCH_CLIENTS callers over 64 connections) and from pgbench (64 clients,
 * BENCH_BASELINE_SECONDS, a session with seats enough that every UPDATE takes one).
 *
 * BENCH_BOOKING_ATTEMPTS (10,000), BENCH_SEATS (1,000), BENCH_CLIENTS (1,000), BENCH_BASELINE_SECONDS (15).
 */
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { issueBeneficiaryTokens } from '../api/auth/tokens.js';
import { createSessionDay } from '../db/repositories/session-days.js';
import { indiaDate } from '../domain/time.js';
import { applicationCoresDuring, cpuMsPer, cpuSampler, formatCpu, waitForIdle } from './lib/cpu.js';
import { profileWindow } from './lib/cpu-profile.js';
import { countError } from './lib/errors.js';
import { BENCH_DISTRICT, createPeople, startJourneys, temporalClient } from './lib/fixtures.js';
import { load } from './lib/load.js';
import { findPgbench, runPgbench } from './lib/pgbench.js';
import {
  enableStatementStats,
  formatStatements,
  resetStatementStats,
  sampleWaitEvents,
  statementStats,
} from './lib/pg-stats.js';
import { BENCH_SECRETS, platformGroups, settle, type BenchPlatform } from './lib/platform.js';
import { round, runConcurrent, summarise, writeResult } from './lib/report.js';
import { runBenchmark } from './lib/run.js';

const ATTEMPTS = Number(process.env.BENCH_BOOKING_ATTEMPTS ?? 10_000);
const SEATS = Number(process.env.BENCH_SEATS ?? 1_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? 15);
const BASELINE_CONNECTIONS = 64;
const SEAT_UPDATE =
  'update session_day set dose1_booked = dose1_booked + 1 where id = $1 and dose1_booked < dose1_capacity';

async function nodePgSeatBaseline(platform: BenchPlatform, sessionDayId: string) {
  const phase = 'booking-storm: baseline node-pg seat UPDATE';
  const pool = new pg.Pool({ connectionString: platform.databaseUrl, max: BASELINE_CONNECTIONS });
  try {
    await Promise.all(Array.from({ length: BASELINE_CONNECTIONS }, () => pool.query('select 1')));
    let booked = 0;
    const cpu = cpuSampler(platform.pids());
    const run = await runConcurrent(
      phase,
      Array.from({ length: ATTEMPTS }, (_, i) => i),
      CLIENTS,
      async () => {
        const { rowCount } = await pool.query(SEAT_UPDATE, [sessionDayId]);
        booked += rowCount ?? 0;
      },
    );
    const cpuReport = cpu.stop();
    if (booked !== SEATS) countError(phase, `booked ${booked} of ${SEATS} seats`);
    return {
      tool: `node-pg (pg.Pool of ${BASELINE_CONNECTIONS} connections, ${CLIENTS} concurrent callers)`,
      attempts: ATTEMPTS,
      booked,
      errors: run.errors,
      seconds: round(run.seconds, 2),
      attemptsPerSecond: round(run.perSecond),
      seatsPerSecond: round(booked / run.seconds),
      latencyMs: summarise(run.latencies),
      cpu: cpuReport,
      applicationCores: applicationCoresDuring('the node-pg seat UPDATE baseline', cpuReport),
    };
  } finally {
    await pool.end();
  }
}

async function pgbenchSeatBaseline(platform: BenchPlatform, sessionDayId: string) {
  const binary = findPgbench();
  if (!binary) return { unavailable: 'no pgbench found (PGBENCH_PATH, embedded binaries, PATH)' };
  const cpu = cpuSampler(platform.pids());
  const result = await runPgbench({
    phase: 'booking-storm: baseline pgbench seat UPDATE',
    binary,
    databaseUrl: platform.databaseUrl,
    clients: BASELINE_CONNECTIONS,
    seconds: BASELINE_SECONDS,
    script: `${SEAT_UPDATE.replace('$1', ':sid')};\n`,
    defines: { sid: sessionDayId },
  });
  const cpuReport = cpu.stop();
  if (!result) return { unavailable: 'pgbench failed' };
  return {
    ...result,
    perSecond: round(result.tps),
    cpu: cpuReport,
    applicationCores: applicationCoresDuring('the pgbench seat UPDATE baseline', cpuReport),
  };
}

export async function benchBookingStorm(platform: BenchPlatform) {
  const site = await platform.db
    .insertInto('site')
    .values({
      name: 'Storm centre',
      name_hi: null,
      address: 'Storm road',
      block: 'Haveli',
      pincode: 411001,
      district_id: BENCH_DISTRICT.id,
      lat: 18.5,
      lng: 73.8,
      ownership: 'GOVERNMENT',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const seats = (tag: number, capacity = SEATS) =>
    createSessionDay(platform.db, {
      site_id: site.id,
      date: indiaDate(),
      vaccine_code: 'COVISHIELD',
      opens_at: '00:00:00',
      closes_at: `23:5${tag}:00`,
      dose1_capacity: capacity,
      dose2_capacity: 0,
      walkin_capacity: 0,
      slotMinutes: 240,
    });
  const sessionDayId = await seats(9);
  const baselineSession = await seats(8);
  const pgbenchSession = await seats(7, 10_000_000);

  const people = await createPeople(platform.db, ATTEMPTS, '5');
  const { client, close } = await temporalClient(platform.temporalAddress);
  await startJourneys(client, platform.taskQueue, people, { verified: true, concurrency: 64 });
  await close();
  const tokens = await Promise.all(
    people.map((p) => issueBeneficiaryTokens(BENCH_SECRETS.TOKEN_SECRET, { accountId: p.accountId, mobile: p.mobile })),
  );

  const statements = await enableStatementStats(platform.db);

  // Baselines first, on the idle platform: the journeys just started have settled, nothing else is asked.
  const idleBeforeBaselines = await settle(platform, { runningJourneys: people.length });
  const nodePg = await nodePgSeatBaseline(platform, baselineSession);
  const pgbench = await pgbenchSeatBaseline(platform, pgbenchSession);
  const idleBeforeLoad = await waitForIdle(platformGroups(platform));

  if (statements) await resetStatementStats(platform.db);
  const stopWaits =
    !statements || process.env.BENCH_PG_WAITS === '1' ? await sampleWaitEvents(platform.databaseUrl) : undefined;
  const cpu = cpuSampler(platform.pids());
  const endProfileWindow = profileWindow('the booking storm');
  let next = 0;
  const storm = await load({
    phase: 'booking-storm: load',
    url: platform.apiUrls[0],
    connections: CLIENTS,
    amount: ATTEMPTS,
    timeout: 60,
    refusals: ['409 SESSION_FULL'],
    requests: [
      {
        method: 'POST',
        path: '/api/v1/appointments',
        setupRequest: (request) => {
          const i = next++ % ATTEMPTS;
          return {
            ...request,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i].token}` },
            body: JSON.stringify({ referenceId: people[i].referenceId, sessionDayId }),
          };
        },
      },
    ],
  });
  const loadCpu = cpu.stop();
  endProfileWindow();
  const loadStatements = statements ? await statementStats(platform.db, storm.ok) : undefined;
  const waits = await stopWaits?.();
  const counts = (
    await sql<{ booked: number; appointments: number; slot_booked: number }>`
    select d.dose1_booked as booked,
           (select count(*)::int from appointment a where a.session_day_id = d.id and a.status = 'BOOKED') as appointments,
           (select sum(booked)::int from session_slot s where s.session_day_id = d.id) as slot_booked
    from session_day d where d.id = ${sessionDayId}`.execute(platform.db)
  ).rows[0];
  const invariant = (ok: boolean, kind: string) => {
    if (!ok) countError('booking-storm: seats', kind, 1, JSON.stringify({ ...counts, answered201: storm.ok }));
  };
  invariant(counts.booked <= SEATS, 'OVERBOOKED: more seats taken than the session has');
  invariant(counts.booked === Math.min(SEATS, ATTEMPTS), 'not every seat was booked');
  invariant(counts.appointments === counts.booked, 'appointment rows differ from seats taken');
  invariant(counts.slot_booked === counts.booked, 'slot seats differ from seats taken');
  invariant(storm.ok === counts.booked, 'bookings answered 201 differ from seats taken');

  const seatsPerSecond = (pgbench as { perSecond?: number }).perSecond;
  const result = {
    command: `BENCH_BOOKING_ATTEMPTS=${ATTEMPTS} BENCH_CLIENTS=${CLIENTS} BENCH_SEATS=${SEATS} npm run bench -- booking-storm`,
    attempts: ATTEMPTS,
    clients: CLIENTS,
    seats: SEATS,
    booked: counts.booked,
    bookedAppointmentRows: counts.appointments,
    bookedInSlots: counts.slot_booked,
    answered201: storm.ok,
    refused: storm.refused,
    errors: storm.errors,
    seconds: storm.seconds,
    attemptsPerSecond: storm.attemptsPerSecond,
    bookingsPerSecond: storm.okPerSecond,
    // The storm goes on after the last seat (every later attempt is refused), so over the whole run bookings/s is a
    // tenth of attempts/s by construction; this is the rate the seats were taken at while they lasted.
    lastSeatGoneAfterSeconds: storm.lastOkAfterSeconds,
    bookingsPerSecondWhileSeatsLast: storm.okPerSecondUntilLastOk,
    bookingLatencyMs: storm.okLatencyMs,
    refusalLatencyMs: storm.refusedLatencyMs,
    baselines: {
      idleBeforeBaselines,
      nodePgSeatUpdate: nodePg,
      pgbenchSeatUpdate: pgbench,
      attemptsRatioToNodePg: round(storm.attemptsPerSecond / nodePg.attemptsPerSecond, 4),
      bookingsRatioToPgbench: seatsPerSecond ? round(storm.okPerSecond / seatsPerSecond, 4) : null,
    },
    idleBeforeLoad,
    cpuDuringLoad: { ...loadCpu, cpuMsPerBooking: cpuMsPer(loadCpu, storm.ok) },
    postgresStatements: statements
      ? loadStatements
      : 'pg_stat_statements is not loaded in this Postgres; wait events sampled instead',
    ...(waits ? { postgresWaitEventsDuringLoad: waits } : {}),
  };
  writeResult('booking-storm', result);
  console.log(
    [
      '',
      `booking storm: ${storm.attempts} attempts in ${storm.seconds} s = ${storm.attemptsPerSecond} attempts/s; ` +
        `${storm.ok} booked = ${storm.okPerSecond} bookings/s (p50 ${storm.okLatencyMs.p50} p95 ${storm.okLatencyMs.p95} ` +
        `p99 ${storm.okLatencyMs.p99} max ${storm.okLatencyMs.max} ms); refused ${storm.refusedTotal}; errors ${storm.errorTotal}; ` +
        `seats taken ${counts.booked} of ${SEATS}; the last seat went after ${storm.lastOkAfterSeconds} s = ` +
        `${storm.okPerSecondUntilLastOk} bookings/s while seats lasted`,
      `baseline conditional seat UPDATE, idle platform: node-pg ${nodePg.attemptsPerSecond} attempts/s ` +
        `(ratio ${result.baselines.attemptsRatioToNodePg}), pgbench ${seatsPerSecond ?? 'n/a'} seats/s ` +
        `(bookings ratio ${result.baselines.bookingsRatioToPgbench ?? 'n/a'})`,
      formatCpu('the storm', loadCpu, storm.ok, 'booking'),
      ...(loadStatements
        ? [
            formatStatements('the storm', loadStatements, 'booking'),
            `  (${round(loadStatements.totalCalls / storm.attempts, 1)} calls per attempt, refusals included)`,
          ]
        : []),
    ].join('\n'),
  );
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runBenchmark('booking-storm', benchBookingStorm);
