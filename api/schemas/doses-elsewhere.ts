/** A dose given elsewhere, added by an officer from evidence (api/services/doses-elsewhere.ts). */
import { Type, type Static } from 'typebox';
import { PlainText } from './common.js';
import { ClientEventId } from './desk.js';
import { IsoDate, ReferenceId, Uuid, VaccineCode } from './v1.js';

const Instant = Type.String({ format: 'date-time' });

export const ElsewhereDoseBody = Type.Object(
  {
    clientEventId: {
      ...ClientEventId,
      description: 'idempotency key: the same key again answers the dose already added, and adds nothing',
    },
    dose: Type.Integer({ minimum: 1, maximum: 3, description: "the person's next dose: 1, 2, or 3 (precaution)" }),
    vaccineCode: VaccineCode,
    givenOn: { ...IsoDate, description: 'India date the dose was given (YYYY-MM-DD); not in the future' },
    batch: Type.Optional(PlainText({ minLength: 1, maxLength: 40 })),
    place: PlainText({ minLength: 2, maxLength: 200 }),
    districtId: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          "the district that records the dose (its coverage counts it): required for a person not yet booked or vaccinated in any district, and within the officer's jurisdiction; for anyone else it is their own district, and may be left out",
      }),
    ),
    evidence: Type.Object(
      {
        reference: PlainText({ minLength: 2, maxLength: 80 }),
        note: PlainText({ minLength: 3, maxLength: 500 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type ElsewhereDoseBody = Static<typeof ElsewhereDoseBody>;

export const ElsewhereDose = Type.Object({
  doseId: Uuid,
  referenceId: ReferenceId,
  dose: Type.Integer(),
  vaccineCode: Type.String(),
  batch: Type.String({ description: 'as written on the evidence, in capitals; NOT KNOWN when not given' }),
  givenOn: IsoDate,
  recordedAt: Instant,
  place: Type.String(),
  evidence: Type.Object({ reference: Type.String(), note: Type.String() }),
  addedBy: Type.String({ description: "the officer's name" }),
});

export const ElsewhereDoseResult = Type.Object({
  dose: ElsewhereDose,
  duplicate: Type.Boolean({ description: 'true when this idempotency key had already added the dose' }),
  releasedAppointments: Type.Array(Uuid, { description: "the person's bookings for this dose, released" }),
});
export type ElsewhereDoseResult = Static<typeof ElsewhereDoseResult>;
