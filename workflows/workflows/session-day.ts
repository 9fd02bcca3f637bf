/**
 * One workflow per session day: opens it at its opening time, watches its pace while open (STALLED when it goes
 * quiet or falls far behind plan, with an SMS to each district officer; back to OPEN when doses resume), closes
 * it at its (possibly extended) closing time, and takes officers' interventions as Updates: extend, pause,
 * resume, cancel (every booked person's journey is signalled, or each is first moved to the next session day with
 * seats), assign staff, close (with wastage).
 *
 * Orchestration only: every read and write goes through activities. The pace is learnt by polling one cheap
 * activity each scaled minute (one indexed row and one count), not by a signal from the dose path: capture then
 * never depends on this workflow, a quiet session (the case that matters) needs the timer anyway, and the same
 * read notices changes made outside the workflow (planning edits, a status set elsewhere).
 *
 * Instants: calendar facts (opening, closing, slots) map onto the workflow's clock anchored at its start (see
 * domain/session-pace.ts), so tests run a whole session day in seconds with the code production runs.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowMutex } from './mutex.js';
import type { Activities } from '../activities/index.js';
import { indiaInstant } from '../../domain/time.js';
import {
  calendarToTimeline,
  extendedClosing,
  judgePace,
  judgeRecovery,
  pollEveryMs,
  scaledMinutes,
  stallAfterMs,
  stragglerCheckMs,
  timelineToCalendar,
  MIN_POLL_MS,
  type PaceFacts,
} from '../../domain/session-pace.js';
import {
  FINAL_STATUSES,
  isWatched,
  nextStatus,
  type SessionEvent,
  type SessionStatus,
} from '../../domain/session-status.js';
import {
  assignStaffUpdate,
  cancelSessionUpdate,
  closeSessionUpdate,
  extendSessionUpdate,
  pauseSessionUpdate,
  resumeSessionUpdate,
  sessionDayStateQuery,
  sessionDoseRecordedSignal,
  SessionFailure,
  type AssignStaffInput,
  type ExtendSessionInput,
  type InterventionBy,
  type InterventionResult,
  type PauseSessionInput,
  type ResumeSessionInput,
  type SessionDayInput,
  type SessionDayState,
} from '../shared.js';
import type { SessionDayReading, ToldRange } from '../activities/session-day.js';

/** The workflow's own steps (open, read, close): retried until they succeed. */
const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** An officer waits on these: a few tries, then the update fails and the officer is told to try again. */
const intervention = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 5 },
});

/** While PLANNED or PAUSED, how often (calendar minutes) the hours and status are read again for outside changes. */
const REFRESH_MINUTES = 15;

/**
 * A dose recorded while the day is still PLANNED (the team began before its opening time, or nobody opened it)
 * opens it: told by the sessionDoseRecorded signal, or seen in the day's reading. (Before, the day stayed PLANNED
 * with doses recorded until its opening time, and interventions that need it open were refused.)
 */
const OPEN_ON_DOSE = 'open-on-dose';

