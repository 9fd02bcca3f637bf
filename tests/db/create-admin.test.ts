/**
 * `npm run admin:create` on a fresh deployment's database: the first national admin is created with a password read
 * from stdin or the environment (never printed), can sign in, is in the audit log, and a second run is refused.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../db/connection.js';
import { migrateToLatest } from '../../db/migrator.js';
import { projectRoot } from '../../stack/layout.js';
import { withDatabase } from '../../stack/postgres.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

// A database of its own: "is there a national admin yet" must not see the suite's other staff.
const serverUrl = inject('postgresServerUrl');
const database = `teeka_admin_${randomBytes(4).toString('hex')}`;
const databaseUrl = withDatabase(serverUrl, database);
let db: Db;
let platform: TestPlatform;

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
  ({ db } = createDb({ connectionString: databaseUrl }));
  await migrateToLatest(db);
  platform = await startTestPlatform({ databaseUrl });
});

afterAll(async () => {
  await platform?.close();
  await db?.destroy();
  await admin(`drop database if exists ${database} with (force)`);
});

function createAdmin(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, ...options.env };
  if (!options.env?.TEEKA_ADMIN_PASSWORD) delete env.TEEKA_ADMIN_PASSWORD;
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'db/create-admin.ts', ...args], {
    cwd: projectRoot,
    env,
    input: options.stdin ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

async function signIn(username: string, password: string) {
  return platform.app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username, password } });
}

describe('npm run admin:create', () => {
  it('refuses a weak password and creates nobody', async () => {
    const run = createAdmin(['--username', 'ministry.admin'], { env: { TEEKA_ADMIN_PASSWORD: 'short' } });
    expect(run.status).toBe(1);
    expect(run.output).toContain('at least 10 characters');
    expect(await db.selectFrom('staff_user').select('id').execute()).toEqual([]);
  });

  it('creates the first national admin with the password from stdin, who can then sign in', async () => {
    const password = `first-admin-${randomBytes(6).toString('hex')}`;
    const run = createAdmin(['--username', 'ministry.admin', '--name', 'Ministry Admin'], { stdin: `${password}\n` });
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('created national admin ministry.admin');
    expect(run.output).not.toContain(password);

    const login = await signIn('ministry.admin', password);
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json().token).toEqual(expect.any(String));
    const staff = await db.selectFrom('staff_user').selectAll().executeTakeFirstOrThrow();
    expect(staff).toMatchObject({
      username: 'ministry.admin',
      name: 'Ministry Admin',
      role: 'NATIONAL_ADMIN',
      state_id: null,
      district_id: null,
    });
    expect(staff.password_hash).not.toContain(password);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_type', 'actor_id'])
      .where('entity_id', '=', staff.id)
      .where('action', '=', 'STAFF_CREATED')
      .execute();
    expect(audit).toEqual([{ action: 'STAFF_CREATED', actor_type: 'SYSTEM', actor_id: 'admin:create' }]);
  });

  it('refuses a second national admin: further staff are created in the app', async () => {
    const run = createAdmin(['--username', 'another.admin'], {
      env: { TEEKA_ADMIN_PASSWORD: `second-admin-${randomBytes(6).toString('hex')}` },
    });
    expect(run.status).toBe(1);
    expect(run.output).toContain('a national admin exists already (ministry.admin)');
    expect(await db.selectFrom('staff_user').select('username').execute()).toEqual([{ username: 'ministry.admin' }]);
  });
});
