/**
 * TypeBox schemas of the vaccinator desk: today's sessions, identity checks at the door, walk-ins, AEFI
 * reports and offline sync. What the desk sees of a person is masked: no secret codes, ID numbers or mobiles
 * (the one exception is a walk-in's secret code, answered once to the vaccinator who registered them).
 */
import { Type, type Static } from 'typebox';
import { AEFI_SEVERITIES, AEFI_SYMPTOMS } from '../../domain/aefi.js';
import { PlainText } from './common.js';
import { PriorityGroup } from './priority-groups.js';
import {
  Batch,
  Gender,
  IsoDate,
  Mobile,
  Otp,
  PersonInput,
  ReferenceId,
  SecretCode,
  TxnId,
  Uuid,
  VaccineCode,
} from './v1.js';

/** A dose as the API answers it: POST /doses, and each dose of an offline sync. */
export const RecordedDose = Type.Object({
  doseId: Uuid,
  referenceId: ReferenceId,
  dose: Type.Integer(),
  vaccineCode: Type.String(),
  batch: Type.String(),
  sessionDayId: Uuid,
  administeredAt: Type.String({ format: 'date-time' }),
  recordedAt: Type.String({ format: 'date-time' }),
  clientEventId: Type.String(),
  duplicate: Type.Boolean(),
});

/** The device's own id of a write: a replay with the same id is a no-op. */
export const ClientEventId = Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

const Instant = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const MaskedPerson = Type.Object({
  referenceId: ReferenceId,
  name: Type.String(),
  birthYear: Type.Integer(),
  gender: Gender,
  idType: Type.Integer(),
  idNumberMasked: Type.String(),
  priorityGroup: Type.Union([PriorityGroup, Type.Null()], {
    description: "HCW or FLW from an employer's uploaded list; null for the public",
  }),
});

export const DeskPerson = Type.Object({
  ...MaskedPerson.properties,
  dose: Type.Integer({ description: 'the dose number this visit is for' }),
  slot: Nullable(Type.String()),
  appointmentStatus: Nullable(Type.String({ description: 'BOOKED, COMPLETED or NO_SHOW; null for a walk-in' })),
  walkIn: Type.Boolean(),
  verified: Type.Boolean({ description: 'identity checked at the door today' }),
  verificationId: Nullable(Uuid),
  vaccinated: Type.Boolean(),
  doseId: Nullable(Uuid),
  codeCheck: Type.String({
    description:
      "HMAC-SHA256(the session's codeKey, referenceId + ':' + secret code), base64url: the desk checks a code with no network",
  }),
});

export const DeskSessionDay = Type.Object({
  sessionDayId: Uuid,
  date: IsoDate,
  status: Type.String(),
  vaccineCode: Type.String(),
  vaccineName: Type.String(),
  opensAt: Type.String(),
  closesAt: Type.String(),
  site: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    address: Type.String(),
    block: Type.String(),
    pincode: Type.Integer(),
  }),
  dryRun: Type.Boolean({
    description: "a dry run's session day: its people are test people, and nothing of it counts",
  }),
  codeKey: Type.String({
    description: "this desk's key for offline secret-code checks (per staff member, session day and date), base64url",
  }),
  teamRole: Type.Union([Type.Literal('VACCINATOR'), Type.Literal('VERIFIER'), Type.Literal('OBSERVER')], {
    description: "the caller's role in this session day's team",
  }),
  steps: Type.Array(Type.Union([Type.Literal('VERIFY'), Type.Literal('VACCINATE'), Type.Literal('OBSERVE')]), {
    description:
      'the steps the caller takes here: VERIFY (identity at the door, walk-ins), VACCINATE (record doses), OBSERVE (observation period, AEFI, release)',
  }),
  counts: Type.Object({
    dose1Capacity: Type.Integer(),
    dose1Booked: Type.Integer(),
    dose2Capacity: Type.Integer(),
    dose2Booked: Type.Integer(),
    walkinCapacity: Type.Integer(),
    walkinUsed: Type.Integer(),
    dosesRecorded: Type.Integer(),
    verified: Type.Integer(),
  }),
  people: Type.Array(DeskPerson),
});

