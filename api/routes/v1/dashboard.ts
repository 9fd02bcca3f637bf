/**
 * War-room dashboards (REST): national, state and district figures from the rollups, each read on one consistent
 * snapshot. The same payloads are the `snapshot` a socket.io client gets when it joins a room (api/plugins/live.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { readDashboard, withConsistentRead, type DashboardScope } from '../../../db/repositories/dashboard.js';
import { assertDistrictAccess, assertNationalAccess, assertStateAccess } from '../../auth/jurisdiction.js';
import { notFound } from '../../errors.js';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { Dashboard } from '../../schemas/dashboard.js';

const Params = (max: number) =>
  Type.Object({ id: Type.Integer({ minimum: 1, maximum: max }) }, { additionalProperties: false });
const response = { 200: Dashboard, ...errorResponses };

const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const read = async (scope: DashboardScope) => {
    const dashboard = await withConsistentRead(app.db, (trx) => readDashboard(trx, scope));
    if (!dashboard) throw notFound(scope.kind);
    return dashboard;
  };

  app.get(
    '/dashboard/national',
    {
      preHandler: app.requireStaff('NATIONAL_ADMIN'),
      schema: {
        tags: ['war room'],
        summary: 'National KPIs, coverage by state and by district, doses per hour, 30-day coverage, stalled sessions',
        response,
      },
    },
    async (request) => {
      assertNationalAccess(staffOf(request));
      return read({ kind: 'national' });
    },
  );

  app.get(
    '/dashboard/states/:id',
    {
      preHandler: app.requireStaff('STATE_OFFICER', 'NATIONAL_ADMIN'),
      schema: {
        tags: ['war room'],
        summary: 'A state: KPIs, coverage by district, doses per hour, 30-day coverage, stalled sessions',
        params: Params(99),
        response,
      },
    },
    async (request) => {
      await assertStateAccess(app.db, staffOf(request), request.params.id);
      return read({ kind: 'state', stateId: request.params.id });
    },
  );

  app.get(
    '/dashboard/districts/:id',
    {
      preHandler: app.requireStaff(),
      schema: {
        tags: ['war room'],
        summary: "A district: KPIs, coverage, doses per hour, 30-day coverage, today's session days with pace",
        params: Params(999_999),
        response,
      },
    },
    async (request) => {
      await assertDistrictAccess(app.db, staffOf(request), request.params.id);
      return read({ kind: 'district', districtId: request.params.id });
    },
  );
};

export default dashboardRoutes;
