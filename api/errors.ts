/**
 * Errors the API answers with on purpose. Anything else is a bug: logged in full, answered as a bare 500.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(400, code, message, details);
export const unauthorized = (message = 'authentication required') => new AppError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message = 'not allowed for your role or jurisdiction') =>
  new AppError(403, 'FORBIDDEN', message);
export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} not found`);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(409, code, message, details);
export const tooMany = (message: string) => new AppError(429, 'TOO_MANY_REQUESTS', message);
export const unavailable = (message: string) => new AppError(503, 'UNAVAILABLE', message);

/** HTTP status of each domain refusal code; anything unlisted is a 409 (the request conflicts with a rule). */
const REFUSAL_STATUS: Record<string, number> = {
  INVALID_ID_NUMBER: 400,
  OTP_INVALID: 401,
  OTP_EXPIRED: 401,
  OTP_LOCKED: 429,
  OTP_USED: 401,
  OTP_UNKNOWN: 401,
  TOO_MANY_OTPS: 429,
  PERSON_NOT_FOUND: 404,
  NOTHING_TO_CORRECT: 422,
  DOSE_NOT_DUE: 400,
  SESSION_NOT_FOUND: 404,
  APPOINTMENT_NOT_FOUND: 404,
  SECRET_CODE_MISMATCH: 403,
  AGE_NOT_ELIGIBLE: 422,
  PHASE_NOT_OPEN: 422,
  DOSE2_WINDOW: 422,
  SLOT_NOT_FOUND: 422,
  DOSE2_TOO_EARLY: 422,
  PRECAUTION_NOT_DUE: 422,
  VACCINE_MISMATCH: 422,
  WRONG_DAY: 422,
  // Planning (db/repositories/staff.ts, sites.ts, session-day-planning.ts); their other refusals are 409s.
  STAFF_NOT_FOUND: 404,
  SITE_NOT_FOUND: 404,
  ASSIGNMENT_NOT_FOUND: 404,
  INVALID_SESSION_PLAN: 422,
  STAFF_INACTIVE: 422,
  STAFF_OUTSIDE_DISTRICT: 422,
  TEAM_ROLE_NOT_ALLOWED: 422,
  PINCODE_OUTSIDE_DISTRICT: 422,
  FEE_AT_GOVERNMENT_SITE: 422,
  TOO_MANY_CODE_TRIES: 429,
  TOO_MANY_BOOKING_CHANGES: 429,
  IDENTITY_PROOF_REQUIRED: 400,
  VERIFICATION_INVALID: 403,
  VERIFICATION_EXPIRED: 403,
  NO_PEOPLE_ON_MOBILE: 404,
  PERSON_NOT_ON_MOBILE: 403,
  DOSE_NOT_FOUND: 404,
  DOSE_REFERENCE_REQUIRED: 400,
  AEFI_BEFORE_DOSE: 422,
  // Session teams (db/repositories/team.ts, slot-generation.ts); their other refusals are 409s.
  SAME_PERSON: 422,
  INVALID_SLOT_LENGTH: 422,
  // Dry runs (api/services/dry-runs.ts).
  INVALID_DRY_RUN: 422,
  // Vaccine batches and stock (domain/vaccine-batches.ts); BATCH_ALREADY_REGISTERED is a 409.
  BATCH_UNKNOWN: 422,
  BATCH_OF_ANOTHER_VACCINE: 422,
  BATCH_EXPIRED: 422,
  BATCH_INCOMPLETE: 422,
  BATCH_NOT_FOUND: 404,
  STOCK_NOT_ISSUED: 422,
  VIALS_TOO_FEW: 422,
  // Sites' stores (domain/site-store.ts); CLIENT_EVENT_REUSED is a 409, SITE_NOT_FOUND a 404 (above).
  STORE_TOO_FEW: 422,
  DISCARD_NOTE_REQUIRED: 400,
  // Doses given elsewhere (domain/dose-elsewhere.ts); DOSE_ALREADY_RECORDED, DOSE_OUT_OF_ORDER and the person's
  // stage are 409s.
  DATE_IN_FUTURE: 422,
  VACCINE_NOT_FOUND: 422,
};

export function refusalStatus(code: string): number {
  return REFUSAL_STATUS[code] ?? 409;
}
