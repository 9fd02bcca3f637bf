/**
 * Doses: sustained doses per second through the vaccinator API — each committed, its journey signalled and
 * the live feed published — with p50/p99 latency; baseline: raw single-row INSERTs into a plain table of the
 * same shape in the same Postgres, at the same concurrency, in the same run.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { createPeople, createSessionsWithVaccinators, startJourneys, temporalClient } from './lib/fixtures.js';
import { load } from './lib/load.js';
import { startBenchPlatform, type BenchPlatform } from './lib/platform.js';
import { round, runConcurrent, writeResult } from './lib/report.js';
import { adminToken, liveProbe } from './lib/live-probe.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);

async function baselineInserts(databaseUrl: string, count: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 30 });
  await pool.query('create table if not exists bench_baseline_dose (like dose including defaults)');
  const rows = Array.from({ length: count }, () => randomUUID());
  const run = await runConcurrent(rows, CONNECTIONS, async (id) => {
    await pool.query(
      `insert into bench_baseline_dose (beneficiary_id, dose_number, vaccine_code, batch, site_id, session_day_id, district_id, vaccinator_id, administered_at, client_event_id)
       values ($1, 1, 'COVISHIELD', 'B1', 1, $1, 27024, $1, now(), $1)`,
      [id],
    );
  });
  await pool.query('drop table bench_baseline_dose');
  await pool.end();
  return run.perSecond;
}

export async function benchDoses(platform: BenchPlatform, count = Number(process.env.BENCH_DOSES ?? 20_000)) {
  const people = await createPeople(platform.db, count, '3');
  const { client, close } = await temporalClient(platform.temporalAddress);
  await startJourneys(client, platform.taskQueue, people, { verified: true, concurrency: 64 });
  await close();
  const sessions = await createSessionsWithVaccinators(platform.db, platform.apiUrls[0], 20, {
    dose1: 0,
    walkin: Math.ceil(count / 20) + 1,
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

  let next = 0;
  const api = await load({
    url: platform.apiUrls[0],
    connections: CONNECTIONS,
    amount: count,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/doses',
        setupRequest: (request) => {
          const i = next++ % count;
          const person = people[i];
          const session = sessions[i % sessions.length];
          return {
            ...request,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
            body: JSON.stringify({
              referenceId: person.referenceId,
              secretCode: person.secretCode,
              sessionDayId: session.sessionDayId,
              vaccineCode: 'COVISHIELD',
              batch: 'BENCH-1',
              clientEventId: `bench-${i}-${person.referenceId}`,
            }),
          };
        },
      },
    ],
  });
  await new Promise((r) => setTimeout(r, 2_000));
  const live = probe.stop();

  const stored = await platform.db
    .selectFrom('dose')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('batch', '=', 'BENCH-1')
    .executeTakeFirstOrThrow();
  // Every stored dose must reach its journey: wait for the outbox to drain and the stages to move.
  const deadline = Date.now() + 5 * 60_000;
  let signalled = 0;
  while (Date.now() < deadline) {
    const { n } = await platform.db
      .selectFrom('beneficiary')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('stage', '=', 'DOSE1_DONE')
      .where('name', 'like', 'Bench Person %')
      .executeTakeFirstOrThrow();
    signalled = n;
    if (signalled >= stored.n) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const pending = await sql<{
    n: number;
  }>`select count(*)::int as n from workflow_outbox where delivered_at is null`.execute(platform.db);
  const baseline = await baselineInserts(platform.databaseUrl, Math.min(count, 20_000));
  const result = {
    command: 'npm run bench -- doses',
    connections: CONNECTIONS,
    dosesPerSecond: api.requestsPerSecond,
    latencyMs: api.latencyMs,
    non2xx: api.non2xx,
    errors: api.errors,
    stored: stored.n,
    journeysSignalled: signalled,
    outboxPending: pending.rows[0].n,
    baselineRawInsertsPerSecond: round(baseline),
    ratioToRawInserts: round(api.requestsPerSecond / baseline, 3),
    liveFeed: live,
  };
  writeResult('doses', result);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const platform = await startBenchPlatform();
  try {
    await benchDoses(platform);
  } finally {
    await platform.stop();
  }
}
