/** TypeBox schemas of the /api/v1 REST API: requests are validated by them, responses serialised by them. */
import { Type, type Static } from 'typebox';

export const Mobile = Type.String({ pattern: '^[6-9][0-9]{9}$', description: '10-digit Indian mobile number' });
/** A language of the portal and of SMS (messaging/templates.ts has every message in each). */
export const Language = Type.Union([Type.Literal('en'), Type.Literal('hi')], { description: 'en or hi' });
export const Otp = Type.String({ pattern: '^[0-9]{6}$', description: 'the 6-digit OTP' });
export const TxnId = Type.String({ format: 'uuid', description: 'OTP transaction id' });
export const ReferenceId = Type.String({ pattern: '^[0-9]{14}$', description: '14-digit beneficiary reference id' });
export const SecretCode = Type.String({ pattern: '^[0-9]{4}$', description: '4-digit secret code' });
export const Uuid = Type.String({ format: 'uuid' });
export const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD (India date)' });
export const Batch = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$',
  description: 'vaccine batch number',
});
export const VaccineCode = Type.String({ minLength: 2, maxLength: 30, pattern: '^[A-Z0-9 ]+$' });
/** Letters and marks of any script, spaces, dots, apostrophes and hyphens: a name, never markup. */
export const PersonName = Type.String({ minLength: 1, maxLength: 100, pattern: "^[\\p{L}\\p{M}][\\p{L}\\p{M} .'-]*$" });
export const Gender = Type.Union([Type.Literal('M'), Type.Literal('F'), Type.Literal('O')]);

export const PersonInput = Type.Object(
  {
    name: PersonName,
    birthYear: Type.Integer({ minimum: 1900, maximum: 2100 }),
    gender: Gender,
    idType: Type.Integer({
      minimum: 1,
      maximum: 13,
      description: 'Co-WIN photo-ID type (1 Aadhaar, 6 PAN, 8 Passport, 12 Voter ID, ...)',
    }),
    idNumber: Type.String({ minLength: 4, maxLength: 30, pattern: '^[0-9A-Za-z /-]+$' }),
    comorbidity: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PersonInput = Static<typeof PersonInput>;

export const Tokens = Type.Object({
  token: Type.String(),
  refreshToken: Type.String(),
  expiresInSeconds: Type.Integer(),
});

/** A login OTP sent: its transaction, to verify it with, and how long it lasts. */
export const LoginOtpSent = Type.Object({ txnId: TxnId, expiresInSeconds: Type.Integer() });

export const AppointmentSummary = Type.Object({
  appointmentId: Uuid,
  sessionDayId: Uuid,
  dose: Type.Integer(),
  date: IsoDate,
  slot: Type.String(),
  siteName: Type.String(),
  status: Type.String(),
});

export const DoseSummary = Type.Object({
  dose: Type.Integer(),
  vaccineCode: Type.String(),
  batch: Type.String(),
  date: IsoDate,
  siteName: Type.String(),
});

export const Beneficiary = Type.Object({
  referenceId: ReferenceId,
  name: Type.String(),
  birthYear: Type.Integer(),
  gender: Gender,
  idType: Type.Integer(),
  idNumberMasked: Type.String(),
  secretCode: SecretCode,
  stage: Type.String(),
  vaccineCode: Type.Union([Type.String(), Type.Null()]),
  nextDoseDueOn: Type.Union([IsoDate, Type.Null()]),
  comorbidity: Type.Boolean({ description: 'the person declared a comorbidity (eligibility phases admit by it)' }),
  priorityGroup: Type.Union([Type.Literal('HCW'), Type.Literal('FLW'), Type.Null()], {
    description: 'the priority group an employer listed the person in, if any',
  }),
  canCorrectDetails: Type.Boolean({ description: 'the person has not used their one correction yet' }),
  appointments: Type.Array(AppointmentSummary),
  doses: Type.Array(DoseSummary),
});

/** A person just registered: their reference id, the secret code the desk checks, and their stage. */
export const Registered = Type.Object({ referenceId: ReferenceId, secretCode: SecretCode, stage: Type.String() });

export const AppointmentView = Type.Object({
  appointmentId: Uuid,
  sessionDayId: Uuid,
  dose: Type.Integer(),
  date: IsoDate,
  slot: Type.String(),
  siteName: Type.String(),
  stage: Type.String(),
});
