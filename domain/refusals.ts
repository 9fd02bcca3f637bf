/**
 * Every refusal Teeka gives, in one catalogue: a rule said no to a request it understood (a full session, the
 * dose-2 window, a wrong OTP...), and the API's own answers to a request it cannot take (not logged in, not
 * allowed, malformed input, too many requests). Each code has the one HTTP status the API answers it with, an
 * English message (the meaning of the code; the place refusing usually says more; every code also has a sentence
 * in every language's dashboard/src/i18n/locales/<language>/errors.json), whether English screens show that
 * sentence rather than the server's words (`shown`), and, where the Co-WIN API v2 answers it, Co-WIN's status and
 * error code.
 *
 * Every layer takes its codes from here: domain rules and repositories raise them (`refuse`, `DomainRefusal`),
 * workflows fail updates with them, the API raises only these (`AppError` in `api/errors.ts` takes a code of this
 * catalogue and its status from here, so an uncatalogued code fails the type-check) and maps them through this
 * catalogue only (`refusalStatus`, `api/services/cowin-mapping.ts`). tests/domain/refusals.test.ts checks that
 * every code the code uses is here. Pure: the workflow bundle imports it.
 */

export interface CowinRefusal {
  /** Co-WIN's HTTP status, which may differ from Teeka's own API's. */
  status: number;
  errorCode: string;
  /** Co-WIN's own wording, for codes partner apps match on; otherwise the refusal's message is sent. */
  error?: string;
  /** Seen in Co-WIN traffic (partner apps test for it), as opposed to assigned by Teeka in the same style (9xxx). */
  seen: boolean;
}

export interface RefusalEntry {
  /** The HTTP status Teeka's API answers with. */
  status: number;
  /**
   * The status when staff relay a person's answer at the desk (the person's OTP): a 401 would say the staff
   * member's own login failed, so the dashboard would end it.
   */
  deskStatus?: number;
  /** What the refusal means, in English. */
  message: string;
  /**
   * English screens of the dashboard show its sentence in errors.json; for the others they show the server's own
   * words, which say more (which session day, which row). Other languages always show errors.json's, which has
   * every code in every language.
   */
  shown?: boolean;
  cowin?: CowinRefusal;
}

