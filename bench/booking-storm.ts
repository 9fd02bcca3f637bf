/**
 * Booking storm: 10,000 booking attempts from 1,000 concurrent clients on 1,000 seats → exactly 1,000 booked,
 * each through the person's journey workflow (an Update) and the conditional seat UPDATE. Reports bookings per
 * second and p99; baseline: the raw conditional seat UPDATE alone, same attempts and concurrency, same run.
 */
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { issueBeneficiaryTokens } from '../api/auth/tokens.js';
import { createSessionDay } from '../db/repositories/session-days.js';
import { indiaDate } from '../domain/time.js';
import { BENCH_DISTRICT, createPeople, startJourneys, temporalClient } from './lib/fixtures.js';
import { load } from './lib/load.js';
import { BENCH_SECRETS, startBenchPlatform, type BenchPlatform } from './lib/platform.js';
import { round, runConcurrent, writeResult } from './lib/report.js';

const ATTEMPTS = Number(process.env.BENCH_BOOKING_ATTEMPTS ?? 10_000);
const SEATS = Number(process.env.BENCH_SEATS ?? 1_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);

async function baselineSeatUpdates(
  databaseUrl: string,
  sessionDayId: string,
): Promise<{ perSecond: number; booked: number }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 30 });
  let booked = 0;
  const run = await runConcurrent(
    Array.from({ length: ATTEMPTS }, (_, i) => i),
    CLIENTS,
    async () => {
      const { rowCount } = await pool.query(
        'update session_day set dose1_booked = dose1_booked + 1 where id = $1 and dose1_booked < dose1_capacity',
        [sessionDayId],
      );
      booked += rowCount ?? 0;
    },
  );
  await pool.end();
  return { perSecond: run.perSecond, booked };
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
  const seats = (tag: number) =>
    createSessionDay(platform.db, {
      site_id: site.id,
      date: indiaDate(),
      vaccine_code: 'COVISHIELD',
      opens_at: '00:00:00',
      closes_at: `23:5${tag}:00`,
      dose1_capacity: SEATS,
      dose2_capacity: 0,
      walkin_capacity: 0,
      slotMinutes: 240,
    });
  const sessionDayId = await seats(9);
  const baselineSession = await seats(8);

  const people = await createPeople(platform.db, ATTEMPTS, '5');
  const { client, close } = await temporalClient(platform.temporalAddress);
  await startJourneys(client, platform.taskQueue, people, { verified: true, concurrency: 64 });
  await close();
  const tokens = await Promise.all(
    people.map((p) => issueBeneficiaryTokens(BENCH_SECRETS.TOKEN_SECRET, { accountId: p.accountId, mobile: p.mobile })),
  );

  let next = 0;
  const storm = await load({
    url: platform.apiUrls[0],
    connections: CLIENTS,
    amount: ATTEMPTS,
    timeout: 60,
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
  const counts = await sql<{ booked: number; appointments: number; slot_booked: number }>`
    select d.dose1_booked as booked,
           (select count(*)::int from appointment a where a.session_day_id = d.id and a.status = 'BOOKED') as appointments,
           (select sum(booked)::int from session_slot s where s.session_day_id = d.id) as slot_booked
    from session_day d where d.id = ${sessionDayId}`.execute(platform.db);
  const baseline = await baselineSeatUpdates(platform.databaseUrl, baselineSession);
  const bookingsPerSecond = counts.rows[0].booked / (ATTEMPTS / storm.requestsPerSecond);
  const result = {
    command: 'npm run bench -- booking-storm',
    attempts: ATTEMPTS,
    clients: CLIENTS,
    seats: SEATS,
    booked: counts.rows[0].booked,
    bookedAppointmentRows: counts.rows[0].appointments,
    bookedInSlots: counts.rows[0].slot_booked,
    refused: storm.non2xx,
    errors: storm.errors,
    attemptsPerSecond: storm.requestsPerSecond,
    bookingsPerSecond: round(bookingsPerSecond),
    latencyMs: storm.latencyMs,
    baselineRawSeatUpdatesPerSecond: round(baseline.perSecond),
    baselineBooked: baseline.booked,
    ratioToRawUpdate: round(storm.requestsPerSecond / baseline.perSecond, 3),
  };
  writeResult('booking-storm', result);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const platform = await startBenchPlatform();
  try {
    await benchBookingStorm(platform);
  } finally {
    await platform.stop();
  }
}