export const DeskToday = Type.Object({ date: IsoDate, sessions: Type.Array(DeskSessionDay) });

export const VerifyBody = Type.Object(
  {
    sessionDayId: Uuid,
    referenceId: ReferenceId,
    secretCode: Type.Optional(SecretCode),
    mobile: Type.Optional(Mobile),
    txnId: Type.Optional(TxnId),
    otp: Type.Optional(Otp),
  },
  {
    additionalProperties: false,
    description: 'either secretCode, or mobile + txnId + otp (from POST /desk/verify/otp)',
  },
);
export type VerifyBody = Static<typeof VerifyBody>;

export const Verification = Type.Object({
  verificationId: Uuid,
  method: Type.Union([Type.Literal('SECRET_CODE'), Type.Literal('OTP'), Type.Literal('PHOTO_ID')]),
  verifiedAt: Instant,
  sessionDayId: Uuid,
  person: Type.Object({ ...MaskedPerson.properties, stage: Type.String() }),
  dueDose: Nullable(Type.Integer({ description: 'the next dose this person needs; null when fully vaccinated' })),
  appointment: Nullable(
    Type.Object({ appointmentId: Uuid, dose: Type.Integer(), slot: Nullable(Type.String()), status: Type.String() }),
  ),
  vaccinatedHere: Nullable(Type.Object({ doseId: Uuid, dose: Type.Integer(), administeredAt: Instant })),
  otherRegistrations: Type.Array(
    Type.Object({
      referenceId: ReferenceId,
      name: Type.String(),
      birthYear: Type.Integer(),
      idType: Type.Integer(),
      idNumberMasked: Type.String(),
      stage: Type.String(),
      doses: Type.Integer(),
      outcome: Nullable(Type.Literal('SAME_PERSON')),
    }),
    {
      description:
        'registrations with the same name, year of birth and gender under another photo-ID type (possibly this person registered twice), with their doses; pairs an officer found to be different people are left out',
    },
  ),
});

export const VerifyOtpBody = Type.Object({ sessionDayId: Uuid, mobile: Mobile }, { additionalProperties: false });
export const OtpSent = Type.Object({ txnId: TxnId, expiresInSeconds: Type.Integer() });

export const WalkInBody = Type.Object(
  { sessionDayId: Uuid, mobile: Mobile, person: PersonInput },
  { additionalProperties: false },
);
export const WalkInRegistered = Type.Object({
  referenceId: ReferenceId,
  secretCode: SecretCode,
  stage: Type.String(),
  dueDose: Type.Integer(),
  walkinRemaining: Type.Integer(),
});

export const AefiSeverity = Type.Union(AEFI_SEVERITIES.map((s) => Type.Literal(s)));
export const AefiSymptom = Type.Union(AEFI_SYMPTOMS.map((s) => Type.Literal(s)));
const AefiFields = {
  doseId: Type.Optional(Uuid),
  doseClientEventId: Type.Optional(ClientEventId),
  severity: AefiSeverity,
  symptoms: Type.Array(AefiSymptom, { minItems: 1, maxItems: AEFI_SYMPTOMS.length, uniqueItems: true }),
  notes: Type.Optional(PlainText({ maxLength: 1000 })),
  clientEventId: ClientEventId,
};
export const AefiBody = Type.Object(AefiFields, {
  additionalProperties: false,
  description: 'the dose by doseId or by the clientEventId it was recorded with',
});
export type AefiBody = Static<typeof AefiBody>;

export const AefiReport = Type.Object({
  aefiId: Uuid,
  doseId: Uuid,
  referenceId: ReferenceId,
  severity: Type.String(),
  symptoms: Type.Array(Type.String()),
  notes: Nullable(Type.String()),
  duringObservation: Type.Boolean(),
  reportedBy: Uuid,
  reportedAt: Instant,
  clientEventId: Nullable(Type.String()),
  duplicate: Type.Boolean(),
});

