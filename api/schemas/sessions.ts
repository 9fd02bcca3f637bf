/** TypeBox schemas of the public slot search (GET /api/v1/sessions): the portal books from its answer. */
import { Type } from 'typebox';
import { PhaseGroup } from './priority-groups.js';
import { IsoDate } from './v1.js';

export const SessionSlot = Type.Object({
  slotId: Type.Integer(),
  label: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.String(),
  available: Type.Integer(),
});
/** A session day the portal's search offers: its seats per dose and per slot, and its site. */
export const SessionOffer = Type.Object({
  sessionDayId: Type.String(),
  date: IsoDate,
  vaccineCode: Type.String(),
  minAge: Type.Integer(),
  maxAge: Type.Union([Type.Integer(), Type.Null()]),
  status: Type.String(),
  dose1Available: Type.Integer(),
  dose2Available: Type.Integer(),
  opensAt: Type.String(),
  closesAt: Type.String(),
  slots: Type.Array(SessionSlot),
  site: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    address: Type.String(),
    block: Type.String(),
    pincode: Type.Integer(),
    lat: Type.Number(),
    lng: Type.Number(),
    ownership: Type.String(),
    feeInr: Type.Integer(),
    districtId: Type.Integer(),
    districtName: Type.String(),
    stateId: Type.Integer(),
    stateName: Type.String(),
  }),
});

/** A state's eligibility phases, for the portal to offer only what the booking would take (booking-rules.ts). */
export const StatePhases = Type.Object({
  stateId: Type.Integer(),
  phases: Type.Array(
    Type.Object({
      name: Type.String(),
      opensOn: IsoDate,
      groups: Type.Array(PhaseGroup),
      minAge: Type.Integer(),
      maxAge: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ),
});

export const SessionSearchAnswer = Type.Object({
  sessions: Type.Array(SessionOffer),
  eligibilityPhases: Type.Array(StatePhases, {
    description:
      "each found session's state's eligibility phases (a state with none restricts nobody beyond each session's ages)",
  }),
});
