import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, type Db } from '../../db/connection.js';
import { migrateAllDown, migrateToLatest } from '../../db/migrator.js';
import { withDatabase } from '../../stack/postgres.js';

const serverUrl = inject('postgresServerUrl');
const database = `teeka_migrations_${randomBytes(4).toString('hex')}`;
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

async function tableNames(): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_name not like 'kysely_%'
    order by table_name`.execute(db);
  return rows.map((r) => r.table_name);
}

beforeAll(async () => {
  await admin(`create database ${database}`);
  ({ db } = createDb({ connectionString: withDatabase(serverUrl, database) }));
});

afterAll(async () => {
  await db.destroy();
  await admin(`drop database if exists ${database} with (force)`);
});

describe('migrations on a fresh schema', () => {
  it('go up to the full domain model, all the way down, and up again', async () => {
    const applied = await migrateToLatest(db);
    expect(applied.length).toBeGreaterThanOrEqual(4);
    const tables = await tableNames();
    for (const table of [
      'state',
      'district',
      'pincode',
      'vaccine',
      'site',
      'session_day',
      'session_slot',
      'staff_user',
      'session_assignment',
      'account',
      'beneficiary',
      'otp_challenge',
      'appointment',
      'dose',
      'aefi_report',
      'sms_message',
      'certificate',
      'audit_log',
      'workflow_outbox',
      'district_coverage',
      'district_hourly_doses',
    ]) {
      expect(tables).toContain(table);
    }

    const reverted = await migrateAllDown(db);
    expect(reverted).toHaveLength(applied.length);
    expect(await tableNames()).toEqual([]);

    expect(await migrateToLatest(db)).toHaveLength(applied.length);
    expect(await migrateToLatest(db)).toEqual([]);
  });
});
