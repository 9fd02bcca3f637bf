import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Db } from '../../../db/connection.js';
import { hashPassword, verifyPassword } from '../../../domain/passwords.js';
import { writeAudit } from '../../../db/repositories/audit.js';
import { issueStaffToken } from '../../auth/tokens.js';
import { clientAddressKey } from '../../client-address.js';
import { AppError, unauthorized } from '../../errors.js';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { StaffLogin, StaffProfile } from '../../schemas/staff-auth.js';

// Compared against when the username is unknown, so a miss costs the same time as a wrong password.
const decoyHash = hashPassword('decoy-password-for-timing');

/**
 * Counts a wrong password in the statement that reads the count, so parallel guesses cannot slip under the lock.
 * From the 5th in a row the account is locked for a minute, doubling with each further one up to an hour. Returns
 * the lock's length when this failure set one.
 */
async function recordLoginFailure(db: Db, staffId: string): Promise<number | undefined> {
  const row = await db
    .updateTable('staff_user')
    .set((eb) => ({
      failed_logins: eb('failed_logins', '+', 1),
      login_locked_until: sql<Date | null>`case when failed_logins + 1 >= ${LOGIN_FAILURES_BEFORE_LOCK}
        then now() + least(${FIRST_LOCK_SECONDS} * power(2, failed_logins + 1 - ${LOGIN_FAILURES_BEFORE_LOCK}), ${MAX_LOCK_SECONDS}) * interval '1 second'
        else login_locked_until end`,
    }))
    .where('id', '=', staffId)
    .returning([sql<number | null>`ceil(extract(epoch from login_locked_until - now()))`.as('locked_for_seconds')])
    .executeTakeFirst();
  return row?.locked_for_seconds != null && row.locked_for_seconds > 0 ? row.locked_for_seconds : undefined;
}

function accountLocked(seconds: number): AppError {
  const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
  return new AppError(
    'ACCOUNT_LOCKED',
    `too many wrong passwords for this account; try again in ${wait}, or ask your officer to reset the password`,
    { retryAfterSeconds: seconds },
  );
}

/** Wrong passwords in a row before an account is locked; each further one doubles the lock, up to MAX_LOCK. */
export const LOGIN_FAILURES_BEFORE_LOCK = 5;
export const FIRST_LOCK_SECONDS = 60;
export const MAX_LOCK_SECONDS = 60 * 60;
/** Password checks (Argon2, 19 MiB and tens of ms each) one address may have running at once in a process. */
const HASHES_IN_FLIGHT_PER_ADDRESS = 2;

const staffAuthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const hashing = new Map<string, number>();

  app.post(
    '/staff/login',
    {
      // Counted before anything is hashed: one address sprays no more than its budget, whatever the usernames.
      preHandler: app.limits.staffLogin,
      schema: {
        tags: ['staff'],
        summary: 'Staff password login (locked for a while after 5 wrong passwords in a row)',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
            password: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: StaffLogin,
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const staff = await app.db
        .selectFrom('staff_user')
        .select([
          'id',
          'name',
          'role',
          'state_id',
          'district_id',
          'password_hash',
          'active',
          'token_generation',
          sql<number>`ceil(extract(epoch from login_locked_until - now()))`.as('locked_for_seconds'),
        ])
        .where('username', '=', request.body.username)
        .executeTakeFirst();
      // A locked account costs no hash: guesses from any number of addresses wait out the lock.
      if (staff && staff.locked_for_seconds > 0) throw accountLocked(staff.locked_for_seconds);

      const address = clientAddressKey(request.ip);
      const running = hashing.get(address) ?? 0;
      if (running >= HASHES_IN_FLIGHT_PER_ADDRESS)
        throw new AppError('RATE_LIMITED', 'wait for your other sign-in attempts to finish');
      hashing.set(address, running + 1);
      let valid: boolean;
      try {
        valid = await verifyPassword(staff?.password_hash ?? (await decoyHash), request.body.password);
      } finally {
        const left = (hashing.get(address) ?? 1) - 1;
        if (left > 0) hashing.set(address, left);
        else hashing.delete(address);
      }

      if (staff && !valid) {
        const lockedFor = await recordLoginFailure(app.db, staff.id);
        if (lockedFor !== undefined) {
          await writeAudit(app.db, {
            actor: { type: 'SYSTEM', id: 'staff-login', role: null },
            action: 'STAFF_LOGIN_LOCKED',
            entityType: 'staff_user',
            entityId: staff.id,
            details: { lockedForSeconds: lockedFor },
          });
        }
      }
      if (!staff || !valid || !staff.active) throw unauthorized('wrong username or password');
      await app.db
        .updateTable('staff_user')
        .set({ failed_logins: 0, login_locked_until: null })
        .where('id', '=', staff.id)
        .where('failed_logins', '>', 0)
        .execute();
      await writeAudit(app.db, {
        actor: { type: 'STAFF', id: staff.id, role: staff.role },
        action: 'STAFF_LOGIN',
        entityType: 'staff_user',
        entityId: staff.id,
      });
      const issued = await issueStaffToken(app.config.tokenSecret, {
        id: staff.id,
        role: staff.role,
        stateId: staff.state_id,
        districtId: staff.district_id,
        name: staff.name,
        generation: staff.token_generation,
      });
      return {
        ...issued,
        staff: {
          id: staff.id,
          name: staff.name,
          role: staff.role,
          stateId: staff.state_id,
          districtId: staff.district_id,
        },
      };
    },
  );

  app.get(
    '/staff/me',
    {
      preHandler: app.requireStaff(),
      schema: {
        tags: ['staff'],
        summary: 'The logged-in staff member',
        response: { 200: StaffProfile, ...errorResponses },
      },
    },
    async (request) => {
      const me = staffOf(request);
      return { id: me.staffId, name: me.name, role: me.role, stateId: me.stateId, districtId: me.districtId };
    },
  );

  app.post(
    '/staff/logout',
    {
      preHandler: app.requireStaff(),
      schema: {
        tags: ['staff'],
        summary: 'Revoke the current staff token',
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      // Its live sockets close too, on whichever API process holds them (the revocation is announced).
      await app.revokeToken(me.jti, me.exp);
      return reply.status(204).send(null);
    },
  );
};

export default staffAuthRoutes;
