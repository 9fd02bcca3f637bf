/**
 * One workflow per beneficiary: registration → verification → booking → dose 1 → dose-2 reminders →
 * dose 2 → fully vaccinated. Orchestration only: every read and write goes through activities.
 *
 * Updates answer the caller (verify, withdraw; and book, reschedule, cancel from an earlier release); signals bring
 * clinic events (dose administered, session cancelled, account verified) and booking changes, which the API
 * commits in Postgres first (a booking storm never waits on a workflow task); a query returns the snapshot.
 * Handlers and the main loop run one at a time (`exclusive`), so a booking change never races a no-show check.
 *
 * Journeys run for months across releases: every change to the commands this file issues goes behind `patched()`
 * and is retired with `deprecatePatch()`, as ./PATCHING.md says; tests/journey/replay.test.ts replays the recorded
 * histories of earlier releases against this code in CI.
 */
import {
  ApplicationFailure,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import {
  awaitingReturn,
  inactiveAtMs,
  calendarNowOnRunClock,
  planAppointmentTimers,
  planDose2Timers,
  planPrecautionTimers,
  passedDose2Texts,
  DEFAULT_INACTIVE_AFTER_DAYS,
  NO_SHOW_DEVICE_WAIT_MS,
  scaleDuration,
  nextTimer,
  type AppointmentTimers,
  type Dose2Timers,
  type PrecautionTimers,
  type Timer,
  type TimerFacts,
} from '../../domain/journey-schedule.js';
import {
  bookableDose,
  bookedDose,
  FINAL_STAGES,
  nextStage,
  type JourneyEvent,
  type Stage,
} from '../../domain/journey-state.js';
import {
  accountVerifiedSignal,
  bookingChangedSignal,
  bookSlotUpdate,
  cancelAppointmentUpdate,
  doseAdministeredSignal,
  journeySnapshotQuery,
  JourneyFailure,
  rescheduleUpdate,
  sessionCancelledSignal,
  verifyOtpUpdate,
  withdrawUpdate,
  type AppointmentView,
  type BookingChangedEvent,
  type DoseAdministeredEvent,
  type JourneyInput,
  type JourneySnapshot,
  type SessionCancelledEvent,
  type VerifyOtpResult,
  type VerifyOtpInput,
  type BookSlotInput,
  type RequestedBy,
  type WithdrawInput,
} from '../shared.js';
import type { BookedAppointment, SmsTemplateVars } from '../activities/journey.js';
import { describeAppointment } from '../../domain/booking-rules.js';
import { FINAL_STATUSES, type SessionStatus } from '../../domain/session-status.js';
import { indiaDate, indiaInstant } from '../../domain/time.js';
import { WorkflowMutex } from './mutex.js';

/** Booking changes come from Postgres (bookingChanged); a release the journey finds done elsewhere waits for it. */
const BOOKING_IN_REQUEST = 'booking-in-request';

const acts = proxyActivities<Activities>({
  // Each activity is a few queries or one gateway call; a short timeout lets a crashed worker's task move on fast.
  startToCloseTimeout: '10 seconds',
  // A template error is a bug to fix, not a fault to wait out; gateway errors retry with backoff.
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['SmsTemplateError'],
  },
});

/** A dose's stage, SMS and certificate in one local activity: one workflow task per dose instead of four. */
const DOSE_STEP_IN_ONE = 'dose-step-in-one';

/**
 * A no-show waits while a desk device that took the session's list has not been in touch since the session
 * closed (it may hold doses given offline), checking again every grace period, for at most NO_SHOW_DEVICE_WAIT_MS.
 */
const NO_SHOW_WAITS_FOR_DEVICES = 'no-show-waits-for-devices';
/**
 * A booking moved because its session day was cancelled is texted as such (SESSION_MOVED: the new slot, and that
 * the person may change it) rather than as a reschedule they asked for.
 */
const SESSION_MOVE_SMS = 'session-move-sms';
/**
 * The precaution dose: a journey whose last primary dose names a precaution due date (the vaccine has one) stays
 * open at FULLY_VACCINATED, texts PRECAUTION_DUE on that date, and carries the precaution dose's booking and dose
 * to PRECAUTION_DONE, instead of ending at FULLY_VACCINATED.
 */
