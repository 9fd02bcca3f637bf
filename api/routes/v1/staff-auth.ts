import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { hashPassword, verifyPassword } from '../../../domain/passwords.js';
import { writeAudit } from '../../../db/repositories/audit.js';
import { issueStaffToken } from '../../auth/tokens.js';
import { unauthorized } from '../../errors.js';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';

// Compared against when the username is unknown, so a miss costs the same time as a wrong password.
const decoyHash = hashPassword('decoy-password-for-timing');

const StaffProfile = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.String(),
  stateId: Type.Union([Type.Integer(), Type.Null()]),
  districtId: Type.Union([Type.Integer(), Type.Null()]),
});

const staffAuthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/staff/login',
    {
      // 10 tries a minute per account from one address (a shared clinic network is not locked out by one guesser).
      config: {
        rateLimit: {
          max: 10,
          timeWindow: '1 minute',
          keyGenerator: (request) =>
            `${request.ip}:${String((request.body as { username?: unknown } | undefined)?.username).toLowerCase()}`,
        },
      },
      schema: {
        tags: ['staff'],
        summary: 'Staff password login',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
            password: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ token: Type.String(), expiresInSeconds: Type.Integer(), staff: StaffProfile }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const staff = await app.db
        .selectFrom('staff_user')
        .select(['id', 'name', 'role', 'state_id', 'district_id', 'password_hash', 'active'])
        .where('username', '=', request.body.username)
        .executeTakeFirst();
      const valid = await verifyPassword(staff?.password_hash ?? (await decoyHash), request.body.password);
      if (!staff || !valid || !staff.active) throw unauthorized('wrong username or password');
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
      await app.revokeToken(me.jti, me.exp);
      return reply.status(204).send(null);
    },
  );
};

export default staffAuthRoutes;
