/** Why a booking, reschedule or cancellation is refused. Pure: the workflow bundle and the database layer share it. */
export const BookingRefusal = {
  SESSION_FULL: 'SESSION_FULL',
  SLOT_FULL: 'SLOT_FULL',
  SLOT_NOT_FOUND: 'SLOT_NOT_FOUND',
  SESSION_NOT_BOOKABLE: 'SESSION_NOT_BOOKABLE',
  AGE_NOT_ELIGIBLE: 'AGE_NOT_ELIGIBLE',
  DOSE2_WINDOW: 'DOSE2_WINDOW',
  VACCINE_MISMATCH: 'VACCINE_MISMATCH',
  ALREADY_BOOKED: 'ALREADY_BOOKED',
  APPOINTMENT_NOT_FOUND: 'APPOINTMENT_NOT_FOUND',
} as const;