export const REFUSALS = {
  ACCOUNT_LOCKED: {
    status: 429,
    message: 'Too many wrong passwords for this account. Try again later, or ask your officer to reset the password.',
  },
  AEFI_BEFORE_DOSE: { status: 422, shown: true, message: 'An adverse event can be reported only after the dose.' },
  AGE_NOT_ELIGIBLE: {
    status: 422,
    shown: true,
    message: "This session is not for this person's age.",
    cowin: { status: 400, errorCode: 'APPOIN9005', seen: false },
  },
  AGE_RANGE_EXCLUDES_BOOKED: {
    status: 409,
    message: 'The new age range leaves out people already booked at this session day.',
  },
  ALREADY_BOOKED: {
    status: 409,
    shown: true,
    message: 'This person already has a booking.',
    cowin: { status: 409, errorCode: 'APPOIN0022', seen: true },
  },
  ALREADY_ON_TEAM: { status: 409, message: "That person is already on this session day's team." },
  APPOINTMENT_NOT_FOUND: {
    status: 404,
    shown: true,
    message: 'That appointment does not exist.',
    cowin: { status: 404, errorCode: 'APPOIN9008', seen: false },
  },
  ASSIGNMENT_HAS_DOSES: {
    status: 409,
    message: 'That person has recorded doses at this session day and cannot be taken off its team.',
  },
  ASSIGNMENT_NOT_FOUND: { status: 404, message: 'That person is not assigned to this session day.' },
  BATCH_ALREADY_REGISTERED: { status: 409, shown: true, message: 'That vaccine already has a batch with this number.' },
  BATCH_EXPIRED: { status: 422, shown: true, message: 'That batch has expired. Use a batch in date.' },
  BATCH_INCOMPLETE: {
    status: 422,
    shown: true,
    message: 'That batch has no expiry date on record yet; an officer must complete it first.',
  },
  BATCH_NOT_FOUND: { status: 404, shown: true, message: 'No such batch or vaccine.' },
  BATCH_OF_ANOTHER_VACCINE: {
    status: 422,
    shown: true,
    message: "That batch is of another vaccine than this session's.",
  },
  BATCH_UNKNOWN: {
    status: 422,
    shown: true,
    message: 'That batch is not in the batch registry. Check the number on the vial.',
  },
  BOOKING_CHANGED: { status: 409, message: "The person's bookings changed while this request was made. Try again." },
  CAPACITY_BELOW_BOOKED: { status: 409, message: 'The capacity would be below the number of people already booked.' },
  CENTRE_MISMATCH: {
    status: 400,
    message: 'The session is not at that centre.',
    cowin: { status: 400, errorCode: 'APPOIN9012', error: 'The session is not at that center', seen: false },
  },
  CENTRE_NOT_FOUND: {
    status: 404,
    message: 'No such vaccination centre.',
    cowin: { status: 404, errorCode: 'APPOIN9011', error: 'No such vaccination center', seen: false },
  },
  CLIENT_EVENT_CONFLICT: { status: 409, shown: true, message: 'This record was already sent with different details.' },
  CLIENT_EVENT_REUSED: {
    status: 409,
    shown: true,
    message: 'This request was already used for another store movement. Try again.',
  },
  CLOCK_BEFORE_SESSION_DAY: { status: 409, shown: true, message: "The record's time is before the session day." },
  CLOCK_IN_FUTURE: {
    status: 409,
    shown: true,
    message: "The phone's clock is ahead. Set the right time and sync again.",
  },
  CLOCK_TOO_OLD: { status: 409, shown: true, message: 'This record is too old to be accepted.' },
  CLOCK_UNRELIABLE: {
    status: 409,
    shown: true,
    message: "The phone's clock is unreliable. Set the right time and sync again.",
  },
  CORRECTION_USED: {
    status: 409,
    shown: true,
    message: 'The details were corrected once already. A district officer can correct them again.',
  },
  DATE_IN_FUTURE: { status: 422, shown: true, message: 'The date given is in the future.' },
  DISCARD_NOTE_REQUIRED: { status: 400, shown: true, message: 'Say in the note why the vials were discarded.' },
  DISPUTE_DECIDED: { status: 409, message: 'This identity dispute was already decided.' },
  DISTRICT_NOT_THE_PERSONS: {
    status: 422,
    shown: true,
    message: "This person's doses are recorded in their own district; leave the district out or name theirs.",
  },
  DISTRICT_REQUIRED: { status: 400, message: 'Name the district.' },
  DOSE2_TOO_EARLY: { status: 422, shown: true, message: 'It is too early for dose 2.' },
  DOSE2_WINDOW: {
    status: 422,
    shown: true,
    message: 'Dose 2 cannot be booked for this date.',
    cowin: { status: 400, errorCode: 'APPOIN9006', seen: false },
  },
  DOSE_ALREADY_RECORDED: { status: 409, shown: true, message: 'This dose is already recorded.' },
  DOSE_NOT_DUE: {
    status: 400,
    shown: true,
    message: 'No dose is due for this person.',
    cowin: { status: 400, errorCode: 'APPOIN9003', seen: false },
  },
  DOSE_NOT_FOUND: { status: 404, shown: true, message: 'No such dose.' },
  DOSE_OUT_OF_ORDER: { status: 409, shown: true, message: "Add the person's earlier doses first, in order." },
  DOSE_REFERENCE_REQUIRED: { status: 400, message: 'Name the dose the report is about.' },
  DRY_RUN_KEPT_APART: { status: 409, message: "A dry run's people and a real session day are kept apart." },
  DRY_RUN_MOBILE: { status: 409, message: 'This mobile number is kept for dry runs.' },
  DRY_RUN_RUNNING: { status: 409, message: 'The simulation is still running; delete it once it has finished.' },
  FEE_AT_GOVERNMENT_SITE: { status: 422, message: 'Vaccination at a government site is free.' },
  FORBIDDEN: { status: 403, shown: true, message: 'Not allowed for your role or jurisdiction.' },
  FULLY_VACCINATED: { status: 409, shown: true, message: 'This person is fully vaccinated.' },
  HINT_REVIEWED: { status: 409, message: 'This pair of people has already been reviewed.' },
  HOLDER_VACCINATED: {
    status: 409,
    message: 'The person holding this photo ID has been vaccinated under it; it cannot be released.',
  },
  HOURS_LOCKED: { status: 409, message: "The session day's hours can no longer change." },
  IDENTITY_ALREADY_REGISTERED: {
    status: 409,
    message: 'Someone is already registered with this photo ID.',
    cowin: { status: 409, errorCode: 'BENEFI9003', seen: false },
  },
  IDENTITY_PROOF_REQUIRED: { status: 400, shown: true, message: 'Check the secret code or an OTP first.' },
  ID_NOT_REGISTERED: { status: 409, message: 'Nobody holds this photo ID: the person can register with it now.' },
  ID_TYPE_AND_NUMBER: { status: 400, shown: true, message: 'Give both the photo ID type and its number.' },
  INTERNAL: { status: 500, shown: true, message: 'Something went wrong on the server; it has been logged.' },
  INVALID_BIRTH_YEAR: {
    status: 400,
    shown: true,
    message: 'That year of birth is not possible.',
    cowin: { status: 400, errorCode: 'BENEFI9002', seen: false },
  },
  INVALID_DATE: { status: 400, message: 'That is not a date on the calendar.' },
  INVALID_DRY_RUN: { status: 422, message: "The dry run's settings are not valid." },
  INVALID_EXTENSION: { status: 422, message: 'The session day cannot be extended like that.' },
  INVALID_ID_NUMBER: {
    status: 400,
    shown: true,
    message: 'That photo ID number is not valid.',
    cowin: { status: 400, errorCode: 'BENEFI9001', seen: false },
  },
  INVALID_INPUT: { status: 400, shown: true, message: 'The request is not valid.' },
  INVALID_INTERVENTION: { status: 400, message: 'The intervention is missing what it needs (such as its reason).' },
  INVALID_ITEM: { status: 409, shown: true, message: 'The record could not be read.' },
  INVALID_PHASES: { status: 422, message: 'The eligibility phases are not valid.' },
  INVALID_RANGE: { status: 400, message: 'The start of the range is after its end.' },
  INVALID_SESSION_PLAN: { status: 422, message: 'The session plan is not valid.' },
  INVALID_SLOT: {
    status: 400,
    message: 'The session has no such slot.',
    cowin: { status: 400, errorCode: 'APPOIN9009', seen: false },
  },
  INVALID_SLOT_LENGTH: { status: 422, message: "That slot length does not divide the session day's hours." },
  INVALID_USERNAME: { status: 400, message: 'That username is not valid.' },
  JOURNEY_ENDED: {
    status: 409,
    shown: true,
    message: "This person's registration has ended; no dose can be added.",
    cowin: { status: 409, errorCode: 'APPOIN9013', seen: false },
  },
  LOOKUP_NEEDS_ONE_KEY: { status: 400, message: 'Give a mobile number or a reference id, one of them.' },
  MALFORMED_REPORT: { status: 400, message: 'The delivery report could not be read.' },
  METHOD_REQUIRED: { status: 400, message: 'Give the secret code, or the mobile number with its OTP.' },
  MISSING_LOCATION: { status: 400, message: 'Give a district or a pincode.' },
  NOTHING_TO_CORRECT: { status: 422, shown: true, message: 'Nothing differs from the registered details.' },
  NOTHING_TO_REISSUE: {
    status: 409,
    shown: true,
    message: 'Every certificate of this person is live; there is nothing to issue again.',
  },
  NOT_ALLOWED_AT_STAGE: {
    status: 409,
    shown: true,
    message: "That is not possible at this person's stage.",
    cowin: { status: 409, errorCode: 'APPOIN9002', seen: false },
  },
  NOT_FOUND: { status: 404, shown: true, message: 'Not found.' },
  NOT_YOUR_STEP: { status: 403, shown: true, message: 'This step belongs to another team member.' },
  NO_CERTIFICATE: {
    status: 404,
    shown: true,
    message: 'No certificate yet.',
    cowin: { status: 404, errorCode: 'CERT0001', error: 'No certificate issued', seen: false },
  },
  NO_JURISDICTION: { status: 400, message: 'A national admin has no state or district.' },
  NO_PEOPLE_ON_MOBILE: { status: 404, shown: true, message: 'Nobody is registered on that mobile.' },
  NO_PRECAUTION_DOSE: { status: 422, message: "That vaccine's schedule has no precaution dose." },
  OBSERVATION_NOT_OVER: { status: 409, shown: true, message: 'The 30-minute observation is not over yet.' },
  ONE_METHOD: { status: 400, message: 'Check the person by the secret code or by an OTP, not both.' },
  OTP_EXPIRED: {
    status: 401,
    deskStatus: 403,
    shown: true,
    message: 'That OTP has expired. Ask for a new one.',
    cowin: { status: 400, errorCode: 'USRAUT9001', seen: false },
  },
  OTP_INVALID: {
    status: 401,
    deskStatus: 403,
    shown: true,
    message: 'That OTP is not right. Check the SMS and try again.',
    cowin: { status: 400, errorCode: 'USRAUT0014', error: 'Invalid OTP', seen: true },
  },
  OTP_LOCKED: {
    status: 429,
    shown: true,
    message: 'Too many wrong OTPs. Ask for a new one.',
    cowin: { status: 429, errorCode: 'USRAUT9002', seen: false },
  },
  OTP_UNKNOWN: {
    status: 401,
    deskStatus: 403,
    shown: true,
    message: 'That OTP is not known. Ask for a new one.',
    cowin: { status: 400, errorCode: 'USRAUT9001', seen: false },
  },
  OTP_USED: {
    status: 401,
    deskStatus: 403,
    shown: true,
    message: 'That OTP was already used. Ask for a new one.',
    cowin: { status: 400, errorCode: 'USRAUT9001', seen: false },
  },
  PERSON_HAS_NO_DISTRICT: {
    status: 422,
    shown: true,
    message:
      'This person has not been booked or vaccinated in any district yet: name the district that records the dose.',
  },
  PERSON_NOT_FOUND: {
    status: 404,
    shown: true,
    message: 'No person with that reference id.',
    cowin: {
      status: 404,
      errorCode: 'BENEFI9005',
      error: 'Beneficiary not found under this mobile number',
      seen: false,
    },
  },
  PERSON_NOT_ON_MOBILE: { status: 403, shown: true, message: 'This person is not registered on that mobile.' },
  PERSON_NOT_VERIFIED: {
    status: 409,
    shown: true,
    message: "The person's mobile is not verified yet; add the dose once it is.",
  },
  PHASE_NOT_OPEN: {
    status: 422,
    message: "The state's eligibility phases do not yet cover this person on the session's date.",
    cowin: { status: 400, errorCode: 'APPOIN9015', seen: false },
  },
  PINCODE_OUTSIDE_DISTRICT: { status: 422, message: "That pincode is outside the site's district." },
  PRECAUTION_NOT_DUE: {
    status: 422,
    shown: true,
    message: 'The precaution dose is not due yet for this person.',
    cowin: { status: 400, errorCode: 'APPOIN9006', seen: false },
  },
  RANGE_TOO_LONG: { status: 400, message: 'The range of dates is too long.' },
  RATE_LIMITED: { status: 429, shown: true, message: 'Too many requests. Wait a little and try again.' },
  REGISTRATION_EXPIRED: {
    status: 409,
    message: 'The registration lapsed because its OTP was not verified in time. Register again.',
  },
  SAME_PERSON: { status: 422, message: 'The replacement is the person being replaced.' },
  SECRET_CODE_MISMATCH: { status: 403, shown: true, message: 'The secret code does not match.' },
  SELF_DEACTIVATION: { status: 400, message: 'You cannot deactivate your own account.' },
  SERVER_ERROR: { status: 503, shown: true, message: 'The server could not store it yet; it will retry.' },
  SESSION_DAY_EXISTS: { status: 409, message: 'That site already has a session day on that date.' },
  SESSION_DAY_FINISHED: { status: 409, shown: true, message: 'This session day is over.' },
  SESSION_DAY_NOT_EDITABLE: { status: 409, message: 'This session day can no longer be changed.' },
  SESSION_DAY_REQUIRED: { status: 400, message: 'Desk staff look people up at a session day they are on.' },
  SESSION_FULL: {
    status: 409,
    shown: true,
    message: 'No seats left in this session.',
    cowin: {
      status: 409,
      errorCode: 'APPOIN0040',
      error:
        'This vaccination center is completely booked for the selected date. Please try another date or vaccination center.',
      seen: true,
    },
  },
  SESSION_NOT_ALLOWED_IN_STATUS: { status: 409, message: "That is not possible in the session day's current status." },
  SESSION_NOT_BOOKABLE: {
    status: 409,
    shown: true,
    message: 'This session can no longer be booked.',
    cowin: { status: 409, errorCode: 'APPOIN9004', seen: false },
  },
  SESSION_NOT_FOUND: {
    status: 404,
    shown: true,
    message: 'That session does not exist.',
    cowin: { status: 404, errorCode: 'APPOIN9010', error: 'No such session', seen: false },
  },
  SESSION_NOT_OPEN: { status: 409, shown: true, message: 'The session is not open for doses.' },
  SITE_NOT_FOUND: { status: 404, shown: true, message: 'No such site.' },
  SLOTS_CANNOT_HOLD_BOOKINGS: { status: 409, message: 'The new slots cannot hold the bookings already made.' },
  SLOT_FULL: {
    status: 409,
    shown: true,
    message: 'No seats left in this time slot.',
    cowin: { status: 409, errorCode: 'APPOIN9001', seen: false },
  },
  SLOT_NOT_FOUND: { status: 422, shown: true, message: 'That time slot does not exist.' },
  STAFF_DOUBLE_BOOKED: { status: 409, message: "That staff member is already on another session day's team that day." },
  STAFF_INACTIVE: { status: 422, message: 'That staff member is deactivated and cannot be assigned.' },
  STAFF_NOT_FOUND: { status: 404, message: 'No such staff member.' },
  STAFF_OUTSIDE_DISTRICT: { status: 422, message: 'That staff member works in another district.' },
  STATE_MISMATCH: { status: 400, message: 'That district is not in that state.' },
  STATE_REQUIRED: { status: 400, message: 'A state officer needs a state and no district.' },
  STOCK_NOT_ISSUED: { status: 422, shown: true, message: 'That batch was not issued to this session.' },
  STORE_TOO_FEW: {
    status: 422,
    shown: true,
    message:
      "The site's store does not hold that many vials of this batch. Record the vials received from the district first.",
  },
  TEAM_ROLE_NOT_ALLOWED: { status: 422, message: "That staff member's role cannot take this team role." },
  TOKEN_IN_URL: { status: 400, message: 'Send the callback token in its header, not in the URL.' },
  TOO_MANY_BOOKING_CHANGES: {
    status: 429,
    shown: true,
    message:
      "This person's bookings have been changed 6 times today. Book or move again tomorrow; cancelling still works.",
    cowin: { status: 429, errorCode: 'APPOIN9014', seen: false },
  },
  TOO_MANY_CODE_TRIES: {
    status: 429,
    shown: true,
    message: 'Too many wrong codes for this person. Use an OTP to their mobile.',
  },
  TOO_MANY_OTPS: {
    status: 429,
    shown: true,
    message: 'Too many OTPs for this number. Please try again later.',
    cowin: { status: 429, errorCode: 'USRAUT9003', seen: false },
  },
  TOO_MANY_PEOPLE: {
    status: 409,
    shown: true,
    message: 'One mobile may register at most 4 people.',
    cowin: { status: 409, errorCode: 'BENEFI9004', seen: false },
  },
  TOO_MANY_REQUESTS: { status: 429, shown: true, message: 'Too many requests. Wait a little and try again.' },
  TOO_MANY_ROWS: { status: 400, message: 'The file has too many rows.' },
  UNAUTHENTICATED: { status: 401, shown: true, message: 'Authentication required: log in again.' },
  UNAVAILABLE: { status: 503, shown: true, message: 'The service is busy; try again shortly.' },
  USERNAME_TAKEN: { status: 409, message: 'That username is already taken; choose another.' },
  VACCINE_MISMATCH: {
    status: 422,
    shown: true,
    message: 'Dose 2 must be the same vaccine as dose 1.',
    cowin: { status: 400, errorCode: 'APPOIN9007', seen: false },
  },
  VACCINE_NOT_FOUND: { status: 422, shown: true, message: 'No such vaccine.' },
  VALIDATION_FAILED: { status: 400, shown: true, message: 'The request is not valid.' },
  VERIFICATION_EXPIRED: { status: 403, shown: true, message: 'The identity check has expired. Check again.' },
  VERIFICATION_INVALID: { status: 403, shown: true, message: 'The identity check is not valid. Check again.' },
  VIALS_TOO_FEW: {
    status: 422,
    shown: true,
    message: 'The vials opened hold fewer doses than were given from them. Count the opened vials again.',
  },
  WALKINS_CLOSED: { status: 409, shown: true, message: 'Walk-ins are closed for this session.' },
  WALKIN_NOT_REGISTERED: {
    status: 409,
    shown: true,
    message:
      'The walk-in this dose was given to was not registered (see their registration on this phone); register them and record the dose again.',
  },
  WALKIN_QUOTA_FULL: { status: 409, shown: true, message: 'No walk-in seats left today.' },
  WASTAGE_MISMATCH: { status: 400, message: 'The wastage given does not match the vials opened.' },
  WEAK_PASSWORD: { status: 400, message: 'That password is too weak.' },
  WRONG_DAY: { status: 422, shown: true, message: 'This session is on another day.' },
} as const satisfies Record<string, RefusalEntry>;

