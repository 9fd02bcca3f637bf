/** TypeBox schemas of dry runs: planning one, the run as it stands, its findings. The dashboard takes its types here. */
import { SessionLiveView } from './dashboard.js';
import { Type, type Static } from 'typebox';
import { DistrictId, TeamRole, TimeOfDay } from './planning.js';
import { Uuid, VaccineCode } from './v1.js';
import { PlainText } from './common.js';
import { MAX_PEOPLE_PER_SITE, MAX_SIMULATION_DAY_MS, MAX_SITES, MIN_SIMULATION_DAY_MS } from '../../domain/dry-run.js';

const Share = Type.Number({ minimum: 0, maximum: 1 });
const Minutes = Type.Number({ exclusiveMinimum: 0, maximum: 120 });
const Count = Type.Integer({ minimum: 0, maximum: MAX_PEOPLE_PER_SITE });

export const DryRunMode = Type.Union([Type.Literal('DRILL'), Type.Literal('SIMULATION')]);
export const DryRunStatus = Type.Union([
  Type.Literal('PLANNED'),
  Type.Literal('RUNNING'),
  Type.Literal('FINISHED'),
  Type.Literal('FAILED'),
]);

export const DryRunParametersBody = Type.Object(
  {
    vaccineCode: Type.Optional(VaccineCode),
    opensAt: Type.Optional(TimeOfDay),
    closesAt: Type.Optional(TimeOfDay),
    slotMinutes: Type.Optional(Type.Integer({ minimum: 15, maximum: 720 })),
    seats: Type.Optional(Count),
    walkinSeats: Type.Optional(Count),
    people: Type.Optional(Count),
    noShowRate: Type.Optional(Share),
    lateRate: Type.Optional(Share),
    walkIns: Type.Optional(Count),
    ageMix: Type.Optional(
      Type.Object(
        {
          '18_44': Type.Optional(Type.Number({ minimum: 0 })),
          '45_59': Type.Optional(Type.Number({ minimum: 0 })),
          '60_plus': Type.Optional(Type.Number({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
    team: Type.Optional(
      Type.Object(
        {
          verifiers: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
          vaccinators: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
          observers: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
        },
        { additionalProperties: false },
      ),
    ),
    serviceMinutes: Type.Optional(
      Type.Object(
        { verify: Type.Optional(Minutes), vaccinate: Type.Optional(Minutes), release: Type.Optional(Minutes) },
        { additionalProperties: false },
      ),
    ),
    aefiRate: Type.Optional(Share),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
  },
  { additionalProperties: false },
);

export const NewDryRunBody = Type.Object(
  {
    name: PlainText({ minLength: 1, maxLength: 120 }),
    mode: DryRunMode,
    siteIds: Type.Array(Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), {
      minItems: 1,
      maxItems: MAX_SITES,
      uniqueItems: true,
    }),
    dayMs: Type.Optional(
      Type.Integer({
        minimum: MIN_SIMULATION_DAY_MS,
        maximum: MAX_SIMULATION_DAY_MS,
        description: "a simulation's length of a day on its compressed clock, in real milliseconds",
      }),
    ),
    parameters: Type.Optional(DryRunParametersBody),
    team: Type.Optional(
      Type.Array(Type.Object({ staffId: Uuid, teamRole: TeamRole }, { additionalProperties: false }), {
        minItems: 1,
        maxItems: 10,
        description: "a drill's team at each site: real staff of the district",
      }),
    ),
    smsNumbers: Type.Optional(
      Type.Array(Type.String({ pattern: '^[6-9][0-9]{9}$', description: 'a 10-digit Indian mobile' }), {
        maxItems: 10,
        uniqueItems: true,
        description:
          "staff numbers for the run's SMS: its stall alerts go to them (never to the district's real officers), and " +
          "through a real gateway its test people's SMS go to them instead of the test mobiles; none: the dev outbox only",
      }),
    ),
  },
  { additionalProperties: false },
);

export const DryRunView = Type.Object({
  id: Uuid,
  name: Type.String(),
  mode: DryRunMode,
  stateId: Type.Integer(),
  districtId: Type.Union([Type.Integer(), Type.Null()]),
  date: Type.String(),
  dayMs: Type.Union([Type.Integer(), Type.Null()]),
  parameters: Type.Unknown(),
  smsNumbers: Type.Array(Type.String()),
  status: DryRunStatus,
  failure: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  sessionDayIds: Type.Array(Uuid),
});

export const DryRunList = Type.Object({ dryRuns: Type.Array(DryRunView) });

export const DryRunListQuery = Type.Object(
  { districtId: Type.Optional(DistrictId), stateId: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })) },
  { additionalProperties: false },
);

const WorkStep = Type.Union([
  Type.Literal('DOOR_CHECK'),
  Type.Literal('VACCINATION'),
  Type.Literal('OBSERVATION'),
  Type.Literal('RELEASE'),
]);
const StepFinding = Type.Object({
  step: WorkStep,
  people: Type.Integer(),
  meanMinutes: Type.Number(),
  maxMinutes: Type.Number(),
});
const Sms = Type.Object({ sent: Type.Integer(), delivered: Type.Integer(), failed: Type.Integer() });
const Aefi = Type.Object({ minor: Type.Integer(), serious: Type.Integer(), severe: Type.Integer() });

export const SiteFindingsView = Type.Object({
  sessionDayId: Uuid,
  siteId: Type.Integer(),
  siteName: Type.String(),
  districtId: Type.Integer(),
  status: Type.String(),
  openMinutes: Type.Number(),
  seats: Type.Integer(),
  walkinSeats: Type.Integer(),
  booked: Type.Integer(),
  demand: Type.Integer(),
  doses: Type.Integer(),
  utilisation: Type.Number({ description: 'doses per 100 seats (online and walk-in)' }),
  turnedAway: Type.Integer(),
  walkInsArrived: Type.Integer(),
  walkInsVaccinated: Type.Integer(),
  noShows: Type.Integer(),
  vaccinators: Type.Array(Type.Object({ staffId: Uuid, name: Type.String(), doses: Type.Integer() })),
  vaccinatorIdleMinutes: Type.Array(
    Type.Object({ staffId: Uuid, name: Type.String(), doses: Type.Integer(), idleMinutes: Type.Number() }),
  ),
  steps: Type.Array(StepFinding),
  bottleneck: Type.Union([WorkStep, Type.Null()]),
  dosesPerVaccinatorHour: Type.Number(),
  staffing: Type.Union([Type.Literal('OVER'), Type.Literal('UNDER'), Type.Literal('BALANCED')]),
  slots: Type.Array(
    Type.Object({
      startsAt: Type.String(),
      endsAt: Type.String(),
      seats: Type.Integer(),
      booked: Type.Integer(),
      arrived: Type.Integer(),
      walkIns: Type.Integer(),
      verified: Type.Integer(),
      turnedAway: Type.Integer(),
      longestQueue: Type.Integer(),
      meanWaitMinutes: Type.Number(),
      maxWaitMinutes: Type.Number(),
      load: Type.Union([Type.Literal('OVERFULL'), Type.Literal('IDLE'), Type.Literal('NORMAL')]),
    }),
  ),
  stalls: Type.Integer(),
  interventions: Type.Integer(),
  sms: Sms,
  aefi: Aefi,
  offlineDoses: Type.Integer(),
});

export const DryRunFindingsView = Type.Object({
  dryRunId: Uuid,
  name: Type.String(),
  mode: DryRunMode,
  status: DryRunStatus,
  date: Type.String(),
  dayMs: Type.Union([Type.Integer(), Type.Null()]),
  parameters: Type.Unknown(),
  sites: Type.Array(SiteFindingsView),
  totals: Type.Object({
    sites: Type.Integer(),
    seats: Type.Integer(),
    booked: Type.Integer(),
    demand: Type.Integer(),
    doses: Type.Integer(),
    utilisation: Type.Number(),
    turnedAway: Type.Integer(),
    walkInsArrived: Type.Integer(),
    walkInsVaccinated: Type.Integer(),
    noShows: Type.Integer(),
    steps: Type.Array(StepFinding),
    bottleneck: Type.Union([WorkStep, Type.Null()]),
    dosesPerVaccinatorHour: Type.Number(),
    stalls: Type.Integer(),
    interventions: Type.Integer(),
    sms: Sms,
    aefi: Aefi,
    offlineDoses: Type.Integer(),
  }),
});

export const DryRunPeople = Type.Object({
  people: Type.Array(
    Type.Object({
      referenceId: Type.String(),
      name: Type.String(),
      birthYear: Type.Integer(),
      secretCode: Type.String(),
      stage: Type.String(),
      sessionDayId: Type.Union([Uuid, Type.Null()]),
      siteName: Type.Union([Type.String(), Type.Null()]),
      slotStartsAt: Type.Union([Type.String(), Type.Null()]),
      appointmentStatus: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

export const FindingsPdf = {
  description: "a dry run's findings, a PDF document",
  content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } },
};

export const DryRunDeleted = Type.Object({ deleted: Uuid, removed: Type.Record(Type.String(), Type.Integer()) });

export type DryRunViewBody = Static<typeof DryRunView>;
export type DryRunFindingsBody = Static<typeof DryRunFindingsView>;

/** A dry run's session days, live, for the war room and the district console when an officer watches the run. */
export const DryRunSessions = Type.Object({
  dryRun: Type.Object({
    id: Uuid,
    name: Type.String(),
    mode: DryRunMode,
    status: DryRunStatus,
    date: Type.String(),
    districtId: Type.Union([Type.Integer(), Type.Null()]),
  }),
  /** A simulation's clock (its compressed calendar), or the real time for a drill. */
  clock: Type.Union([Type.Literal('SIMULATED'), Type.Literal('REAL')]),
  calendarNow: Type.String({ format: 'date-time' }),
  sessions: Type.Array(SessionLiveView),
});
export type DryRunSessionsBody = Static<typeof DryRunSessions>;
