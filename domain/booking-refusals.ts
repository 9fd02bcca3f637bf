/** Why a booking, reschedule or cancellation is refused. Pure: the workflow bundle and the database layer share it. */
export const BookingRefusal = {
  SESSION_FULL: 'SESSION_FULL',
  SLOT_FULL: 'SLOT_FULL',
  SLOT_NOT_FOUND: 'SLOT_NOT_FOUND',
  SESSION_NOT_BOOKABLE: 'SESSION_NOT_BOOKABLE',
  AGE_NOT_ELIGIBLE: 'AGE_NOT_ELIGIBLE',
  /** The state's eligibility phases do not yet cover the person's group and age on the session's date. */
  PHASE_NOT_OPEN: 'PHASE_NOT_OPEN',
  DOSE2_WINDOW: 'DOSE2_WINDOW',
  VACCINE_MISMATCH: 'VACCINE_MISMATCH',
  ALREADY_BOOKED: 'ALREADY_BOOKED',
  APPOINTMENT_NOT_FOUND: 'APPOINTMENT_NOT_FOUND',
  /** A real person at a dry run's session day, or a dry run's test person at a real one (2026-12-07T1215_dry_runs). */
  DRY_RUN_KEPT_APART: 'DRY_RUN_KEPT_APART',
} as const;
