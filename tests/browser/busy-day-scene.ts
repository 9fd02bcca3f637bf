/**
 * A busy drive day for screenshots of the war room: coverage, daily and hourly rollups for every district, as the
 * dose triggers would have left them after weeks of vaccination. Deterministic (no randomness), and only ever
 * written to a database of its own (`busyDayDatabase`): in the suite's shared database it would overwrite the
 * figures other test files count from the doses they record.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrator.js';
import { seedReferenceData } from '../../db/seed.js';
import { registerSuiteBatches } from '../support/suite-batches.js';
import { addDays, indiaDate, indiaInstant } from '../../domain/time.js';
import { withDatabase } from '../../stack/postgres.js';

export interface BusyDayDatabase {
  /** For `startBrowserPlatform({ databaseUrl })`. */
  databaseUrl: string;
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database on the suite's Postgres at the latest migration, with reference data and the busy day. The
 * suite's worker serves the shared database only, so a platform on this one reads; it starts no journeys.
 */
export async function busyDayDatabase(): Promise<BusyDayDatabase> {
  const serverUrl = inject('postgresServerUrl');
  const name = `teeka_busy_day_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `create database ${name}`);
  const databaseUrl = withDatabase(serverUrl, name);
  const { db } = createDb({ connectionString: databaseUrl });
  try {
    await migrateToLatest(db);
    await seedReferenceData(db);
    await registerSuiteBatches(db);
    await seedBusyDayScene(db);
  } finally {
    await db.destroy();
  }
  return { databaseUrl, drop: () => onServer(serverUrl, `drop database if exists ${name} with (force)`) };
}

const wave = (n: number) => {
  const x = Math.sin(n * 12.9898) * 43758.5453;
  return x - Math.floor(x);
};

export async function seedBusyDayScene(db: Db, now = new Date()): Promise<void> {
  const districts = await db.selectFrom('district').select(['id', 'state_id', 'target_population']).execute();
  const today = indiaDate(now);
  const dayStart = indiaInstant(today, '00:00');
  const hoursSoFar = Math.min(23, Math.floor((now.getTime() - dayStart.getTime()) / 3_600_000));
  for (const d of districts) {
    // States differ (the map needs contrast); districts vary around their state.
    const stateLevel = 0.12 + 0.7 * wave(d.state_id * 7);
    const dose1 = Math.round(d.target_population * Math.min(0.97, stateLevel * (0.75 + 0.5 * wave(d.id))));
    const dose2 = Math.round(dose1 * (0.35 + 0.4 * wave(d.id * 3)));
    await db
      .insertInto('district_coverage')
      .values({ district_id: d.id, dose1, dose2 })
      .onConflict((oc) => oc.column('district_id').doUpdateSet({ dose1, dose2 }))
      .execute();
    const perDay = Math.max(1, Math.round((dose1 + dose2) / 90));
    const days = Array.from({ length: 30 }, (_, i) => {
      const date = addDays(today, -29 + i);
      const doses = Math.round(
        perDay * (0.6 + 0.8 * (i / 29)) * (0.85 + 0.3 * wave(d.id + i)) * (i === 29 ? (hoursSoFar + 1) / 12 : 1),
      );
      const first = Math.round(doses * 0.62);
      return { district_id: d.id, date, doses, dose1: first, dose2: doses - first };
    });
    await sql`insert into district_daily_doses (district_id, date, doses, dose1, dose2)
      select * from jsonb_to_recordset(${JSON.stringify(days)}::jsonb) as x(district_id int, date date, doses int, dose1 int, dose2 int)
      on conflict (district_id, date) do update set doses = excluded.doses, dose1 = excluded.dose1, dose2 = excluded.dose2`.execute(
      db,
    );
    const todays = days[29]!.doses;
    const hours = Array.from({ length: hoursSoFar + 1 }, (_, h) => {
      // A vaccination day: a morning peak, a lunch dip, an afternoon peak; a catch-up drive keeps some sessions open
      // through the night, so the current hour has doses whenever the suite runs (the map's throughput markers).
      const shape = h < 8 || h > 19 ? 0.1 : ([0.4, 1, 1.2, 1.1, 0.6, 0.9, 1.1, 1, 0.8, 0.5, 0.3, 0.1][h - 8] ?? 0.2);
      return {
        district_id: d.id,
        hour: new Date(dayStart.getTime() + h * 3_600_000).toISOString(),
        doses: Math.round((todays / 10) * shape),
      };
    });
    await sql`insert into district_hourly_doses (district_id, hour, doses)
      select * from jsonb_to_recordset(${JSON.stringify(hours)}::jsonb) as x(district_id int, hour timestamptz, doses int)
      on conflict (district_id, hour) do update set doses = excluded.doses`.execute(db);
  }
}
