/**
 * Officer lookup (POST /api/v1/people/lookup): a person found by mobile or reference id, with their journey's
 * history, masked as on the desk — no ID number (its last 4 only), no mobile (its last 4 only), no secret code, no
 * SMS text (a message's template and delivery only).
 */
import { Type, type Static } from 'typebox';
import { Gender, IsoDate, Mobile, ReferenceId, Uuid } from './v1.js';

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const PersonLookupBody = Type.Object(
  {
    mobile: Type.Optional(Mobile),
    referenceId: Type.Optional(ReferenceId),
    sessionDayId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: "desk staff: the session day they are on; only that day's people are found",
      }),
    ),
  },
  { additionalProperties: false },
);
export type PersonLookupBody = Static<typeof PersonLookupBody>;

const RecordedDetails = Type.Object({
  name: Type.String(),
  birthYear: Type.Integer(),
  gender: Gender,
  idType: Type.Integer(),
  idNumberMasked: Type.String(),
});

export const PersonHistory = Type.Object({
  referenceId: ReferenceId,
  name: Type.String(),
  birthYear: Type.Integer(),
  gender: Gender,
  idType: Type.Integer(),
  idNumberMasked: Type.String(),
  mobileMasked: Type.String(),
  stage: Type.String(),
  vaccineCode: Nullable(Type.String()),
  nextDoseDueOn: Nullable(IsoDate),
  /** Since when the person's journey has ended awaiting their return (their next booking or dose resumes it). */
  journeyInactiveSince: Nullable(Instant),
  registeredAt: Instant,
  dryRun: Type.Boolean({ description: "a dry run's test person" }),
  districtId: Nullable(
    Type.Integer({
      description:
        'the district the person is counted in (where first booked or vaccinated); null: none yet, so a dose given elsewhere names one',
    }),
  ),
  stages: Type.Array(
    Type.Object({ from: Nullable(Type.String()), to: Type.String(), reason: Type.String(), at: Instant }),
  ),
  appointments: Type.Array(
    Type.Object({
      appointmentId: Uuid,
      dose: Type.Integer(),
      status: Type.String(),
      channel: Type.String(),
      sessionDayId: Uuid,
      date: IsoDate,
      slot: Nullable(Type.String()),
      vaccineCode: Type.String(),
      site: Type.String(),
      district: Type.String(),
      bookedAt: Instant,
      updatedAt: Instant,
    }),
  ),
  doses: Type.Array(
    Type.Object({
      doseId: Uuid,
      dose: Type.Integer(),
      vaccineCode: Type.String(),
      vaccine: Type.String(),
      batch: Type.String(),
      administeredAt: Instant,
      recordedAt: Instant,
      source: Type.String({
        description: 'ONLINE, OFFLINE (synced later) or OFFICER (given elsewhere, added by an officer from evidence)',
      }),
      sessionDayId: Nullable(Uuid),
      site: Type.String({ description: 'the Teeka site, or where a dose given elsewhere was given' }),
      district: Type.String({ description: 'the district that counts the dose' }),
      vaccinator: Nullable(Type.String()),
      addedByOfficer: Nullable(
        Type.Object({
          place: Type.String(),
          evidenceReference: Type.String(),
          note: Type.String(),
          officer: Type.String({ description: 'who added it' }),
          addedAt: Instant,
        }),
      ),
    }),
  ),
  sms: Type.Array(
    Type.Object({
      template: Type.String(),
      language: Type.String(),
      status: Type.String(),
      createdAt: Instant,
      sentAt: Nullable(Instant),
      deliveredAt: Nullable(Instant),
    }),
  ),
  certificatesToReissue: Type.Array(Type.String(), {
    description:
      'kinds revoked and not issued again (a reissue that failed): POST /people/{referenceId}/certificates/reissue',
  }),
  certificates: Type.Array(
    Type.Object({
      certificateId: Type.String(),
      kind: Type.String(),
      doses: Type.Integer(),
      issuedAt: Instant,
      revokedAt: Nullable(Instant),
      revocationReason: Nullable(Type.String()),
    }),
  ),
  corrections: Type.Array(
    Type.Object({
      by: Type.Union([Type.Literal('PERSON'), Type.Literal('OFFICER')]),
      fields: Type.Array(Type.String()),
      reason: Nullable(Type.String()),
      before: RecordedDetails,
      after: RecordedDetails,
      at: Instant,
    }),
  ),
});
export type PersonHistory = Static<typeof PersonHistory>;

export const PersonLookupResult = Type.Object({ people: Type.Array(PersonHistory) });
export type PersonLookupResult = Static<typeof PersonLookupResult>;
