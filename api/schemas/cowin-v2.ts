/**
 * TypeBox schemas of the Co-WIN compatible API (/api/v2, see /work/shared/cowin-api-v2.md). Field names and
 * types follow Co-WIN's published spec and its live traffic, quirks included: `pincode` is a number in
 * sessions but a string in findByLatLong, `fee` is a string, slots are strings, dates are DD-MM-YYYY.
 * Localised `*_l` fields appear only when the caller sends `Accept-Language: hi_IN`.
 */
import { Type, type Static } from 'typebox';
import { Mobile, PersonName, ReferenceId } from './v1.js';

// ---- Errors ----

export const CowinError = Type.Object(
  { errorCode: Type.String({ description: 'e.g. USRRES0001, APPOIN0018, APPOIN0040' }), error: Type.String() },
  { description: 'Every refusal of the Co-WIN API has this shape (except 401, which is plain text)' },
);
export type CowinError = Static<typeof CowinError>;

/** A missing or bad token: 401 with the plain-text body partner apps test for. */
export const UNAUTHENTICATED_BODY = 'Unauthenticated access!';
const Unauthenticated = {
  description: `plain text: ${UNAUTHENTICATED_BODY}`,
  content: { 'text/plain': { schema: Type.String() } },
};

export const cowinPublicErrors = { 400: CowinError, 404: CowinError, 429: CowinError } as const;
export const cowinBearerErrors = {
  400: CowinError,
  401: Unauthenticated,
  403: CowinError,
  404: CowinError,
  409: CowinError,
  429: CowinError,
} as const;

export const BEARER = [{ bearer: [] as string[] }];

// ---- Query fragments ----

/** DD-MM-YYYY, also DD-MM-YY (one popular client sends that); checked for a real date by the handler. */
export const CowinDate = Type.String({
  pattern: '^[0-9]{2}-[0-9]{2}-([0-9]{2}|[0-9]{4})$',
  description: 'DD-MM-YYYY (DD-MM-YY accepted)',
});
export const CowinPincode = Type.String({ pattern: '^[1-9][0-9]{5}$', description: '6-digit pincode' });
export const IdParam = Type.String({ pattern: '^[1-9][0-9]{0,8}$' });
export const AcceptLanguage = Type.Object({
  'accept-language': Type.Optional(Type.String({ description: 'hi_IN adds the *_l localised fields' })),
});

// ---- Metadata ----

export const StatesResponse = Type.Object({
  states: Type.Array(
    Type.Object({ state_id: Type.Integer(), state_name: Type.String(), state_name_l: Type.Optional(Type.String()) }),
  ),
  ttl: Type.Integer(),
});
export const DistrictsResponse = Type.Object({
  districts: Type.Array(
    Type.Object({
      district_id: Type.Integer(),
      district_name: Type.String(),
      district_name_l: Type.Optional(Type.String()),
    }),
  ),
  ttl: Type.Integer(),
});
export const IdTypesResponse = Type.Object({
  types: Type.Array(Type.Object({ id: Type.Integer(), type: Type.String() })),
});
export const GendersResponse = Type.Object({
  genders: Type.Array(Type.Object({ id: Type.Integer(), gender: Type.String() })),
});

// ---- Availability ----

const localisedCentreFields = {
  name_l: Type.Optional(Type.String()),
  address_l: Type.Optional(Type.String()),
  state_name_l: Type.Optional(Type.String()),
  district_name_l: Type.Optional(Type.String()),
  block_name_l: Type.Optional(Type.String()),
};

const centreFields = {
  center_id: Type.Integer(),
  name: Type.String(),
  address: Type.String(),
  state_name: Type.String(),
  district_name: Type.String(),
  block_name: Type.String(),
  pincode: Type.Integer({ description: 'a number, as in live Co-WIN traffic' }),
  lat: Type.Number(),
  long: Type.Number(),
  from: Type.String({ description: 'HH:MM:SS' }),
  to: Type.String({ description: 'HH:MM:SS' }),
  fee_type: Type.Union([Type.Literal('Free'), Type.Literal('Paid')]),
  ...localisedCentreFields,
};

const sessionFields = {
  session_id: Type.String({ format: 'uuid' }),
  date: Type.String({ description: 'DD-MM-YYYY' }),
  available_capacity: Type.Integer(),
  available_capacity_dose1: Type.Integer(),
  available_capacity_dose2: Type.Integer(),
  min_age_limit: Type.Integer(),
  max_age_limit: Type.Optional(Type.Integer()),
  allow_all_age: Type.Boolean(),
  vaccine: Type.String({ description: 'COVISHIELD, COVAXIN, SPUTNIK V, ...' }),
  slots: Type.Array(Type.String(), { description: 'e.g. "09:00AM-11:00AM"' }),
};

export const CalendarSession = Type.Object(sessionFields);
export type CalendarSession = Static<typeof CalendarSession>;

export const VaccineFee = Type.Object({
  vaccine: Type.String(),
  fee: Type.String({ description: 'rupees, as a string' }),
});

