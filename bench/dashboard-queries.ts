/**
 * Dashboard queries with 10 million dose rows: the war-room snapshot (national, a state, a district) read the
 * way the API reads it, p50/p95 over repeated reads; baselines in the same run: a bare `select 1` round trip,
 * and the naive answer to one KPI (count today's doses of a state straight from `dose`).
 */
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { readDashboard, withConsistentRead, type DashboardScope } from '../db/repositories/dashboard.js';
import { createSessionDay } from '../db/repositories/session-days.js';
import { indiaDate } from '../domain/time.js';
import { startBenchPlatform, type BenchPlatform } from './lib/platform.js';
import { round, summarise, writeResult } from './lib/report.js';

const ROWS = Number(process.env.BENCH_DOSE_ROWS ?? 10_000_000);
const READS = Number(process.env.BENCH_DASHBOARD_READS ?? 200);

/** Loads `rows` doses (two per person) over every district, then rebuilds the rollups the trigger keeps. */
async function loadDoses(platform: BenchPlatform, rows: number) {
  const { db } = platform;
  const people = Math.ceil(rows / 2);
  const vaccinator = await db
    .insertInto('staff_user')
    .values({
      username: 'bench.history',
      password_hash: 'x',
      name: 'Historic vaccinator',
      role: 'NATIONAL_ADMIN',
      state_id: null,
      district_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const site = await db
    .insertInto('site')
    .values({
      name: 'Historic site',
      name_hi: null,
      address: 'x',
      block: 'x',
      pincode: 411001,
      district_id: 27024,
      lat: 18.5,
      lng: 73.8,
      ownership: 'GOVERNMENT',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const sessionDayId = await createSessionDay(db, {
    site_id: site.id,
    date: indiaDate(),
    vaccine_code: 'COVISHIELD',
    opens_at: '00:00:00',
    closes_at: '23:59:00',
    dose1_capacity: 0,
    dose2_capacity: 0,
    slotMinutes: 1439,
  });
  await db.connection().execute(async (conn) => {
    // A bulk historical load: skip per-row triggers (rollups are rebuilt below in one pass each).
    await sql`set session_replication_role = replica`.execute(conn);
    await sql`insert into account (mobile) select '8' || lpad(g::text, 9, '0') from generate_series(1, ${Math.ceil(people / 4)}) g`.execute(
      conn,
    );
    await sql`
      insert into beneficiary (reference_id, account_id, name, birth_year, gender, id_type, id_hash, id_last4, secret_code, stage)
      select '7' || lpad(g::text, 13, '0'), a.id, 'Historic ' || g, 1950 + g % 50, case when g % 2 = 0 then 'F' else 'M' end, 1, md5('h' || g), '0000', '0000', 'FULLY_VACCINATED'
      from generate_series(1, ${people}) g join account a on a.mobile = '8' || lpad(((g - 1) / 4 + 1)::text, 9, '0')`.execute(
      conn,
    );
    await sql`
      insert into dose (beneficiary_id, dose_number, vaccine_code, batch, site_id, session_day_id, district_id, vaccinator_id, administered_at, recorded_at, client_event_id)
      select b.id, n, 'COVISHIELD', 'HIST', ${site.id}, ${sessionDayId}::uuid, d.id, ${vaccinator.id}::uuid,
             now() - ((b.birth_year % 300) || ' days')::interval + (n * 84 || ' days')::interval - interval '200 days',
             now(), 'hist-' || b.reference_id || '-' || n
      from beneficiary b
      cross join generate_series(1, 2) n
      join (select id, (row_number() over (order by id) - 1)::int as k from district) d
        on d.k = (hashtext(b.reference_id) & 2147483647) % (select count(*) from district)
      where b.name like 'Historic %'`.execute(conn);
    await sql`set session_replication_role = origin`.execute(conn);
  });
  await sql`delete from district_coverage`.execute(db);
  await sql`insert into district_coverage (district_id, dose1, dose2) select district_id, count(*) filter (where dose_number = 1), count(*) filter (where dose_number = 2) from dose group by 1`.execute(
    db,
  );
  await sql`delete from district_hourly_doses`.execute(db);
  await sql`insert into district_hourly_doses (district_id, hour, doses) select district_id, date_trunc('hour', administered_at, 'Asia/Kolkata'), count(*) from dose group by 1, 2`.execute(
    db,
  );
  await sql`delete from district_daily_doses`.execute(db);
  await sql`insert into district_daily_doses (district_id, date, doses, dose1, dose2) select district_id, (administered_at at time zone 'Asia/Kolkata')::date, count(*), count(*) filter (where dose_number = 1), count(*) filter (where dose_number = 2) from dose group by 1, 2`.execute(
    db,
  );
  await sql`analyze`.execute(db);
}

async function timeReads(read: () => Promise<unknown>) {
  const latencies: number[] = [];
  for (let i = 0; i < READS; i++) {
    const t0 = performance.now();
    await read();
    latencies.push(performance.now() - t0);
  }
  return summarise(latencies);
}

export async function benchDashboardQueries(platform: BenchPlatform) {
  const t0 = performance.now();
  await loadDoses(platform, ROWS);
  const loadSeconds = round((performance.now() - t0) / 1000);
  const { n } = await platform.db
    .selectFrom('dose')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const read = (scope: DashboardScope) => () => withConsistentRead(platform.db, (trx) => readDashboard(trx, scope));
  const result = {
    command: 'npm run bench -- dashboard-queries',
    doseRows: n,
    loadSeconds,
    readsEach: READS,
    nationalMs: await timeReads(read({ kind: 'national' })),
    stateMs: await timeReads(read({ kind: 'state', stateId: 27 })),
    districtMs: await timeReads(read({ kind: 'district', districtId: 27024 })),
    baselineSelect1Ms: await timeReads(() => sql`select 1`.execute(platform.db)),
    baselineNaiveStateCountMs: summarise(
      await (async () => {
        const latencies: number[] = [];
        for (let i = 0; i < 5; i++) {
          const t = performance.now();
          await sql`select count(*) from dose join district on district.id = dose.district_id where district.state_id = 27`.execute(
            platform.db,
          );
          latencies.push(performance.now() - t);
        }
        return latencies;
      })(),
    ),
  };
  writeResult('dashboard-queries', result);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const platform = await startBenchPlatform({ workers: 0 });
  try {
    await benchDashboardQueries(platform);
  } finally {
    await platform.stop();
  }
}
