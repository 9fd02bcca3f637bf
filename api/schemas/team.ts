/** TypeBox schemas of session teams: slot generation, the observation period, staff load and replacements. */
import { Type } from 'typebox';
import { DistrictId, StaffRole, TeamRole } from './planning.js';
import { IsoDate, ReferenceId, Uuid } from './v1.js';

const Instant = Type.String({ format: 'date-time' });

export const TeamStep = Type.Union([Type.Literal('VERIFY'), Type.Literal('VACCINATE'), Type.Literal('OBSERVE')]);

export const SlotGenerateBody = Type.Object(
  {
    slotMinutes: Type.Integer({
      minimum: 15,
      maximum: 24 * 60,
      description: 'length of each slot; the last one is shorter when the hours do not divide evenly',
    }),
  },
  { additionalProperties: false },
);

export const ObservedPerson = Type.Object({
  doseId: Uuid,
  referenceId: ReferenceId,
  name: Type.String(),
  dose: Type.Integer(),
  administeredAt: Instant,
  observeUntil: Instant,
  minutesRemaining: Type.Integer({
    description: 'whole minutes left, rounded up; 0 once the observation period is over',
  }),
  aefiReports: Type.Integer({ description: 'adverse events reported after this dose so far' }),
});

export const ObservationList = Type.Object({
  sessionDayId: Uuid,
  at: Instant,
  observationMinutes: Type.Integer(),
  underObservation: Type.Array(ObservedPerson, {
    description: 'vaccinated less than the observation period ago, soonest done first',
  }),
  readyToRelease: Type.Array(ObservedPerson, { description: 'observation period over, not released yet' }),
});

export const ObservationRelease = Type.Object({
  doseId: Uuid,
  referenceId: ReferenceId,
  sessionDayId: Uuid,
  releasedBy: Uuid,
  releasedAt: Instant,
  observedMinutes: Type.Integer(),
  aefiReports: Type.Integer(),
  duplicate: Type.Boolean({ description: 'the person had been released already; nothing changed' }),
});

export const StaffLoadQuery = Type.Object(
  {
    districtId: Type.Optional(DistrictId),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
  },
  {
    additionalProperties: false,
    description: 'district officers default to their own district; the range defaults to today and the 6 days after',
  },
);

export const StaffLoadView = Type.Object({
  districtId: Type.Integer(),
  from: IsoDate,
  to: IsoDate,
  staff: Type.Array(
    Type.Object({
      staffId: Uuid,
      name: Type.String(),
      role: StaffRole,
      active: Type.Boolean(),
      duties: Type.Array(
        Type.Object({
          date: IsoDate,
          sessionDayId: Uuid,
          siteId: Type.Integer(),
          siteName: Type.String(),
          teamRole: TeamRole,
          opensAt: Type.String(),
          closesAt: Type.String(),
          status: Type.String(),
          booked: Type.Integer({ description: 'online seats booked at that session day' }),
        }),
      ),
      totals: Type.Object({
        sessionDays: Type.Integer(),
        byTeamRole: Type.Object({ VACCINATOR: Type.Integer(), VERIFIER: Type.Integer(), OBSERVER: Type.Integer() }),
      }),
    }),
  ),
});

export const ReplaceBody = Type.Object({ replacementStaffId: Uuid }, { additionalProperties: false });

export const ReplacementView = Type.Object({
  sessionDayId: Uuid,
  teamRole: TeamRole,
  removedStaffId: Uuid,
  replacementStaffId: Uuid,
  team: Type.Array(Type.Object({ staffId: Uuid, name: Type.String(), role: StaffRole, teamRole: TeamRole })),
});