export const Center = Type.Object({
  ...centreFields,
  vaccine_fees: Type.Optional(Type.Array(VaccineFee)),
  sessions: Type.Array(CalendarSession),
});
export type Center = Static<typeof Center>;

/** findBy*: the centre fields (without sessions) and the session fields in one object, plus `fee` as a string. */
export const FlatSession = Type.Object({
  ...centreFields,
  ...sessionFields,
  fee: Type.String({ description: '"0" when free' }),
});
export type FlatSession = Static<typeof FlatSession>;

export const SessionsResponse = Type.Object({ sessions: Type.Array(FlatSession) });
export const CentersResponse = Type.Object({ centers: Type.Array(Center) });
export const OneCenterResponse = Type.Object({ centers: Center });

export const NearbyCenter = Type.Object({
  center_id: Type.Integer(),
  name: Type.String(),
  district_name: Type.String(),
  state_name: Type.String(),
  location: Type.String(),
  pincode: Type.String({ description: 'a string here, unlike in sessions' }),
  block_name: Type.String(),
  lat: Type.String(),
  long: Type.String(),
  name_l: Type.Optional(Type.String()),
  district_name_l: Type.Optional(Type.String()),
  state_name_l: Type.Optional(Type.String()),
  block_name_l: Type.Optional(Type.String()),
});
export type NearbyCenter = Static<typeof NearbyCenter>;
export const NearbyCentersResponse = Type.Object({ centers: Type.Array(NearbyCenter), ttl: Type.Integer() });

// ---- Authentication ----

export const Sha256Otp = Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: 'SHA-256 hex of the OTP digits' });
export const TxnIdV2 = Type.String({ format: 'uuid' });
export const GenerateOtpBody = Type.Object({ mobile: Mobile }, { additionalProperties: false });
export const GenerateMobileOtpBody = Type.Object(
  { mobile: Mobile, secret: Type.Optional(Type.String({ maxLength: 500, description: 'accepted and ignored' })) },
  { additionalProperties: false },
);
export const ConfirmOtpBody = Type.Object({ otp: Sha256Otp, txnId: TxnIdV2 }, { additionalProperties: false });
export const TxnResponse = Type.Object({ txnId: Type.String() });
export const TokenResponse = Type.Object({ token: Type.String() });
export const CaptchaResponse = Type.Object({
  captcha: Type.String({ description: 'an SVG image, width="150" height="50"' }),
});

// ---- Beneficiaries ----

export const CowinAppointment = Type.Object({
  appointment_id: Type.String(),
  center_id: Type.Integer(),
  name: Type.String(),
  state_name: Type.String(),
  district_name: Type.String(),
  block_name: Type.String(),
  pincode: Type.Integer(),
  from: Type.String(),
  to: Type.String(),
  fee_type: Type.Union([Type.Literal('Free'), Type.Literal('Paid')]),
  dose: Type.Integer(),
  session_id: Type.String(),
  date: Type.String({ description: 'DD-MM-YYYY' }),
  slot: Type.String(),
});
export type CowinAppointment = Static<typeof CowinAppointment>;

export const VaccinationStatus = Type.Union([
  Type.Literal('Not Vaccinated'),
  Type.Literal('Partially Vaccinated'),
  Type.Literal('Vaccinated'),
]);

export const CowinBeneficiary = Type.Object({
  beneficiary_reference_id: Type.String({ description: '14 digits' }),
  name: Type.String(),
  birth_year: Type.String(),
  gender: Type.String(),
  mobile_number: Type.String({ description: 'masked, e.g. ******3210' }),
  photo_id_type: Type.String(),
  photo_id_number: Type.String({ description: 'masked' }),
  comorbidity_ind: Type.Union([Type.Literal('Y'), Type.Literal('N')]),
  vaccination_status: VaccinationStatus,
  vaccine: Type.String(),
  dose1_date: Type.String({ description: 'DD-MM-YYYY or ""' }),
  dose2_date: Type.String({ description: 'DD-MM-YYYY or ""' }),
  appointments: Type.Array(CowinAppointment),
});
export type CowinBeneficiary = Static<typeof CowinBeneficiary>;
export const BeneficiariesResponse = Type.Object({ beneficiaries: Type.Array(CowinBeneficiary) });

export const NewBeneficiaryBody = Type.Object(
  {
    name: PersonName,
    birth_year: Type.String({ pattern: '^[0-9]{4}$', description: 'e.g. "1980"' }),
    gender_id: Type.Integer({ minimum: 1, maximum: 3, description: '1 Male, 2 Female, 3 Others' }),
    photo_id_type: Type.Integer({ minimum: 1, maximum: 13, description: 'see /v2/registration/beneficiary/idTypes' }),
    photo_id_number: Type.String({ minLength: 4, maxLength: 30, pattern: '^[0-9A-Za-z /-]+$' }),
    comorbidity_ind: Type.Optional(Type.Union([Type.Literal('Y'), Type.Literal('N')])),
    consent_version: Type.String({ minLength: 1, maxLength: 20 }),
  },
  { additionalProperties: false },
);
export const NewBeneficiaryResponse = Type.Object({ beneficiary_reference_id: Type.String() });
export const DeleteBeneficiaryBody = Type.Object(
  { beneficiary_reference_id: ReferenceId },
  { additionalProperties: false },
);

