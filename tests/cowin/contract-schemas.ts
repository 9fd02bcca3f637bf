/**
 * JSON Schemas of the Co-WIN compatibility contract, written from /work/shared/cowin-api-v2.md — not from our
 * code — so the contract tests catch a field that is misnamed, missing, or of the wrong type in our answers.
 * Objects are closed (additionalProperties: false) except where the contract leaves them open; the `*_l`
 * localised fields are allowed wherever the contract says they may appear.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { expect } from 'vitest';

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const num: Schema = { type: 'number' };
const bool: Schema = { type: 'boolean' };
const ddmmyyyy: Schema = { type: 'string', pattern: '^[0-9]{2}-[0-9]{2}-[0-9]{4}$' };
const hhmmss: Schema = { type: 'string', pattern: '^[0-9]{2}:[0-9]{2}:[0-9]{2}$' };
const uuid: Schema = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' };
const slotString: Schema = { type: 'string', pattern: '^[0-9]{2}:[0-9]{2}(AM|PM)-[0-9]{2}:[0-9]{2}(AM|PM)$' };

function object(
  required: Record<string, Schema>,
  optional: Record<string, Schema> = {},
  additionalProperties: boolean | Schema = false,
): Schema {
  return {
    type: 'object',
    properties: { ...required, ...optional },
    required: Object.keys(required),
    additionalProperties,
  };
}
const array = (items: Schema, extra: Schema = {}): Schema => ({ type: 'array', items, ...extra });

/** "Optional header Accept-Language: hi_IN adds *_l localised fields (name_l, state_name_l, district_name_l, block_name_l, address_l)". */
const localised = { name_l: str, state_name_l: str, district_name_l: str, block_name_l: str, address_l: str };

// ---- Metadata ----
export const states = object({
  states: array(object({ state_id: int, state_name: str }, { state_name_l: str })),
  ttl: { const: 24 },
});
export const districts = object({
  districts: array(object({ district_id: int, district_name: str }, { district_name_l: str })),
  ttl: { const: 24 },
});
export const idTypes = object({ types: array(object({ id: int, type: str }), { minItems: 1 }) });
export const genders = object({ genders: array(object({ id: int, gender: str }), { minItems: 3 }) });

// ---- Availability ----
/** Center: pincode is a number in live traffic; lat/long numbers; from/to "09:00:00"; fee_type Free | Paid. */
const centerFields = {
  center_id: int,
  name: str,
  address: str,
  state_name: str,
  district_name: str,
  block_name: str,
  pincode: int,
  lat: num,
  long: num,
  from: hhmmss,
  to: hhmmss,
  fee_type: { enum: ['Free', 'Paid'] },
};
const sessionFields = {
  session_id: uuid,
  date: ddmmyyyy,
  available_capacity: int,
  available_capacity_dose1: int,
  available_capacity_dose2: int,
  min_age_limit: int,
  allow_all_age: bool,
  vaccine: str,
  slots: array(slotString),
};
export const session = object(sessionFields, { max_age_limit: int });
export const center = object(
  { ...centerFields, sessions: array(session) },
  { ...localised, vaccine_fees: array(object({ vaccine: str, fee: str })) },
);
/** Flat session (findBy*): the centre fields (minus sessions) plus the session fields plus fee, a string. */
export const flatSession = object(
  { ...centerFields, ...sessionFields, fee: str },
  { ...localised, max_age_limit: int },
);

export const sessions = object({ sessions: array(flatSession) });
export const centers = object({ centers: array(center) });
export const oneCenter = object({ centers: center });
/** findByLatLong: pincode, lat and long are strings here. */
export const nearbyCenters = object({
  centers: array(
    object(
      {
        center_id: int,
        name: str,
        district_name: str,
        state_name: str,
        location: str,
        pincode: str,
        block_name: str,
        lat: str,
        long: str,
      },
      { name_l: str, state_name_l: str, district_name_l: str, block_name_l: str },
    ),
  ),
  ttl: num,
});

// ---- Authentication ----
export const txn = object({ txnId: str });
export const token = object({ token: str });

// ---- Beneficiaries and appointments ----
const appointment = object({
  appointment_id: str,
  center_id: int,
  name: str,
  state_name: str,
  district_name: str,
  block_name: str,
  pincode: int,
  from: str,
  to: str,
  fee_type: { enum: ['Free', 'Paid'] },
  dose: int,
  session_id: str,
  date: ddmmyyyy,
  slot: str,
});
const doseDate: Schema = { type: 'string', pattern: '^([0-9]{2}-[0-9]{2}-[0-9]{4})?$' };
export const beneficiaries = object({
  beneficiaries: array(
    object({
      beneficiary_reference_id: { type: 'string', pattern: '^[0-9]{14}$' },
      name: str,
      birth_year: { type: 'string', pattern: '^[0-9]{4}$' },
      gender: str,
      mobile_number: { type: 'string', pattern: '^\\*{6}[0-9]{4}$' },
      photo_id_type: str,
      photo_id_number: str,
      comorbidity_ind: { enum: ['Y', 'N'] },
      vaccination_status: { enum: ['Not Vaccinated', 'Partially Vaccinated', 'Vaccinated'] },
      vaccine: str,
      dose1_date: doseDate,
      dose2_date: doseDate,
      appointments: array(appointment),
    }),
  ),
});
export const newBeneficiary = object({ beneficiary_reference_id: { type: 'string', pattern: '^[0-9]{14}$' } });
export const scheduled = object({ appointment_confirmation_no: str });

// ---- Errors ----
export const error = object({ errorCode: str, error: str });

// ---- Public dashboard figures ----
const count = { type: 'integer', minimum: 0 };
export const publicReports = object({
  topBlock: object({
    // "<per vaccine>" counts sit beside the named ones.
    vaccination: object(
      { total: count, today: count, tot_dose_1: count, tot_dose_2: count, male: count, female: count },
      {},
      count,
    ),
    registration: object({ total: count }),
    sites: object({ total: count, govt: count, pvt: count, today: count }),
  }),
  // The blocks Co-WIN's public dashboard drew beside the totals.
  vaccinationByAge: object({
    total: count,
    vac_12_14: count,
    vac_15_17: count,
    vac_18_45: count,
    vac_45_60: count,
    above_60: count,
  }),
  vaccinationDoneByTime: array(object({ ts: str, label: str, count, dose_one: count, dose_two: count })),
  last30DaysVaccination: array(object({ vaccine_date: str, label: str, total: count, dose_1: count, dose_2: count })),
  last30DaysAefi: array(object({ vaccine_date: str, label: str, aefi: count })),
  getBeneficiariesGroupBy: array(
    object({
      id: int,
      state_id: int,
      state_name: str,
      title: str,
      today: count,
      total: count,
      totally_vaccinated: count,
    }),
  ),
  timestamp: str,
});

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<Schema, ReturnType<typeof ajv.compile>>();

/** Asserts a response body follows the contract, listing every deviation. */
export function expectContract(schema: Schema, body: unknown, what = 'response'): void {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  const ok = validate(body);
  const problems = (validate.errors ?? []).map(
    (e: ErrorObject) =>
      `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
  );
  expect(problems, `${what} breaks the contract`).toEqual([]);
  expect(ok).toBe(true);
}