export async function sessionDayWorkflow(input: SessionDayInput): Promise<SessionDayState> {
  const { sessionDayId, policy } = input;
  const carried = input.carried;
  const anchorMs = carried?.anchorMs ?? Date.now();
  let status: SessionStatus = carried?.status ?? input.status;
  let opensAtCal = indiaInstant(input.date, input.opensAt).getTime();
  let closesAtCal = carried?.closesAtMs ?? input.closesAtMs;
  /** Midnight after the session's date (India): no session runs past it. */
  const endOfDateCal = indiaInstant(input.date, '24:00:00').getTime();
  let watchedSinceMs = carried?.watchedSinceMs ?? anchorMs;
  let nextPollAtMs = carried?.nextPollAtMs ?? anchorMs;
  let stall = carried?.stall;
  let stallEpisodes = carried?.stallEpisodes ?? 0;
  let closedAtMs = carried?.closedAtMs;
  let cancelReason = carried?.cancelReason;
  let steps = carried?.steps ?? 0;
  /** The journeys this workflow's cancellation told (outbox ids), so the late check does not tell them again. */
  let told: ToldRange | undefined;
  /** A dose was recorded while PLANNED (sessionDoseRecorded): the day is open in fact. */
  let doseWhilePlanned = false;

  // A dry run's simulated day names the calendar instant its start stands for; otherwise the start stands for itself.
  const calendarAnchorMs = carried?.calendarAnchorMs ?? input.calendarStartMs ?? anchorMs;
  const timeline = (calendarMs: number) => calendarToTimeline(calendarMs, anchorMs, policy, calendarAnchorMs);
  const calendarNow = () => timelineToCalendar(Date.now(), anchorMs, policy, calendarAnchorMs);
  /**
   * Keys of this workflow's SMS, stable across replays and continue-as-new; a run started again after a failure
   * (a new first run) gets new ones, so its alerts are not mistaken for the old run's.
   */
  const keyPrefix = () => `${workflowInfo().workflowId}:${workflowInfo().firstExecutionRunId}`;
  const stepKey = (name: string) => `${keyPrefix()}:${++steps}:${name}`;
  const state = (): SessionDayState => ({
    sessionDayId,
    status,
    closesAt: new Date(closesAtCal).toISOString(),
    stallEpisodes,
  });

  // Updates and the main loop take turns; see mutex.ts for why a boolean flag is not enough.
  const lock = new WorkflowMutex();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => lock.exclusive(fn);

  /**
   * The status once what is already due (opening, closing) has been done. An intervention can arrive before the
   * main loop has taken its first step (the API starts a workflow and updates it at once): validators judge it
   * against this, and handlers catch up first.
   */
  function dueStatus(): SessionStatus {
    if (FINAL_STATUSES.has(status)) return status;
    if (Date.now() >= timeline(closesAtCal)) return 'CLOSED';
    if (status === 'PLANNED' && Date.now() >= timeline(opensAtCal)) return 'OPEN';
    return status;
  }

  function plan(event: SessionEvent, from: SessionStatus = status): SessionStatus {
    const t = nextStatus(from, event);
    if (!t.ok) throw ApplicationFailure.nonRetryable(t.reason, SessionFailure.NOT_ALLOWED_IN_STATUS);
    return t.status;
  }

  /** For validators: would the intervention be allowed once the due steps are done? */
  const allowed = (event: SessionEvent) => void plan(event, dueStatus());

  /** Postgres is the record: when it holds another status than the one aimed at, adopt it and say so. */
  function reached(outcome: { status: SessionStatus }, aimedAt: SessionStatus) {
    status = outcome.status;
    if (status !== aimedAt) {
      throw ApplicationFailure.nonRetryable(
        `the session day is ${status.toLowerCase()}`,
        SessionFailure.NOT_ALLOWED_IN_STATUS,
      );
    }
  }

  /** A rule's refusal inside an activity reaches the officer as itself (its code), not as an activity failure. */
  async function refusalsPassThrough<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.nonRetryable) {
        throw ApplicationFailure.create({
          message: error.cause.message,
          type: error.cause.type ?? undefined,
          nonRetryable: true,
          details: error.cause.details ?? undefined,
        });
      }
      throw error;
    }
  }

  function extension(request: ExtendSessionInput): number {
    const next = extendedClosing({
      closesAtMs: closesAtCal,
      minutes: request.minutes,
      endOfDateMs: endOfDateCal,
      calendarNowMs: calendarNow(),
    });
    if (!next.ok) throw ApplicationFailure.nonRetryable(next.reason, SessionFailure.INVALID_EXTENSION);
    return next.closesAtMs;
  }

  function requireReason(reason: string) {
    if (!reason.trim())
      throw ApplicationFailure.nonRetryable('give the reason for cancelling', SessionFailure.INVALID_INTERVENTION);
  }

  function requireWastage(wastage: number | undefined, current: SessionStatus = status) {
    if (wastage !== undefined && (!Number.isInteger(wastage) || wastage < 0)) {
      throw ApplicationFailure.nonRetryable(
        'wastage is a whole number of doses, 0 or more',
        SessionFailure.INVALID_INTERVENTION,
      );
    }
    if (current === 'CLOSED' && wastage === undefined) {
      throw ApplicationFailure.nonRetryable(
        'the session day is already closed; report its wastage to change anything',
        SessionFailure.NOT_ALLOWED_IN_STATUS,
      );
    }
  }

  // ---- The workflow's own steps ----

  async function open(byDose = false) {
    const outcome = await acts.changeSessionStatus({
      sessionDayId,
      from: ['PLANNED'],
      to: 'OPEN',
      action: 'SESSION_OPENED',
      ...(byDose ? { details: { reason: 'a dose was recorded before it was opened' } } : {}),
    });
    status = outcome.status;
    watchedSinceMs = Date.now();
    nextPollAtMs = watchedSinceMs + pollEveryMs(policy);
  }

  async function close(by: InterventionBy | undefined, reason: string, wastage?: number) {
    const report = await (by ? intervention : acts).closeSessionDay({ sessionDayId, reason, wastage, by });
    status = report.status;
    stall = undefined;
    closedAtMs ??= Date.now();
  }

  /** Takes in what changed outside the workflow; true when the day was finished there. */
  function adopt(reading: SessionDayReading): boolean {
    opensAtCal = reading.opensAtMs;
    closesAtCal = reading.closesAtMs;
    if (FINAL_STATUSES.has(reading.status) && !FINAL_STATUSES.has(status)) {
      status = reading.status;
      stall = undefined;
      closedAtMs = Date.now();
      return true;
    }
    return false;
  }

  async function judge(reading: SessionDayReading, nowMs: number) {
    const facts: PaceFacts = {
      nowMs,
      opensAtMs: timeline(opensAtCal),
      closesAtMs: timeline(closesAtCal),
      watchedSinceMs,
      lastDoseAtMs: reading.lastDoseAtMs,
      booked: reading.booked,
      waiting: reading.waiting,
      due: reading.due,
      dosesRecorded: reading.dosesRecorded,
    };
    if (status === 'OPEN') {
      const verdict = judgePace(facts, stallAfterMs(policy));
      if (!verdict.stalled) return;
      const episode = stallEpisodes + 1;
      const quietMinutes = Math.round(verdict.quietMs / scaledMinutes(1, policy));
      const details = {
        reason: verdict.reason,
        episode,
        quietMinutes,
        due: reading.due,
        waiting: reading.waiting,
        dosesRecorded: reading.dosesRecorded,
        plannedByNow: Math.round(verdict.plannedByNow),
      };
      const outcome = await acts.changeSessionStatus({
        sessionDayId,
        from: ['OPEN'],
        to: 'STALLED',
        action: 'SESSION_STALLED',
        details,
      });
      status = outcome.status;
      if (status !== 'STALLED') return;
      stallEpisodes = episode;
      stall = { episode, dosesAtStall: reading.dosesRecorded };
      await acts.alertStalledSession({
        sessionDayId,
        idempotencyKey: `${keyPrefix()}:stall-${episode}`,
        quietMinutes,
        waiting: reading.due,
      });
    } else if (status === 'STALLED') {
      const recovery = judgeRecovery(facts, stall?.dosesAtStall ?? reading.dosesRecorded);
      if (!recovery.recovered) return;
      const outcome = await acts.changeSessionStatus({
        sessionDayId,
        from: ['STALLED'],
        to: 'OPEN',
        action: 'SESSION_RECOVERED',
        details: { reason: recovery.reason, episode: stall?.episode },
      });
      status = outcome.status;
      if (status !== 'OPEN') return;
      stall = undefined;
      watchedSinceMs = Date.now();
    }
  }

  /** Does the opening or closing that is due before an intervention is applied (handlers hold the lock). */
  async function catchUp() {
    const due = dueStatus();
    if (due === status) return;
    if (due === 'CLOSED') await close(undefined, 'closing time');
    else await open();
  }

  /** Whatever is due now: closing, opening, or a look at the pace. Reads first, so outside changes count. */
  async function step() {
    const reading = await acts.readSessionDay({ sessionDayId, calendarNowMs: calendarNow() });
    if (adopt(reading)) return;
    const nowMs = Date.now();
    if (nowMs >= timeline(closesAtCal)) return close(undefined, 'closing time');
    if (status === 'PLANNED') {
      if (nowMs >= timeline(opensAtCal)) await open();
      else if ((doseWhilePlanned || reading.dosesRecorded > 0) && patched(OPEN_ON_DOSE)) await open(true);
      return;
    }
    if (isWatched(status) && nowMs >= nextPollAtMs) {
      nextPollAtMs = nowMs + pollEveryMs(policy);
      await judge(reading, nowMs);
    }
  }

  function nextWakeMs(): number {
    const closing = timeline(closesAtCal);
    const refresh = Date.now() + Math.max(scaledMinutes(REFRESH_MINUTES, policy), MIN_POLL_MS);
    switch (status) {
      case 'PLANNED':
        // Told of a dose: open now (doseWhilePlanned is only ever set by the open-on-dose signal).
        if (doseWhilePlanned) return Date.now();
        return Math.min(timeline(opensAtCal), closing, refresh);
      case 'OPEN':
      case 'STALLED':
        return Math.min(nextPollAtMs, closing);
      default:
        return Math.min(closing, refresh);
    }
  }

  // ---- Interventions: Updates, validated before they are accepted, run one at a time with the steps ----

  setHandler(
    extendSessionUpdate,
    (request) =>
      exclusive(async (): Promise<InterventionResult> => {
        await catchUp();
        plan({ type: 'EXTEND' });
        const closesAtMs = extension(request);
        await refusalsPassThrough(() =>
          intervention.extendSessionClosing({ sessionDayId, closesAtMs, minutes: request.minutes, by: request.by }),
        );
        closesAtCal = closesAtMs;
        return state();
      }),
    {
      validator: (request) => {
        allowed({ type: 'EXTEND' });
        extension(request);
      },
    },
  );

  setHandler(
    pauseSessionUpdate,
    (request) =>
      exclusive(async (): Promise<InterventionResult> => {
        await catchUp();
        const to = plan({ type: 'PAUSE' });
        const outcome = await intervention.changeSessionStatus({
          sessionDayId,
          from: [status],
          to,
          action: 'SESSION_PAUSED',
          by: request.by,
          details: request.reason ? { reason: request.reason } : {},
        });
        reached(outcome, to);
        stall = undefined;
        return state();
      }),
    { validator: (_request: PauseSessionInput) => allowed({ type: 'PAUSE' }) },
  );

  setHandler(
    resumeSessionUpdate,
    (request) =>
      exclusive(async (): Promise<InterventionResult> => {
        await catchUp();
        const to = plan({ type: 'RESUME' });
        const outcome = await intervention.changeSessionStatus({
          sessionDayId,
          from: ['PAUSED'],
          to,
          action: 'SESSION_RESUMED',
          by: request.by,
        });
        reached(outcome, to);
        // The team gets a full stall window before its pace is judged again.
        watchedSinceMs = Date.now();
        nextPollAtMs = watchedSinceMs + pollEveryMs(policy);
        return state();
      }),
    { validator: (_request: ResumeSessionInput) => allowed({ type: 'RESUME' }) },
  );

  setHandler(
    cancelSessionUpdate,
    (request) =>
      exclusive(async (): Promise<InterventionResult> => {
        await catchUp();
        const to = plan({ type: 'CANCEL' });
        requireReason(request.reason);
        // moveBookings only when asked: a cancellation without it calls the activity exactly as before.
        const result = await refusalsPassThrough(() =>
          intervention.cancelSessionDay({
            sessionDayId,
            reason: request.reason.trim(),
            by: request.by,
            ...(request.moveBookings ? { moveBookings: true } : {}),
          }),
        );
        reached(result, to);
        cancelReason = request.reason.trim();
        if (result.commandIds.length)
          told = { fromId: result.commandIds[0], toId: result.commandIds[result.commandIds.length - 1] };
        stall = undefined;
        return { ...state(), commandIds: result.commandIds, ...(result.moves ? { moves: result.moves } : {}) };
      }),
    {
      validator: (request) => {
        allowed({ type: 'CANCEL' });
        requireReason(request.reason);
      },
    },
  );

  setHandler(
    assignStaffUpdate,
    (request) =>
      exclusive(async (): Promise<InterventionResult> => {
        await catchUp();
        plan({ type: 'ASSIGN' });
        const assignment = await refusalsPassThrough(() =>
          intervention.assignSessionStaff({
            sessionDayId,
            staffId: request.staffId,
            teamRole: request.teamRole,
            moveFromOtherSession: request.moveFromOtherSession,
            by: request.by,
            stepKey: stepKey('assign'),
          }),
        );
        return { ...state(), assignment };
      }),
    { validator: (_request: AssignStaffInput) => allowed({ type: 'ASSIGN' }) },
  );

  setHandler(
    closeSessionUpdate,
    (request) =>
      exclusive(async (): Promise<InterventionResult> => {
        await catchUp();
        plan({ type: 'CLOSE' });
        requireWastage(request.wastage);
        await refusalsPassThrough(() =>
          close(request.by, status === 'CLOSED' ? 'wastage reported' : 'closed early', request.wastage),
        );
        return state();
      }),
    {
      validator: (request) => {
        allowed({ type: 'CLOSE' });
        requireWastage(request.wastage, dueStatus());
      },
    },
  );

  setHandler(sessionDayStateQuery, state);
  // Only a PLANNED day has anything to learn from it; the main loop wakes (planKey) and opens the day.
  setHandler(sessionDoseRecordedSignal, () => {
    if (status === 'PLANNED') doseWhilePlanned = true;
  });

  // ---- Main loop: sleep until the next thing is due (or an intervention changes the plan), then do it ----

  const planKey = () => `${status}|${opensAtCal}|${closesAtCal}|${doseWhilePlanned}`;
  while (!FINAL_STATUSES.has(status)) {
    if (workflowInfo().continueAsNewSuggested) {
      await condition(() => lock.idle && allHandlersFinished());
      if (FINAL_STATUSES.has(status)) break;
      return continueAsNew<typeof sessionDayWorkflow>({
        ...input,
        carried: {
          anchorMs,
          calendarAnchorMs,
          status,
          closesAtMs: closesAtCal,
          watchedSinceMs,
          nextPollAtMs,
          stall,
          stallEpisodes,
          closedAtMs,
          cancelReason,
          steps,
        },
      });
    }
    const key = planKey();
    const waitMs = nextWakeMs() - Date.now();
    if (waitMs > 0 && (await condition(() => planKey() !== key, waitMs))) continue;
    await exclusive(async () => {
      if (!FINAL_STATUSES.has(status)) await step();
    });
  }

  if (status === 'CANCELLED') {
    // Bookings that raced the cancellation are told too (journeys already told ignore the repeat).
    await sleep(stragglerCheckMs(policy));
    await exclusive(() =>
      acts.signalCancelledStragglers({ sessionDayId, reason: cancelReason ?? 'session cancelled', told }),
    );
  } else {
    // A wastage report is still taken for a while after closing (a `close` update on the CLOSED day).
    const reportUntil = (closedAtMs ?? Date.now()) + scaledMinutes(policy.reportWindowMinutes, policy);
    const remaining = reportUntil - Date.now();
    if (remaining > 0) await sleep(remaining);
  }
  await condition(() => lock.idle && allHandlersFinished());
  return state();
}