const PRECAUTION_DOSE = 'precaution-dose';
/**
 * A journey that can no longer move by itself ends, awaiting its person's return, instead of staying open for
 * ever. The rule, in `awaitingReturn` and `inactiveAtMs` (domain/journey-schedule.ts): once the journey has
 * nothing of its own left to do — VERIFIED and not booked; DOSE1_DONE with dose 2 texted as due and every overdue
 * follow-up sent; FULLY_VACCINATED with the precaution dose texted as due — it waits `policy.inactiveAfterDays`
 * (JOURNEY_INACTIVE_AFTER_DAYS, default 180) after its last step (entering the stage, its last follow-up, the last
 * booking change it heard of). Then it projects the end (the stage stays, `beneficiary.journey_inactive_since` is
 * set) and returns. The person keeps their stage and history in Postgres; their next booking or dose resumes the
 * journey through workflows/journey-resume.ts (signalWithStart, state read from Postgres). Journeys of earlier
 * releases asleep in such a stage (no timer) replay as they were and take the rule from their next step on.
 */
const ENDS_WHEN_INACTIVE = 'ends-when-inactive';
/**
 * A dose 1 recorded long after it was given (administered in the past: an offline desk's late sync, a dose given
 * elsewhere): the person gets one text of dose 2's, the latest whose time has passed (`passedDose2Texts`), instead
 * of the due text and every overdue follow-up already past at once.
 */
const LATE_DOSE1_ONE_TEXT = 'late-dose1-one-text';
/**
 * A dry run's simulated person (`input.calendarStartMs`): the appointment's reminder and no-show check are placed on
 * the run's compressed day, the journey's start standing for the run's calendar start (`calendarNowOnRunClock`),
 * instead of on the real India calendar seen from now (at once in the afternoon, hours of the run's clock later
 * at night). A no-show check that finds the day not yet closed (the person's journey began a little before the
 * day's workflow) looks again a grace period later.
 */
const DRY_RUN_CLOCK = 'dry-run-clock';
/**
 * The journey's own short steps — entering a stage (an OTP expiring, a dose, a no-show), sending a text (a
 * reminder, a follow-up), ending or resuming while awaiting return — run as local activities in the workflow task
 * that takes the step, instead of activities with a round trip through the task queue each: a reminder costs the
 * server one workflow task instead of two, with no activity task between. Asked once as the journey starts, so a
 * journey begun under an earlier release keeps its scheduled activities to the end.
 */
const LOCAL_STEPS = 'local-steps';

/**
 * Short Postgres work (and one gateway call) that needs no task queue of its own: run in the workflow task that
 * asked for it, so the Temporal server sees neither an activity task nor a second workflow task.
 */
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['SmsTemplateError'],
  },
});

interface LiveAppointment extends BookedAppointment {
  timers: AppointmentTimers & { reminderSent: boolean; attended?: boolean; devicesWaitUntilMs?: number };
}

type InboxItem =
  | { kind: 'sms'; template: string; vars: SmsTemplateVars }
  | { kind: 'dose'; event: DoseAdministeredEvent }
  | { kind: 'booking'; event: BookingChangedEvent }
  | { kind: 'sessionCancelled'; event: SessionCancelledEvent }
  | { kind: 'accountVerified' };

