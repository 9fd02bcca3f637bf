/**
 * The beneficiary journey's stage machine: pure, no Temporal imports, exhaustively unit-tested.
 *
 * REGISTERED ─otpVerified─▶ VERIFIED ─booked(1)─▶ DOSE1_BOOKED ─dose(1)─▶ DOSE1_DONE ─booked(2)─▶ DOSE2_BOOKED ─dose(2)─▶ FULLY_VACCINATED
 *     │ otpExpired             ▲  cancelled / no-show / session cancelled ┘     ▲  cancelled / no-show / session cancelled ┘
 *     ▼                        │                                               │
 *  EXPIRED                     └── (walk-in: dose(1) straight from VERIFIED)   └── (walk-in: dose(2) straight from DOSE1_DONE)
 * Any stage before the first dose can be WITHDRAWN (the account holder deletes the person).
 *
 * FULLY_VACCINATED ─booked(3)─▶ PRECAUTION_BOOKED ─dose(3)─▶ PRECAUTION_DONE: the precaution dose (domain/precaution.ts)
 *        ▲  cancelled / no-show / session cancelled ┘      (walk-in: dose(3) straight from FULLY_VACCINATED)
 * A journey whose vaccine has no precaution dose ends at FULLY_VACCINATED.
 */
export const STAGES = [
  'REGISTERED',
  'VERIFIED',
  'EXPIRED',
  'DOSE1_BOOKED',
  'DOSE1_DONE',
  'DOSE2_BOOKED',
  'FULLY_VACCINATED',
  'PRECAUTION_BOOKED',
  'PRECAUTION_DONE',
  'WITHDRAWN',
] as const;
export type Stage = (typeof STAGES)[number];

export type JourneyEvent =
  | { type: 'OTP_VERIFIED' }
  | { type: 'OTP_EXPIRED' }
  | { type: 'BOOKED'; dose: number }
  | { type: 'RESCHEDULED'; dose: number }
  | { type: 'CANCELLED'; dose: number }
  | { type: 'NO_SHOW'; dose: number }
  | { type: 'SESSION_CANCELLED'; dose: number }
  | { type: 'DOSE_ADMINISTERED'; dose: number; totalDoses: number }
  | { type: 'WITHDRAWN' };

export type Transition = { ok: true; stage: Stage } | { ok: false; reason: string };

/** Stages that end the journey: no further event is accepted. */
export const FINAL_STAGES: ReadonlySet<Stage> = new Set(['EXPIRED', 'PRECAUTION_DONE', 'WITHDRAWN']);

/** Fully vaccinated: the primary schedule is over (a precaution dose may follow). */
export const VACCINATED_STAGES: ReadonlySet<Stage> = new Set([
  'FULLY_VACCINATED',
  'PRECAUTION_BOOKED',
  'PRECAUTION_DONE',
]);

const bookedStage = (dose: number): Stage | undefined =>
  dose === 1 ? 'DOSE1_BOOKED' : dose === 2 ? 'DOSE2_BOOKED' : dose === 3 ? 'PRECAUTION_BOOKED' : undefined;
/** Where a person waits to book the given dose. */
const waitingStage = (dose: number): Stage | undefined =>
  dose === 1 ? 'VERIFIED' : dose === 2 ? 'DOSE1_DONE' : dose === 3 ? 'FULLY_VACCINATED' : undefined;

function refuse(stage: Stage, what: string): Transition {
  return { ok: false, reason: `${what} is not possible at stage ${stage}` };
}

export function nextStage(stage: Stage, event: JourneyEvent): Transition {
  if (FINAL_STAGES.has(stage)) return refuse(stage, event.type.toLowerCase().replace(/_/g, ' '));
  switch (event.type) {
    case 'OTP_VERIFIED':
      return stage === 'REGISTERED' ? { ok: true, stage: 'VERIFIED' } : refuse(stage, 'OTP verification');
    case 'OTP_EXPIRED':
      return stage === 'REGISTERED' ? { ok: true, stage: 'EXPIRED' } : refuse(stage, 'OTP expiry');
    case 'BOOKED': {
      const target = bookedStage(event.dose);
      return target && stage === waitingStage(event.dose)
        ? { ok: true, stage: target }
        : refuse(stage, `booking dose ${event.dose}`);
    }
    case 'RESCHEDULED':
      return stage === bookedStage(event.dose) ? { ok: true, stage } : refuse(stage, `rescheduling dose ${event.dose}`);
    case 'CANCELLED':
    case 'NO_SHOW':
    case 'SESSION_CANCELLED': {
      const back = waitingStage(event.dose);
      return back && stage === bookedStage(event.dose)
        ? { ok: true, stage: back }
        : refuse(stage, `releasing dose ${event.dose}`);
    }
    case 'DOSE_ADMINISTERED': {
      const waiting = waitingStage(event.dose);
      const ready = waiting ? [waiting, bookedStage(event.dose)] : [];
      if (!ready.includes(stage)) return refuse(stage, `recording dose ${event.dose}`);
      if (event.dose > event.totalDoses) return { ok: true, stage: 'PRECAUTION_DONE' };
      return { ok: true, stage: event.dose >= event.totalDoses ? 'FULLY_VACCINATED' : 'DOSE1_DONE' };
    }
    case 'WITHDRAWN':
      return ['REGISTERED', 'VERIFIED', 'DOSE1_BOOKED'].includes(stage)
        ? { ok: true, stage: 'WITHDRAWN' }
        : refuse(stage, 'withdrawal');
  }
}

/** The dose a person at this stage may book next, if any. */
export function bookableDose(stage: Stage): number | undefined {
  return stage === 'VERIFIED' ? 1 : stage === 'DOSE1_DONE' ? 2 : stage === 'FULLY_VACCINATED' ? 3 : undefined;
}

/** The dose whose appointment is live at this stage, if any. */
export function bookedDose(stage: Stage): number | undefined {
  return stage === 'DOSE1_BOOKED' ? 1 : stage === 'DOSE2_BOOKED' ? 2 : stage === 'PRECAUTION_BOOKED' ? 3 : undefined;
}
