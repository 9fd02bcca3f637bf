/** TypeBox schemas of a session day's live status and of the district console's interventions on it. */
import { Type } from 'typebox';
import { TeamRole } from './planning.js';
import { IsoDate, Uuid } from './v1.js';

export const SessionStatus = Type.Union([
  Type.Literal('PLANNED'),
  Type.Literal('OPEN'),
  Type.Literal('STALLED'),
  Type.Literal('PAUSED'),
  Type.Literal('CLOSED'),
  Type.Literal('CANCELLED'),
]);

export const SessionDayStatusView = Type.Object({
  sessionDayId: Uuid,
  status: SessionStatus,
  date: IsoDate,
  siteName: Type.String(),
  opensAt: Type.String({ format: 'date-time' }),
  closesAt: Type.String({ format: 'date-time', description: 'with any extension' }),
  extended: Type.Boolean(),
  counts: Type.Object({
    booked: Type.Integer({ description: 'online seats taken, attended or not' }),
    waiting: Type.Integer({ description: 'booked and not yet vaccinated' }),
    due: Type.Integer({ description: 'waiting, and their slot has begun' }),
    dosesRecorded: Type.Integer(),
    noShows: Type.Integer(),
    wastage: Type.Integer(),
    walkinUsed: Type.Integer(),
  }),
  lastDoseAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  minutesSinceLastDose: Type.Union([Type.Integer(), Type.Null()]),
  pace: Type.Object({
    plannedByNow: Type.Number({ description: 'the booked people spread evenly over the open hours' }),
    actual: Type.Integer(),
    percentOfPlan: Type.Union([Type.Integer(), Type.Null()]),
    farBehindPlan: Type.Boolean({ description: 'under a third of plan with at least 5 people still waiting' }),
  }),
  workflowStarted: Type.Boolean(),
});

/** An intervention's answer: the day's status after it, and what an assignment or a cancellation did. */
export const InterventionAnswer = Type.Object({
  ...SessionDayStatusView.properties,
  assignment: Type.Optional(
    Type.Object({ staffId: Uuid, teamRole: TeamRole, created: Type.Boolean(), movedFrom: Type.Optional(Uuid) }),
  ),
  moves: Type.Optional(
    Type.Object(
      { moved: Type.Integer(), notMoved: Type.Integer() },
      { description: 'a cancellation with moveBookings: people moved to another session day, and those released' },
    ),
  ),
});