export type RefusalCode = keyof typeof REFUSALS;

/** Each code by name (`Refusal.SESSION_FULL`), so a misspelt code fails the type-check. */
export const Refusal = Object.fromEntries(Object.keys(REFUSALS).map((code) => [code, code])) as {
  readonly [C in RefusalCode]: C;
};

export function isRefusalCode(code: string): code is RefusalCode {
  return Object.prototype.hasOwnProperty.call(REFUSALS, code);
}

/** The catalogue's entry for a code. */
export function refusalEntry(code: RefusalCode): RefusalEntry {
  return REFUSALS[code];
}

/** Why a booking, reschedule or cancellation is refused: the workflow bundle and the database layer share them. */
export const BookingRefusal = {
  SESSION_FULL: Refusal.SESSION_FULL,
  SLOT_FULL: Refusal.SLOT_FULL,
  SLOT_NOT_FOUND: Refusal.SLOT_NOT_FOUND,
  SESSION_NOT_BOOKABLE: Refusal.SESSION_NOT_BOOKABLE,
  AGE_NOT_ELIGIBLE: Refusal.AGE_NOT_ELIGIBLE,
  /** The state's eligibility phases do not yet cover the person's group and age on the session's date. */
  PHASE_NOT_OPEN: Refusal.PHASE_NOT_OPEN,
  DOSE2_WINDOW: Refusal.DOSE2_WINDOW,
  VACCINE_MISMATCH: Refusal.VACCINE_MISMATCH,
  ALREADY_BOOKED: Refusal.ALREADY_BOOKED,
  APPOINTMENT_NOT_FOUND: Refusal.APPOINTMENT_NOT_FOUND,
  /** A real person at a dry run's session day, or a dry run's test person at a real one (2026-12-07T1215_dry_runs). */
  DRY_RUN_KEPT_APART: Refusal.DRY_RUN_KEPT_APART,
} as const;
