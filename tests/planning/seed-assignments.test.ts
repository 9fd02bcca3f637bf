import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrator.js';
import { seedDemoData, seedReferenceData } from '../../db/seed.js';
import { addDays, indiaDate } from '../../domain/time.js';
import { withDatabase } from '../../stack/postgres.js';

// Demo data goes into a database of its own, so the suite's shared database never sees demo sessions.
const serverUrl = inject('postgresServerUrl');
const database = `teeka_seed_${randomBytes(4).toString('hex')}`;
let db: Db;

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await admin(`create database ${database}`);
  ({ db } = createDb({ connectionString: withDatabase(serverUrl, database) }));
  await migrateToLatest(db);
  await seedReferenceData(db);
});

afterAll(async () => {
  await db.destroy();
  await admin(`drop database if exists ${database} with (force)`);
});

async function assignmentsOf(username: string) {
  return db
    .selectFrom('session_assignment')
    .innerJoin('staff_user', 'staff_user.id', 'session_assignment.staff_id')
    .innerJoin('session_day', 'session_day.id', 'session_assignment.session_day_id')
    .select([
      'session_assignment.session_date',
      'session_assignment.team_role',
      'session_day.district_id',
      'session_day.date',
    ])
    .where('staff_user.username', '=', username)
    .orderBy('session_assignment.session_date')
    .execute();
}

describe('the demo seed', () => {
  it('puts each demo vaccinator on one session day of their district for each of the 7 days, once however often it runs', async () => {
    const today = indiaDate();
    await seedDemoData(db, today);
    await seedDemoData(db, today);
    const week = Array.from({ length: 7 }, (_, day) => addDays(today, day));
    for (const [username, districtId] of [
      ['pune.vaccinator', 27024],
      ['delhi.vaccinator', 7003],
    ] as const) {
      const assignments = await assignmentsOf(username);
      expect(assignments.map((a) => a.session_date)).toEqual(week);
      expect(
        assignments.every(
          (a) => a.district_id === districtId && a.date === a.session_date && a.team_role === 'VACCINATOR',
        ),
      ).toBe(true);
    }
    const audits = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'STAFF_ASSIGNED')
      .where('actor_id', '=', 'seed')
      .execute();
    expect(audits).toHaveLength(14);
  });
});
