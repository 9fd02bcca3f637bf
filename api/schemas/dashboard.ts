/**
 * TypeBox schemas of the war-room dashboards (GET /api/v1/dashboard/...) and of the socket.io `snapshot` message,
 * which carries the same body. The dashboard imports these types, so the two sides cannot drift apart.
 */
import { Type, type Static } from 'typebox';
import { IsoDate, Uuid } from './v1.js';

const Count = Type.Integer({ minimum: 0 });
const NullableCount = Type.Union([Count, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });

export const SessionLiveView = Type.Object({
  sessionDayId: Uuid,
  date: IsoDate,
  status: Type.String(),
  // domain/session-pace.ts STALL_REASONS: the repository's view is typed by it, so a new reason fails the build here.
  stallReason: Type.Union([Type.Literal('NO_DOSES'), Type.Literal('BEHIND_PLAN'), Type.Null()], {
    description: 'while STALLED, why: NO_DOSES (no dose for the stall window while people wait) or BEHIND_PLAN',
  }),
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
export type SessionLiveView = Static<typeof SessionLiveView>;

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
