/**
 * War-room dashboards (REST): national, state and district figures from the rollups, each read on one consistent
 * snapshot. The same payloads are the `snapshot` a socket.io client gets when it joins a room (api/plugins/live.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { readDashboard, withConsistentRead, type DashboardScope } from '../../../db/repositories/dashboard.js';
import { assertDistrictAccess, assertNationalAccess, assertStateAccess } from '../../auth/jurisdiction.js';
import { notFound } from '../../errors.js';
import { staffOf } from '../../plugins/auth.js';
import { errorResponses } from '../../schemas/common.js';
import { IsoDate, Uuid } from '../../schemas/v1.js';

const Count = Type.Integer({ minimum: 0 });
const NullableCount = Type.Union([Count, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });

export const SessionLiveView = Type.Object({
  sessionDayId: Uuid,
  date: IsoDate,
  status: Type.String(),
  vaccineCode: Type.String(),
  siteId: Type.Integer(),
  siteName: Type.String(),
  lat: Type.Number(),
  lng: Type.Number(),
  districtId: Type.Integer(),
  districtName: Type.String(),
  stateId: Type.Integer(),
  opensAt: Type.String(),
  closesAt: Type.String({ description: 'planned closing time of day; extendedUntil replaces it when extended' }),
  extendedUntil: Type.Union([Instant, Type.Null()]),
  extendableMinutes: Type.Integer({ minimum: 0, description: 'how far the closing time can still be extended' }),
  capacity: Count,
  booked: Count,
  walkIns: Count,
  vaccinated: Count,
  noShows: Count,
  lastDoseAt: Type.Union([Instant, Type.Null()]),
  minutesSinceLastDose: NullableCount,
  pace: Type.Object({
    expectedByNow: Count,
    ratio: Type.Union([Type.Number(), Type.Null()]),
    dosesPerHour: Type.Union([Type.Number(), Type.Null()]),
  }),
});

const CoverageFigures = {
  dose1: Count,
  dose2: Count,
  targetPopulation: Count,
  targetIsDemo: Type.Boolean(),
};

/** A state's or district's coverage with its doses of the current India clock hour and of today. */
const CoverageRow = {
  id: Type.Integer(),
  name: Type.String(),
  ...CoverageFigures,
  dosesThisHour: Count,
  dosesToday: Count,
};

export const Dashboard = Type.Object({
  scope: Type.Object({
    kind: Type.Union([Type.Literal('national'), Type.Literal('state'), Type.Literal('district')]),
    id: Type.Union([Type.Integer(), Type.Null()]),
    name: Type.String(),
    stateId: Type.Union([Type.Integer(), Type.Null()]),
  }),
  date: IsoDate,
  asOf: Instant,
  kpis: Type.Object({
    dosesToday: Count,
    dosesThisHour: Count,
    liveSessions: Count,
    stalledSessions: Count,
    sessionsToday: Count,
    registrationsToday: NullableCount,
    registrationsTotal: NullableCount,
  }),
  totals: Type.Object(CoverageFigures),
  coverage: Type.Array(Type.Object(CoverageRow)),
  /** National dashboard only: every district, with its position for the map. */
  districts: Type.Optional(
    Type.Array(Type.Object({ ...CoverageRow, stateId: Type.Integer(), lat: Type.Number(), lng: Type.Number() })),
  ),
  dosesPerHour: Type.Array(Type.Object({ hour: Instant, doses: Count })),
  coverageByDay: Type.Array(
    Type.Object({
      date: IsoDate,
      doses: Count,
      dose1: Count,
      dose2: Count,
      dose1Cumulative: Count,
      dose2Cumulative: Count,
    }),
  ),
  stalledSessions: Type.Array(SessionLiveView),
  sessions: Type.Optional(Type.Array(SessionLiveView)),
});
export type DashboardBody = Static<typeof Dashboard>;

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
