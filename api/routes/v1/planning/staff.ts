import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createStaff, findStaff, listStaff, updateStaff } from '../../../../db/repositories/staff.js';
import { staffPasswordProblem, staffUsernameProblem } from '../../../../domain/passwords.js';
import { badRequest, forbidden, notFound } from '../../../errors.js';
import { staffOf } from '../../../plugins/auth.js';
import {
  DistrictId,
  NewStaffBody,
  planningErrors,
  StaffPatchBody,
  StaffRole,
  StaffView,
} from '../../../schemas/planning.js';
import { Uuid } from '../../../schemas/v1.js';
import { listScope, OFFICER_ROLES, staffManagementRefusal } from './jurisdiction.js';

function checkPassword(password: string, username: string): void {
  const problem = staffPasswordProblem(password, username);
  if (problem) throw badRequest('WEAK_PASSWORD', problem);
}

/** Staff administration: officers create, list, deactivate/reactivate and reset the passwords of staff below them. */
const staffRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/staff',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['staff administration'],
        summary: 'Create a staff account one level below you, in your jurisdiction',
        body: NewStaffBody,
        response: { 201: StaffView, ...planningErrors },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const { username, password, role } = request.body;
      const usernameProblem = staffUsernameProblem(username);
      if (usernameProblem) throw badRequest('INVALID_USERNAME', usernameProblem);
      checkPassword(password, username);

      // Jurisdiction follows the role: district-bound staff take their state from the district.
      let stateId: number | null = null;
      let districtId: number | null = null;
      if (role === 'DISTRICT_OFFICER' || role === 'VACCINATOR') {
        if (request.body.districtId === undefined)
          throw badRequest('DISTRICT_REQUIRED', `a ${role.toLowerCase().replace('_', ' ')} needs a districtId`);
        const district = await app.db
          .selectFrom('district')
          .select(['id', 'state_id'])
          .where('id', '=', request.body.districtId)
          .executeTakeFirst();
        if (!district) throw notFound('district');
        if (request.body.stateId !== undefined && request.body.stateId !== district.state_id)
          throw badRequest('STATE_MISMATCH', 'that district is not in that state');
        stateId = district.state_id;
        districtId = district.id;
      } else if (role === 'STATE_OFFICER') {
        if (request.body.stateId === undefined || request.body.districtId !== undefined)
          throw badRequest('STATE_REQUIRED', 'a state officer needs a stateId and no districtId');
        const state = await app.db
          .selectFrom('state')
          .select('id')
          .where('id', '=', request.body.stateId)
          .executeTakeFirst();
        if (!state) throw notFound('state');
        stateId = state.id;
      } else if (request.body.stateId !== undefined || request.body.districtId !== undefined) {
        throw badRequest('NO_JURISDICTION', 'a national admin has no stateId or districtId');
      }

      const refusal = staffManagementRefusal(me, { role, stateId, districtId });
      if (refusal) throw forbidden(refusal);
      const created = await createStaff(
        app.db,
        { username, password, name: request.body.name, mobile: request.body.mobile ?? null, role, stateId, districtId },
        { type: 'STAFF', id: me.staffId, role: me.role },
      );
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/staff',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['staff administration'],
        summary: 'Staff in your jurisdiction, or in one district of it',
        querystring: Type.Object(
          {
            districtId: Type.Optional(DistrictId),
            role: Type.Optional(StaffRole),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ staff: Type.Array(StaffView) }), ...planningErrors },
      },
    },
    async (request) => {
      const scope = await listScope(app.db, staffOf(request), request.query.districtId);
      return { staff: await listStaff(app.db, scope, { role: request.query.role, active: request.query.active }) };
    },
  );

  app.patch(
    '/staff/:staffId',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['staff administration'],
        summary: 'Deactivate or reactivate a staff member, reset their password, or correct their name or mobile',
        params: Type.Object({ staffId: Uuid }),
        body: StaffPatchBody,
        response: { 200: StaffView, ...planningErrors },
      },
    },
    async (request) => {
      const me = staffOf(request);
      const target = await findStaff(app.db, request.params.staffId);
      if (!target) throw notFound('staff member');
      const refusal = staffManagementRefusal(me, target);
      if (refusal) throw forbidden(refusal);
      if (target.id === me.staffId && request.body.active === false)
        throw badRequest('SELF_DEACTIVATION', 'you cannot deactivate your own account');
      if (request.body.password !== undefined) checkPassword(request.body.password, target.username);
      return updateStaff(app.db, target.id, request.body, { type: 'STAFF', id: me.staffId, role: me.role });
    },
  );
};

export default staffRoutes;