// ── offline sync ────────────────────────────────────────────────────────────────────────────────────────
export const MAX_SYNC_ITEMS = 500;

/**
 * One dose captured offline: the online request's fields plus the device's clock reading. The person is named by
 * their reference id, or, for a walk-in registered on the same device with no network, by the client event id of
 * that registration (which then stands for their identity check too).
 */
export const SyncDoseItem = Type.Object(
  {
    kind: Type.Literal('DOSE'),
    clientEventId: ClientEventId,
    administeredAt: Instant,
    referenceId: Type.Optional(ReferenceId),
    walkInClientEventId: Type.Optional(ClientEventId),
    sessionDayId: Uuid,
    vaccineCode: VaccineCode,
    batch: Batch,
    secretCode: Type.Optional(SecretCode),
    verificationId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type SyncDoseItem = Static<typeof SyncDoseItem>;

export const SyncAefiItem = Type.Object(
  { kind: Type.Literal('AEFI'), reportedAt: Instant, ...AefiFields },
  { additionalProperties: false },
);
export type SyncAefiItem = Static<typeof SyncAefiItem>;

/** A walk-in registered with no network: the online request's fields, the device's clock reading and its id. */
export const SyncWalkInItem = Type.Object(
  {
    kind: Type.Literal('WALKIN'),
    clientEventId: ClientEventId,
    registeredAt: Instant,
    sessionDayId: Uuid,
    mobile: Mobile,
    person: PersonInput,
  },
  { additionalProperties: false },
);
export type SyncWalkInItem = Static<typeof SyncWalkInItem>;

/** A stored walk-in as the device learns it (the secret code is not repeated: the person has left the desk). */
export const SyncedWalkIn = Type.Object({
  referenceId: ReferenceId,
  duplicate: Type.Boolean(),
  /**
   * Present when the photo ID was registered before this sync (online, or by another desk): the walk-in is that
   * person. Offered details that differ from the registration's are listed, and an identity dispute is opened.
   */
  matchedRegistration: Type.Optional(
    Type.Object({
      differs: Type.Array(Type.Union([Type.Literal('name'), Type.Literal('birthYear'), Type.Literal('gender')])),
      disputeId: Nullable(Type.String()),
    }),
  ),
});

/**
 * The envelope is checked here; each item is checked on its own by the sync service, so one malformed item
 * is rejected by itself instead of blocking the device's whole queue.
 */
/** A desk device's own id, kept on the device. */
export const DeviceId = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' });

/** The device asking: a device that took a session day's list is waited for before its bookings' no-shows. */
export const DeskTodayQuery = Type.Object({ deviceId: Type.Optional(DeviceId) }, { additionalProperties: false });

export const SyncBody = Type.Object(
  {
    deviceId: DeviceId,
    deviceTime: Type.String({ format: 'date-time', description: "the device's clock when it sent the batch" }),
    items: Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1, maxItems: MAX_SYNC_ITEMS }),
  },
  { additionalProperties: false },
);

export const SyncItemResult = Type.Object({
  index: Type.Integer({ description: 'position of the item in the request' }),
  clientEventId: Nullable(Type.String()),
  kind: Nullable(Type.String()),
  outcome: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('rejected')]),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  /** True only when the server failed, not a rule: the device should send the item again later. */
  retryable: Type.Optional(Type.Boolean()),
  dose: Type.Optional(RecordedDose),
  aefi: Type.Optional(AefiReport),
  walkIn: Type.Optional(SyncedWalkIn),
});

export const SyncResult = Type.Object({
  deviceId: Type.String(),
  receivedAt: Instant,
  clockSkewMs: Type.Integer({ description: 'server receipt time minus deviceTime; added to every item time' }),
  clockSkewWithinTolerance: Type.Boolean(),
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  results: Type.Array(SyncItemResult),
});