export async function beneficiaryJourneyWorkflow(input: JourneyInput): Promise<JourneySnapshot> {
  const { beneficiaryId, referenceId, policy } = input;
  let stage: Stage = input.verified ? 'VERIFIED' : 'REGISTERED';
  const history: JourneySnapshot['history'] = [
    { stage, atMs: input.registeredAtMs, reason: input.verified ? 'registered by a verified account' : 'registered' },
  ];
  const otpExpiresAtMs = input.registeredAtMs + policy.otpLifetimeMs;
  let appointment: LiveAppointment | undefined;
  let dose2: (Dose2Timers & { dueSent: boolean; followUpsSent: number; opensOn: string; closesOn: string }) | undefined;
  let precaution: (PrecautionTimers & { dueSent: boolean; dueOn: string }) | undefined;
  let dosesReceived = 0;
  let vaccineCode: string | undefined;
  /** Under `ends-when-inactive`: the journey ends when it has waited long enough for its person. */
  let endsWhenInactive = false;
  /** Ended awaiting the person's return (projected); a booking or dose still queued reopens it. */
  let inactive = false;
  /** The last step the journey took or heard of: its end, awaiting return, is counted from here. */
  let lastStepAtMs = Date.now();
  /** A dry run's person: the journey's start, which stands for the run's calendar start. */
  const startedAtMs = Date.now();
  const onRunClock = () => input.calendarStartMs !== undefined && patched(DRY_RUN_CLOCK);
  const steps = patched(LOCAL_STEPS) ? local : acts;
  // A journey that ended (fully vaccinated, or awaiting its person's return), resumed by their booking or dose
  // (workflows/journey-resume.ts): it begins where the person waits, as Postgres has it.
  if (input.resume) {
    stage = input.resume.stage;
    dosesReceived = input.resume.dosesReceived;
    vaccineCode = input.resume.vaccineCode;
    if (stage === 'FULLY_VACCINATED') {
      precaution = { dueAtMs: Date.now(), dueSent: true, dueOn: '' };
      history.push({ stage, atMs: Date.now(), reason: 'resumed for the precaution dose' });
    } else {
      history.push({ stage, atMs: Date.now(), reason: 'resumed: the person returned' });
    }
  }
  const seenDoseIds = new Set<string>();
  /** The person's booking version of the last booking change applied (beneficiary.booking_version). */
  let bookingVersion = 0;
  const inbox: InboxItem[] = [];
  const lock = new WorkflowMutex();
  let seq = 0;

  /** A key unique to this step of this journey, stable across replays: activities dedupe on it. */
  // A resumed journey's steps are keyed by its run too: its counter starts again at 0 under the same workflow id.
  const keyPrefix = input.resume ? `${workflowInfo().workflowId}:${workflowInfo().runId}` : workflowInfo().workflowId;
  const stepKey = (name: string) => `${keyPrefix}:${++seq}:${name}`;

  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => lock.exclusive(fn);

  /** Nothing more to carry: a final stage, fully vaccinated with no precaution dose planned, or awaiting return. */
  const ended = () => FINAL_STAGES.has(stage) || (stage === 'FULLY_VACCINATED' && !precaution) || inactive;

  function plan(event: JourneyEvent): Stage {
    const t = nextStage(stage, event);
    if (!t.ok) throw ApplicationFailure.nonRetryable(t.reason, JourneyFailure.NOT_ALLOWED_AT_STAGE);
    return t.stage;
  }

  function enter(to: Stage, reason: string) {
    stage = to;
    lastStepAtMs = Date.now();
    history.push({ stage: to, atMs: Date.now(), reason });
  }

  /** Moves to the planned stage and projects it into Postgres (for pages and dashboards). */
  async function transition(event: JourneyEvent, reason: string, nextDoseDueOn?: string | null) {
    const from = stage;
    const to = plan(event);
    await steps.projectStage({ beneficiaryId, from, to, reason, stepKey: stepKey('stage'), nextDoseDueOn });
    enter(to, reason);
  }

  const notify = (template: string, vars: SmsTemplateVars) =>
    steps.notifyBeneficiary({ beneficiaryId, template, vars, idempotencyKey: stepKey(`sms-${template}`) });

  /** Update handlers answer first; their SMS goes out from the main loop right after. */
  const later = (template: string, vars: SmsTemplateVars) => void inbox.push({ kind: 'sms', template, vars });

  function view(a: BookedAppointment): AppointmentView {
    return {
      appointmentId: a.appointmentId,
      sessionDayId: a.sessionDayId,
      dose: a.dose,
      date: a.date,
      slot: a.slot,
      siteName: a.siteName,
      stage,
    };
  }

  function adopt(booked: BookedAppointment) {
    const calendarNowMs = onRunClock()
      ? calendarNowOnRunClock(Date.now(), { startedAtMs, calendarStartMs: input.calendarStartMs! }, policy)
      : undefined;
    const timers = planAppointmentTimers(
      { startsAtMs: booked.startsAtMs, closesAtMs: booked.closesAtMs },
      Date.now(),
      policy,
      calendarNowMs,
    );
    appointment = { ...booked, timers: { ...timers, reminderSent: false } };
  }

  const bookingVars = (a: BookedAppointment): SmsTemplateVars => ({
    dose: a.dose,
    date: a.date,
    slot: a.slot,
    site: a.siteName,
  });

  const notAwaitingOtp = () =>
    ApplicationFailure.nonRetryable(
      stage === 'EXPIRED'
        ? 'this registration lapsed because its OTP was not verified in time'
        : 'this registration is already verified',
      JourneyFailure.NOT_ALLOWED_AT_STAGE,
    );

  /** Why nothing can be booked at this stage, in the words the person needs. */
  function cannotBook(): ApplicationFailure {
    const booked = bookedDose(stage);
    if (booked)
      return ApplicationFailure.nonRetryable(
        `dose ${booked} is already booked; reschedule or cancel it first`,
        JourneyFailure.ALREADY_BOOKED,
      );
    if (stage === 'REGISTERED')
      return ApplicationFailure.nonRetryable(
        'verify the mobile number with its OTP before booking',
        JourneyFailure.NOT_ALLOWED_AT_STAGE,
      );
    return ApplicationFailure.nonRetryable(
      `no dose can be booked at stage ${stage}`,
      JourneyFailure.NOT_ALLOWED_AT_STAGE,
    );
  }

  // ---- Updates: the caller waits for the answer ----

  setHandler(
    verifyOtpUpdate,
    (request) =>
      exclusive(async (): Promise<VerifyOtpResult> => {
        // Verified (or expired) while this update waited for its turn: the OTP was never checked, so no "yes".
        if (stage !== 'REGISTERED') throw notAwaitingOtp();
        const result = await acts.checkOtp({
          beneficiaryId,
          txnId: request.txnId,
          otpSha256: request.otpSha256,
          projection: { from: 'REGISTERED', to: 'VERIFIED', reason: 'OTP verified', stepKey: stepKey('verify') },
        });
        if (result.verified) {
          enter('VERIFIED', 'OTP verified');
          return { verified: true, stage };
        }
        return { verified: false, reason: result.reason, code: result.code, attemptsLeft: result.attemptsLeft, stage };
      }),
    {
      validator: (_request: VerifyOtpInput) => {
        if (stage !== 'REGISTERED') throw notAwaitingOtp();
      },
    },
  );

  setHandler(
    bookSlotUpdate,
    (request) =>
      exclusive(async (): Promise<AppointmentView> => {
        const dose = bookableDose(stage);
        if (!dose) throw cannotBook();
        const to = plan({ type: 'BOOKED', dose });
        const booked = await acts.reserveAppointment({
          beneficiaryId,
          sessionDayId: request.sessionDayId,
          slotId: request.slotId,
          dose,
          channel: request.channel,
          by: request.by,
          projection: { from: stage, to, reason: `dose ${dose} booked`, stepKey: stepKey('book') },
        });
        adopt(booked);
        enter(to, `dose ${dose} booked`);
        later('BOOKING_CONFIRMED', bookingVars(booked));
        return view(booked);
      }),
    {
      validator: (_request: BookSlotInput) => {
        if (!bookableDose(stage)) throw cannotBook();
      },
    },
  );

  const requireAppointment = (appointmentId: string) => {
    if (!appointment || appointment.appointmentId !== appointmentId || !bookedDose(stage)) {
      throw ApplicationFailure.nonRetryable(
        'no such live appointment for this person',
        JourneyFailure.APPOINTMENT_NOT_FOUND,
      );
    }
    return appointment;
  };

  setHandler(
    rescheduleUpdate,
    (request) =>
      exclusive(async () => {
        const current = requireAppointment(request.appointmentId);
        plan({ type: 'RESCHEDULED', dose: current.dose });
        const moved = await acts.moveAppointment({
          beneficiaryId,
          appointmentId: current.appointmentId,
          sessionDayId: request.sessionDayId,
          slotId: request.slotId,
          by: request.by,
          stepKey: stepKey('reschedule'),
        });
        adopt(moved);
        history.push({ stage, atMs: Date.now(), reason: `dose ${moved.dose} rescheduled` });
        later('BOOKING_RESCHEDULED', bookingVars(moved));
        return view(moved);
      }),
    { validator: (request) => void requireAppointment(request.appointmentId) },
  );

  async function release(
    kind: 'CANCELLED' | 'NO_SHOW' | 'SESSION_CANCELLED',
    reason: string,
    by?: RequestedBy,
  ): Promise<boolean> {
    const current = appointment!;
    const to = plan({ type: kind, dose: current.dose });
    const outcome = await acts.releaseAppointment({
      beneficiaryId,
      appointmentId: current.appointmentId,
      status: kind === 'NO_SHOW' ? 'NO_SHOW' : 'CANCELLED',
      by,
      projection: { from: stage, to, reason, stepKey: stepKey('release') },
    });
    // Completed by a dose whose signal is still on its way: keep the stage, the signal moves it on.
    if (outcome === 'COMPLETED') {
      current.timers.attended = true;
      return false;
    }
    // Cancelled or moved by its person, committed in Postgres first: that change's bookingChanged signal is on its
    // way and says where the person stands. (Journeys of an earlier release moved on here.)
    if (outcome === 'ALREADY_RELEASED' && patched(BOOKING_IN_REQUEST)) {
      current.timers.attended = true;
      return false;
    }
    appointment = undefined;
    enter(to, reason);
    return true;
  }

  setHandler(
    cancelAppointmentUpdate,
    (request) =>
      exclusive(async () => {
        const current = requireAppointment(request.appointmentId);
        if (!(await release('CANCELLED', `dose ${current.dose} appointment cancelled`, request.by))) {
          throw ApplicationFailure.nonRetryable(
            'this appointment has been attended',
            JourneyFailure.APPOINTMENT_NOT_FOUND,
          );
        }
        later('BOOKING_CANCELLED', { dose: current.dose, date: current.date, site: current.siteName });
        return { stage };
      }),
    { validator: (request) => void requireAppointment(request.appointmentId) },
  );

  setHandler(
    withdrawUpdate,
    (request: WithdrawInput) =>
      exclusive(async () => {
        const to = plan({ type: 'WITHDRAWN' });
        // Callers of an earlier release sent no request.
        const { by, reason = 'withdrawn by the account holder' } = (request as WithdrawInput | undefined) ?? {};
        await acts.withdrawBeneficiary({
          beneficiaryId,
          appointmentId: appointment?.appointmentId,
          by,
          projection: { from: stage, to, reason, stepKey: stepKey('withdraw') },
        });
        appointment = undefined;
        enter(to, reason);
        return { stage };
      }),
    {
      validator: (_request: WithdrawInput) => {
        const t = nextStage(stage, { type: 'WITHDRAWN' });
        if (!t.ok) throw ApplicationFailure.nonRetryable(t.reason, JourneyFailure.NOT_ALLOWED_AT_STAGE);
      },
    },
  );

  // ---- Signals: clinic events, handled by the main loop in arrival order ----

  setHandler(doseAdministeredSignal, (event) => void inbox.push({ kind: 'dose', event }));
  setHandler(bookingChangedSignal, (event) => void inbox.push({ kind: 'booking', event }));
  setHandler(sessionCancelledSignal, (event) => void inbox.push({ kind: 'sessionCancelled', event }));
  setHandler(accountVerifiedSignal, () => void inbox.push({ kind: 'accountVerified' }));

  setHandler(journeySnapshotQuery, () => ({
    referenceId,
    stage,
    appointment: appointment
      ? {
          appointmentId: appointment.appointmentId,
          sessionDayId: appointment.sessionDayId,
          dose: appointment.dose,
          date: appointment.date,
          slot: appointment.slot,
          siteName: appointment.siteName,
        }
      : undefined,
    dosesReceived,
    vaccineCode,
    dose2WindowOpensOn: dose2?.opensOn,
    dose2WindowClosesOn: dose2?.closesOn,
    ...(inactive ? { inactive } : {}),
    history,
  }));

  async function onDose(event: DoseAdministeredEvent) {
    // Relayed signals may arrive twice; a dose is a fact recorded once in Postgres.
    if (seenDoseIds.has(event.doseId) || event.dose <= dosesReceived) return;
    seenDoseIds.add(event.doseId);
    const bookedFor = bookedDose(stage) === event.dose ? appointment : undefined;
    const fully = event.dose >= event.totalDoses;
    const precautionGiven = event.dose > event.totalDoses;
    const opensAtMs = event.administeredAtMs + event.minIntervalDays * 86_400_000;
    const closesAtMs = event.administeredAtMs + event.maxIntervalDays * 86_400_000;
    const window = fully
      ? undefined
      : { opensOn: indiaDate(new Date(opensAtMs)), closesOn: indiaDate(new Date(closesAtMs)) };
    const reason = `dose ${event.dose} administered`;
    const doseRecorded = {
      dose: event.dose,
      vaccine: event.vaccineCode,
      date: indiaDate(new Date(event.administeredAtMs)),
    };
    if (patched(DOSE_STEP_IN_ONE)) {
      const from = stage;
      const to = plan({ type: 'DOSE_ADMINISTERED', dose: event.dose, totalDoses: event.totalDoses });
      const stageKey = stepKey('stage');
      const messages: { template: string; vars: SmsTemplateVars; idempotencyKey: string }[] = [
        { template: 'DOSE_RECORDED', vars: doseRecorded, idempotencyKey: stepKey('sms-DOSE_RECORDED') },
      ];
      if (fully && !precautionGiven)
        messages.push({ template: 'FULLY_VACCINATED', vars: {}, idempotencyKey: stepKey('sms-FULLY_VACCINATED') });
      await local.completeDoseStep({
        beneficiaryId,
        projection: {
          from,
          to,
          reason,
          stepKey: stageKey,
          nextDoseDueOn: window?.opensOn ?? event.precautionDueOn ?? null,
        },
        messages,
        certificate: fully ? 'FINAL' : 'PROVISIONAL',
      });
      enter(to, reason);
    } else {
      await transition(
        { type: 'DOSE_ADMINISTERED', dose: event.dose, totalDoses: event.totalDoses },
        reason,
        window?.opensOn ?? null,
      );
      await notify('DOSE_RECORDED', doseRecorded);
      await acts.issueCertificate({ beneficiaryId, kind: fully ? 'FINAL' : 'PROVISIONAL' });
      if (fully) await notify('FULLY_VACCINATED', {});
    }
    if (bookedFor) appointment = undefined;
    dosesReceived = event.dose;
    vaccineCode = event.vaccineCode;
    if (fully) {
      dose2 = undefined;
      if (precautionGiven) precaution = undefined;
      else if (event.precautionDueOn && patched(PRECAUTION_DOSE)) {
        const dueAtCalendarMs = indiaInstant(event.precautionDueOn, '09:00').getTime();
        precaution = {
          ...planPrecautionTimers(dueAtCalendarMs, Date.now(), policy),
          dueSent: false,
          dueOn: event.precautionDueOn,
        };
      }
    } else if (window) {
      const timers = planDose2Timers({ opensAtMs, closesAtMs }, Date.now(), policy);
      const passed = passedDose2Texts(timers, Date.now());
      dose2 = {
        ...timers,
        dueSent: false,
        followUpsSent: 0,
        // Asked only when texts have passed: a dose recorded as it is given takes no marker.
        ...(passed.dueSent && patched(LATE_DOSE1_ONE_TEXT) ? passed : {}),
        opensOn: window.opensOn,
        closesOn: window.closesOn,
      };
    }
  }

  /**
   * A booking, reschedule or cancellation the API committed in Postgres (seat, appointment, stage and history
   * included): the journey takes the appointment onto its timeline (reminder, no-show check) and tells the person.
   * Only news is applied: a version already applied changes nothing. A booking for a dose already received (its
   * signal overtaken by the dose's) is not put on the timeline, but its confirmation, which carries the secret code,
   * is still sent once.
   */
  async function onBookingChanged(event: BookingChangedEvent) {
    if (event.version <= bookingVersion || ended()) return;
    bookingVersion = event.version;
    if (event.dose <= dosesReceived) {
      if (event.change === 'BOOKED' && event.appointment)
        await notify('BOOKING_CONFIRMED', bookingVars(describeAppointment(event.appointment)));
      return;
    }
    if (event.appointment) adopt(describeAppointment(event.appointment));
    else appointment = undefined;
    if (event.stage !== stage) enter(event.stage, event.reason);
    else history.push({ stage, atMs: Date.now(), reason: event.reason });
    if (event.change === 'CANCELLED') {
      await notify('BOOKING_CANCELLED', {
        dose: event.dose,
        date: event.previous?.date ?? '',
        site: event.previous?.siteName ?? '',
      });
    } else if (appointment) {
      const movedByCancellation = event.cause === 'SESSION_CANCELLED' && patched(SESSION_MOVE_SMS);
      await notify(
        movedByCancellation ? 'SESSION_MOVED' : event.change === 'BOOKED' ? 'BOOKING_CONFIRMED' : 'BOOKING_RESCHEDULED',
        bookingVars(appointment),
      );
    }
  }

  async function onSessionCancelled(event: SessionCancelledEvent) {
    if (!appointment || appointment.sessionDayId !== event.sessionDayId || !bookedDose(stage)) return;
    const cancelled = appointment;
    if (await release('SESSION_CANCELLED', `session cancelled: ${event.reason}`)) {
      await notify('SESSION_CANCELLED', { date: cancelled.date, site: cancelled.siteName });
    }
  }

  async function onTimer(timer: Timer) {
    switch (timer.kind) {
      case 'OTP_EXPIRY':
        await transition({ type: 'OTP_EXPIRED' }, 'OTP not verified in time');
        return;
      case 'REMINDER':
        appointment!.timers.reminderSent = true;
        await notify('APPOINTMENT_REMINDER', bookingVars(appointment!));
        return;
      case 'NO_SHOW_CHECK': {
        const current = appointment!;
        const day = await acts.describeSessionClosing({ sessionDayId: current.sessionDayId });
        if (day.status === 'CANCELLED') {
          if (await release('SESSION_CANCELLED', 'session cancelled'))
            await notify('SESSION_CANCELLED', { date: current.date, site: current.siteName });
          return;
        }
        if (day.status !== 'CLOSED' && day.closesAtMs > current.closesAtMs) {
          // Extended by an officer: look again after the new closing time, on this journey's timeline.
          current.timers.noShowCheckAtMs += scaleDuration(day.closesAtMs - current.closesAtMs, policy);
          current.closesAtMs = day.closesAtMs;
          return;
        }
        if (!FINAL_STATUSES.has(day.status as SessionStatus) && onRunClock()) {
          // A dry run's day not closed yet by its workflow: look again a grace period later on the run's clock.
          current.timers.noShowCheckAtMs = Date.now() + scaleDuration(policy.noShowGraceMinutes * 60_000, policy);
          return;
        }
        if (day.devicesToReport > 0 && patched(NO_SHOW_WAITS_FOR_DEVICES)) {
          const timers = current.timers;
          timers.devicesWaitUntilMs ??= Date.now() + scaleDuration(NO_SHOW_DEVICE_WAIT_MS, policy);
          if (Date.now() < timers.devicesWaitUntilMs) {
            timers.noShowCheckAtMs = Date.now() + scaleDuration(policy.noShowGraceMinutes * 60_000, policy);
            return;
          }
        }
        if (await release('NO_SHOW', `missed dose ${current.dose} on ${current.date}`)) {
          await notify('NO_SHOW', { dose: current.dose, date: current.date });
        }
        return;
      }
      case 'DOSE2_DUE':
        dose2!.dueSent = true;
        await notify('DOSE2_DUE', { vaccine: vaccineCode ?? '', dueFrom: dose2!.opensOn, dueUntil: dose2!.closesOn });
        return;
      case 'DOSE2_OVERDUE':
        dose2!.followUpsSent += 1;
        await notify('DOSE2_OVERDUE', { vaccine: vaccineCode ?? '', dueUntil: dose2!.closesOn });
        return;
      case 'PRECAUTION_DUE':
        precaution!.dueSent = true;
        await notify('PRECAUTION_DUE', { vaccine: vaccineCode ?? '', dueFrom: precaution!.dueOn });
        return;
      case 'INACTIVE': {
        const days = policy.inactiveAfterDays ?? DEFAULT_INACTIVE_AFTER_DAYS;
        const waitingFor =
          stage === 'VERIFIED' ? 'a booking' : stage === 'DOSE1_DONE' ? 'dose 2' : 'the precaution dose';
        const reason = `journey ended: ${days} days without ${waitingFor}; a booking or a dose resumes it`;
        await steps.projectInactive({ beneficiaryId, stage, reason, stepKey: stepKey('inactive') });
        inactive = true;
        history.push({ stage, atMs: Date.now(), reason });
        return;
      }
    }
  }

  /** A booking or dose that reached the journey as it ended awaiting return: it goes on instead. */
  async function reopen() {
    const reason = 'resumed: the person returned';
    await steps.projectResumed({ beneficiaryId, reason, stepKey: stepKey('resumed') });
    inactive = false;
    lastStepAtMs = Date.now();
    history.push({ stage, atMs: Date.now(), reason });
  }
  const bringsPersonBack = (item: InboxItem) => item.kind === 'dose' || item.kind === 'booking';

  // ---- Main loop: queued events first, then the earliest timer ----
  const timerFacts = (): TimerFacts => ({
    stage,
    otpExpiresAtMs,
    appointment: appointment?.timers,
    dose2,
    ...(precaution ? { precaution } : {}),
    ...(endsWhenInactive ? { inactiveAtMs: inactiveAtMs(lastStepAtMs, policy) } : {}),
  });
  const plannedTimer = () => nextTimer(timerFacts());
  const planKey = () => `${stage}|${JSON.stringify(plannedTimer() ?? null)}`;
  while (!ended() || inbox.some((item) => item.kind === 'sms' || (inactive && bringsPersonBack(item)))) {
    // Asked here, not in the wake-up predicate: the patch marker is recorded where the journey first awaits return.
    if (!endsWhenInactive && !inactive && awaitingReturn(timerFacts()) && patched(ENDS_WHEN_INACTIVE)) {
      endsWhenInactive = true;
    }
    const timer = plannedTimer();
    const key = planKey();
    // Wake for an event, for a changed plan (a booking, a cancellation), or when the timer is due.
    const woken = await condition(
      () => inbox.length > 0 || planKey() !== key,
      timer ? Math.max(0, timer.atMs - Date.now()) : undefined,
    );
    await exclusive(async () => {
      const item = inbox.shift();
      if (inactive && item && bringsPersonBack(item)) await reopen();
      if (item?.kind === 'sms') await notify(item.template, item.vars);
      else if (item?.kind === 'dose') await onDose(item.event);
      else if (item?.kind === 'booking') await onBookingChanged(item.event);
      else if (item?.kind === 'sessionCancelled') await onSessionCancelled(item.event);
      else if (item?.kind === 'accountVerified') {
        if (stage === 'REGISTERED') await transition({ type: 'OTP_VERIFIED' }, 'mobile verified at login');
      } else if (!woken && timer) {
        // The plan may have changed while we waited for the lock: fire only what is still due.
        const due = plannedTimer();
        if (due && due.kind === timer.kind && due.atMs <= Date.now()) {
          await onTimer(due);
          if (due.kind !== 'INACTIVE') lastStepAtMs = Date.now();
        }
        return;
      }
      if (item) lastStepAtMs = Date.now();
    });
  }
  // Let in-flight update handlers finish before the workflow completes.
  await condition(() => lock.idle);
  return {
    referenceId,
    stage,
    dosesReceived,
    vaccineCode,
    ...(inactive ? { inactive } : {}),
    history,
  };
}