// ---- Appointments ----

export const SlotLabel = Type.String({
  minLength: 15,
  maxLength: 17,
  description: 'one of the session\'s slots, e.g. "09:00AM-11:00AM"',
});
/** Co-WIN added a captcha to booking in May 2021; clients written then still send it. Accepted and ignored. */
const Captcha = Type.Optional(Type.String({ maxLength: 100, description: 'accepted and ignored' }));

export const ScheduleBody = Type.Object(
  {
    dose: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)], {
      description: '3: the precaution dose, as Co-WIN numbered it',
    }),
    session_id: Type.String({ format: 'uuid' }),
    slot: SlotLabel,
    beneficiaries: Type.Array(ReferenceId, { minItems: 1, maxItems: 4, uniqueItems: true }),
    center_id: Type.Optional(Type.Integer({ minimum: 1 })),
    captcha: Captcha,
  },
  { additionalProperties: false },
);
export const ScheduleResponse = Type.Object({ appointment_confirmation_no: Type.String() });
export const RescheduleBody = Type.Object(
  {
    appointment_id: Type.String({ format: 'uuid' }),
    session_id: Type.String({ format: 'uuid' }),
    slot: SlotLabel,
    captcha: Captcha,
  },
  { additionalProperties: false },
);
export const CancelBody = Type.Object(
  {
    appointment_id: Type.String({ format: 'uuid' }),
    beneficiariesToCancel: Type.Array(ReferenceId, { minItems: 1, maxItems: 4, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const Pdf = {
  description: 'a PDF document',
  content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } },
};

// ---- Public dashboard figures ----

export const ReportQuery = Type.Object({
  state_id: Type.Optional(Type.String({ pattern: '^[0-9]{0,9}$', description: 'empty for the whole country' })),
  district_id: Type.Optional(Type.String({ pattern: '^[0-9]{0,9}$', description: 'empty for the whole state' })),
  date: Type.Optional(
    Type.String({ pattern: '^([0-9]{4}-[0-9]{2}-[0-9]{2})?$', description: 'YYYY-MM-DD; today when empty' }),
  ),
});

export const PublicReport = Type.Object({
  topBlock: Type.Object({
    vaccination: Type.Object(
      {
        total: Type.Integer(),
        today: Type.Integer(),
        tot_dose_1: Type.Integer(),
        tot_dose_2: Type.Integer(),
        male: Type.Integer(),
        female: Type.Integer(),
        others: Type.Integer(),
        aefi: Type.Integer({ description: 'adverse events reported after vaccination' }),
      },
      {
        additionalProperties: Type.Integer(),
        description: 'plus one count per vaccine, keyed by its lower-case code (covishield, covaxin, sputnik_v, ...)',
      },
    ),
    registration: Type.Object({ total: Type.Integer() }),
    sites: Type.Object({ total: Type.Integer(), govt: Type.Integer(), pvt: Type.Integer(), today: Type.Integer() }),
  }),
  vaccinationByAge: Type.Object(
    {
      total: Type.Integer(),
      vac_12_14: Type.Integer(),
      vac_15_17: Type.Integer(),
      vac_18_45: Type.Integer(),
      vac_45_60: Type.Integer(),
      above_60: Type.Integer(),
    },
    { description: 'doses by the age of the person at the dose (18_45 is 18–44, 45_60 is 45–59)' },
  ),
  vaccinationDoneByTime: Type.Array(
    Type.Object({
      ts: Type.String({ format: 'date-time', description: 'start of the India clock hour' }),
      label: Type.String({ description: 'HH:00, India time' }),
      count: Type.Integer(),
      dose_one: Type.Integer(),
      dose_two: Type.Integer(),
    }),
    { description: "the date's doses per hour" },
  ),
  last30DaysVaccination: Type.Array(
    Type.Object({
      vaccine_date: Type.String({ format: 'date' }),
      label: Type.String({ description: 'dd MMM' }),
      total: Type.Integer(),
      dose_1: Type.Integer(),
      dose_2: Type.Integer(),
    }),
  ),
  last30DaysAefi: Type.Array(
    Type.Object({ vaccine_date: Type.String({ format: 'date' }), label: Type.String(), aefi: Type.Integer() }),
  ),
  getBeneficiariesGroupBy: Type.Array(
    Type.Object({
      id: Type.Integer(),
      state_id: Type.Integer(),
      state_name: Type.String(),
      title: Type.String(),
      today: Type.Integer(),
      total: Type.Integer(),
      totally_vaccinated: Type.Integer(),
    }),
  ),
  timestamp: Type.String({ format: 'date-time' }),
});
export type PublicReport = Static<typeof PublicReport>;
