/**
 * The one way tests make a staff member with a token: a staff_user row of the role in the district, a token of
 * the kind staff login issues, and optionally a place on a session day's team. By default the token is signed
 * directly (password login is rate-limited per IP); `login` logs in through POST /api/v1/staff/login instead, for
 * tests about what a real login does. `staffWithPassword` makes one who logs in by themselves, for tests of login.
 */
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { issueStaffToken } from '../../api/auth/tokens.js';
import type { Db } from '../../db/connection.js';
import type { StaffRole, TeamRole } from '../../db/schema.js';
import { hashPassword } from '../../domain/passwords.js';
import { insertStaff, PUNE, type District } from './fixtures.js';

export const TEST_STAFF_PASSWORD = 'correct horse battery staple';

export interface StaffMember {
  staffId: string;
  username: string;
  role: StaffRole;
  stateId: number | null;
  districtId: number | null;
  name: string;
  mobile: string;
  token: string;
  headers: { authorization: string };
}

export interface StaffOptions {
  /** Put the staff member on this session day's team (as a vaccinator unless `teamRole` says otherwise). */
  sessionDayId?: string;
  teamRole?: TeamRole;
  /** Log in through the API with a password instead of signing the token; needs the app. */
  login?: { app: FastifyInstance; remoteAddress?: string };
  /** Give a password (TEST_STAFF_PASSWORD) to a staff member whose token is signed, to sign in on a screen too. */
  password?: boolean;
}

/**
 * A staff member who can log in with `password` (TEST_STAFF_PASSWORD unless told), for tests of login itself:
 * lockouts, wrong passwords, what a login is logged as.
 */
export async function staffWithPassword(
  db: Db,
  role: StaffRole,
  district: Pick<District, 'stateId' | 'districtId'> = PUNE,
  password = TEST_STAFF_PASSWORD,
): Promise<{ id: string; username: string }> {
  const staff = await insertStaff(db, role, district as District);
  await db
    .updateTable('staff_user')
    .set({ password_hash: await hashPassword(password) })
    .where('id', '=', staff.id)
    .execute();
  return staff;
}

export async function staffWithToken(
  db: Db,
  /** Signs the token; unused (undefined) when `options.login` logs in instead. */
  tokenSecret: string | undefined,
  role: StaffRole,
  district: Pick<District, 'stateId' | 'districtId'> = PUNE,
  options: StaffOptions = {},
): Promise<StaffMember> {
  const { id, username } =
    options.login || options.password
      ? await staffWithPassword(db, role, district)
      : await insertStaff(db, role, district as District);
  const row = await db
    .selectFrom('staff_user')
    .select(['role', 'state_id', 'district_id', 'name', 'mobile'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  if (options.sessionDayId) {
    const day = await db
      .selectFrom('session_day')
      .select('date')
      .where('id', '=', options.sessionDayId)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('session_assignment')
      .values({
        session_day_id: options.sessionDayId,
        staff_id: id,
        session_date: day.date,
        team_role: options.teamRole ?? 'VACCINATOR',
        assigned_by: null,
      })
      .execute();
  }
  let token: string;
  if (options.login) {
    const login = await options.login.app.inject({
      method: 'POST',
      url: '/api/v1/staff/login',
      payload: { username, password: TEST_STAFF_PASSWORD },
      ...(options.login.remoteAddress ? { remoteAddress: options.login.remoteAddress } : {}),
    });
    expect(login.statusCode, login.body).toBe(200);
    token = login.json().token as string;
  } else {
    if (!tokenSecret) throw new Error('staffWithToken: a signed token needs the token secret (or use login)');
    ({ token } = await issueStaffToken(tokenSecret, {
      id,
      role: row.role,
      stateId: row.state_id,
      districtId: row.district_id,
      name: row.name,
    }));
  }
  return {
    staffId: id,
    username,
    role: row.role,
    stateId: row.state_id,
    districtId: row.district_id,
    name: row.name,
    mobile: row.mobile!,
    token,
    headers: { authorization: `Bearer ${token}` },
  };
}
