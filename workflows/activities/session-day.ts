/**
 * The session-day workflow's side effects. Each is idempotent on the state it changes (a status already reached,
 * an extension already made) or on an SMS idempotency key, so Temporal's retries never write twice. Rule
 * refusals become non-retryable failures whose type the API maps to an HTTP answer.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Refusal } from '../../domain/refusals.js';
import type { Actor, Executor } from '../../db/repositories/audit.js';
import { assignStaff, unassignStaff } from '../../db/repositories/session-day-assignments.js';
import {
  changeSessionDayStatus,
  changeStatusIn,
  closeSessionDay,
  districtOfficersOf,
  extendSessionDay,
  readSessionDayFacts,
  type ClosingReport,
  type StatusOutcome,
} from '../../db/repositories/session-day-status.js';
import type { SessionStatus, TeamRole } from '../../db/schema.js';
import { DomainRefusal } from '../../domain/errors.js';
import { BookingRefusal, BookingStepRefusal } from '../../domain/booking-rules.js';
import { isStallReason } from '../../domain/session-pace.js';
import { dryRunSiteName } from '../../domain/dry-run.js';
import { dryRunSmsOfDay } from '../../db/repositories/dry-runs.js';
import { sendSms } from '../../messaging/sms-outbox.js';
import { notifyTeamOfCancellation, notifyTeamOfChange } from '../../messaging/staff-notices.js';
import { enqueueSignal } from '../workflow-outbox.js';
import { sessionCancelledSignal, workflowIds, type InterventionBy, type SessionCancelledEvent } from '../shared.js';
import type { Db } from '../../db/connection.js';
import { rescheduleAppointment } from '../../db/repositories/bookings.js';
import { returnCancelledSessionStock } from '../../db/repositories/site-stores.js';
import { bookedAppointmentsAt, sessionsToMoveTo } from '../../db/repositories/session-moves.js';
import { INDIA_TZ, indiaDate } from '../../domain/time.js';
import type { ActivityDeps } from './deps.js';

export const SESSION_WORKFLOW_ACTOR: Actor = { type: 'SYSTEM', id: 'session-day', role: null };

/** Who an audit row names: the officer who intervened, or the workflow itself. */
export function actorOf(by: InterventionBy | undefined): Actor {
  return by ? { type: 'STAFF', id: by.staffId, role: by.role } : SESSION_WORKFLOW_ACTOR;
}

/** Turns a repository's rule refusal into a failure Temporal will not retry (its code becomes the type). */
async function refusalsAsFailures<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainRefusal) {
      throw ApplicationFailure.create({
        message: error.message,
        type: error.code,
        nonRetryable: true,
        details: error.details ? [error.details] : [],
      });
    }
    throw error;
  }
}

/** What the workflow judges the pace on; instants as calendar milliseconds (workflow payloads carry no Dates). */
export interface SessionDayReading {
  status: SessionStatus;
  opensAtMs: number;
  closesAtMs: number;
  booked: number;
  waiting: number;
  due: number;
  dosesRecorded: number;
  lastDoseAtMs: number | null;
}

const indiaClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: INDIA_TZ,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Outbox ids (bigserial, so one cancellation's signals form a range) of the journeys told already. */
export interface ToldRange {
  fromId: string;
  toId: string;
}

/** Session days read at a time for one person (each try is one read and one write). */
const MOVE_CANDIDATES = 8;
/**
 * Session days tried for one person before they are released instead: the days with a seat are read nearest
 * first, a page at a time, and those refusing the person (their age, their dose window, full meanwhile) are
 * passed over, so someone the nearest days cannot take still gets a seat further on.
 */
const MAX_MOVE_TRIES = 40;
const REFUSALS_OF_THE_BOOKING = new Set<string>([
  BookingRefusal.APPOINTMENT_NOT_FOUND,
  BookingStepRefusal.NOT_ALLOWED_AT_STAGE,
]);

/**
 * Moves everyone booked on a cancelled day to the next session day with a seat for them (the same site or the
 * nearest first; db/repositories/session-moves.ts), each as a reschedule by the officer: the seat is taken by the
 * booking's own conditional write, the journey hears `bookingChanged` with the cause and texts the new slot,
 * saying they may change it. A session day that refuses the person (full meanwhile, their age, their dose window)
 * is passed over for the next. When the seats run out, those left stay booked on the cancelled day, to be
 * released and told to book again by the cancellation's signals (`signalBookedJourneys`).
 */
async function moveBookedPeople(db: Db, sessionDayId: string, actor: Actor): Promise<{ moved: number }> {
  let moved = 0;
  const fromDate = indiaDate();
  for (const booking of await bookedAppointmentsAt(db, sessionDayId)) {
    const passedOver: string[] = [];
    let settled = false;
    while (!settled && passedOver.length < MAX_MOVE_TRIES) {
      const candidates = await sessionsToMoveTo(db, sessionDayId, {
        fromDate,
        dose: booking.dose,
        limit: Math.min(MOVE_CANDIDATES, MAX_MOVE_TRIES - passedOver.length),
        passedOver,
      });
      if (candidates.length === 0) break;
      for (const candidate of candidates) {
        try {
          await rescheduleAppointment(db, {
            appointmentId: booking.appointmentId,
            sessionDayId: candidate,
            actor,
            cause: 'SESSION_CANCELLED',
          });
          moved++;
          settled = true;
          break;
        } catch (error) {
          if (!(error instanceof DomainRefusal)) throw error;
          // The booking itself can no longer move (cancelled or attended meanwhile): no other day is asked.
          if (REFUSALS_OF_THE_BOOKING.has(error.code)) {
            settled = true;
            break;
          }
          passedOver.push(candidate);
        }
      }
    }
  }
  return { moved };
}

/**
 * Journey signals for every person still booked on a cancelled day, except journeys already told (their signals
 * in `told`, which they may not have acted on yet); returns the outbox command ids.
 */
async function signalBookedJourneys(
  trx: Executor,
  sessionDayId: string,
  reason: string,
  told?: ToldRange,
): Promise<string[]> {
  const booked = await trx
    .selectFrom('appointment')
    .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
    .select(['beneficiary.reference_id'])
    .where('appointment.session_day_id', '=', sessionDayId)
    .where('appointment.status', '=', 'BOOKED')
    .orderBy('appointment.id')
    .execute();
  const toldJourneys = new Set(
    told
      ? (
          await trx
            .selectFrom('workflow_outbox')
            .select('workflow_id')
            .where('id', '>=', told.fromId)
            .where('id', '<=', told.toId)
            .where('signal_name', '=', sessionCancelledSignal.name)
            .execute()
        ).map((row) => row.workflow_id)
      : [],
  );
  const event: SessionCancelledEvent = { sessionDayId, reason };
  const ids: string[] = [];
  for (const person of booked) {
    const workflowId = workflowIds.journey(person.reference_id);
    if (!toldJourneys.has(workflowId))
      ids.push(await enqueueSignal(trx, { workflowId, signalName: sessionCancelledSignal.name, payload: event }));
  }
  return ids;
}

export function createSessionDayActivities({ db, sms }: ActivityDeps) {
  return {
    async readSessionDay(input: { sessionDayId: string; calendarNowMs: number }): Promise<SessionDayReading> {
      const facts = await readSessionDayFacts(db, input.sessionDayId, new Date(input.calendarNowMs));
      if (!facts)
        throw ApplicationFailure.create({
          message: 'the session day no longer exists',
          type: 'SESSION_NOT_FOUND',
          nonRetryable: true,
        });
      return {
        status: facts.status,
        opensAtMs: facts.opensAtMs,
        closesAtMs: facts.closesAtMs,
        booked: facts.booked,
        waiting: facts.waiting,
        due: facts.due,
        dosesRecorded: facts.dosesRecorded,
        lastDoseAtMs: facts.lastDoseAt?.getTime() ?? null,
      };
    },

    changeSessionStatus(input: {
      sessionDayId: string;
      from: SessionStatus[];
      to: SessionStatus;
      action: string;
      by?: InterventionBy;
      details?: Record<string, unknown>;
    }): Promise<StatusOutcome> {
      return changeSessionDayStatus(db, {
        sessionDayId: input.sessionDayId,
        from: input.from,
        to: input.to,
        action: input.action,
        actor: actorOf(input.by),
        details: input.details,
        // The stall's details carry the verdict's reason: read here, the workflow's commands stay as they were.
        stallReason: isStallReason(input.details?.reason) ? input.details.reason : undefined,
      });
    },

    /** One SMS per district officer per stall episode (its key, per officer, makes a retry send nothing new). */
    async alertStalledSession(input: {
      sessionDayId: string;
      idempotencyKey: string;
      quietMinutes: number;
      waiting: number;
    }): Promise<number> {
      const facts = await readSessionDayFacts(db, input.sessionDayId);
      if (!facts) return 0;
      // A dry run's day alerts the staff numbers its officer listed, marked as a rehearsal; never a real officer.
      const dryRun = await dryRunSmsOfDay(db, input.sessionDayId);
      if (dryRun) {
        for (const mobile of dryRun.smsNumbers) {
          await sendSms(db, sms, {
            idempotencyKey: `${input.idempotencyKey}:drill:${mobile}`,
            mobile,
            template: 'SESSION_STALLED',
            vars: {
              site: dryRunSiteName(facts.siteName),
              date: facts.date,
              minutes: input.quietMinutes,
              waiting: input.waiting,
            },
          });
        }
        return dryRun.smsNumbers.length;
      }
      const officers = await districtOfficersOf(db, facts.districtId);
      for (const officer of officers) {
        await sendSms(db, sms, {
          idempotencyKey: `${input.idempotencyKey}:${officer.id}`,
          mobile: officer.mobile,
          template: 'SESSION_STALLED',
          vars: { site: facts.siteName, date: facts.date, minutes: input.quietMinutes, waiting: input.waiting },
        });
      }
      return officers.length;
    },

    async extendSessionClosing(input: {
      sessionDayId: string;
      closesAtMs: number;
      minutes: number;
      by: InterventionBy;
    }): Promise<void> {
      await refusalsAsFailures(() =>
        extendSessionDay(db, {
          sessionDayId: input.sessionDayId,
          closesAt: new Date(input.closesAtMs),
          minutes: input.minutes,
          actor: actorOf(input.by),
        }),
      );
      // The team is told the new hours, once per new closing time; a gateway failure never fails the extension.
      await notifyTeamOfChange(db, sms, input.sessionDayId, `extended-${input.closesAtMs}`);
    },

    closeSessionDay(input: {
      sessionDayId: string;
      reason: string;
      wastage?: number;
      by?: InterventionBy;
    }): Promise<ClosingReport> {
      return refusalsAsFailures(() =>
        closeSessionDay(db, {
          sessionDayId: input.sessionDayId,
          reason: input.reason,
          wastage: input.wastage,
          actor: actorOf(input.by),
        }),
      );
    },

    /**
     * Marks the day CANCELLED and, in the same transaction, returns its unopened vials to its site's store and writes a
     * sessionCancelled signal to the outbox for the journey of every person booked on it (each journey frees its seat
     * and sends its one SMS). A retry after the
     * commit finds the day cancelled and adds nothing: the committed signals are delivered by the caller or the relay.
     */
    async cancelSessionDay(input: {
      sessionDayId: string;
      reason: string;
      by: InterventionBy;
      moveBookings?: boolean;
    }): Promise<{ status: SessionStatus; commandIds: string[]; moves?: { moved: number; notMoved: number } }> {
      const result = await refusalsAsFailures(() =>
        db.transaction().execute(async (trx) => {
          const outcome = await changeStatusIn(trx, {
            sessionDayId: input.sessionDayId,
            from: ['PLANNED', 'OPEN', 'STALLED', 'PAUSED'],
            to: 'CANCELLED',
            action: 'SESSION_CANCELLED',
            actor: actorOf(input.by),
            details: { reason: input.reason, ...(input.moveBookings ? { moveBookings: true } : {}) },
          });
          // Its unopened vials go back to its site's store with the cancellation (a ledger row each).
          if (outcome.changed) await returnCancelledSessionStock(trx, input.sessionDayId, actorOf(input.by));
          const release = outcome.changed && !input.moveBookings;
          const commandIds = release ? await signalBookedJourneys(trx, input.sessionDayId, input.reason) : [];
          return { status: outcome.status, commandIds };
        }),
      );
      if (result.status !== 'CANCELLED') return result;
      // Every team member is told their duty is cancelled, once (messaging/staff-notices.ts); never fails the activity.
      await notifyTeamOfCancellation(db, sms, input.sessionDayId);
      if (!input.moveBookings) return result;
      // After the day is cancelled (no new booking lands on it), each person booked is moved in a transaction of
      // their own; a retry of this activity finds the people moved already gone from the day.
      const moves = await moveBookedPeople(db, input.sessionDayId, actorOf(input.by));
      // Those no session could take are released and told, as by a plain cancellation.
      const commandIds = await db
        .transaction()
        .execute((trx) => signalBookedJourneys(trx, input.sessionDayId, input.reason));
      return { status: result.status, commandIds, moves: { moved: moves.moved, notMoved: commandIds.length } };
    },

    /**
     * A booking that was taking its seat while the cancellation committed can land on the cancelled day; its
     * journey is told too. Journeys told by the cancellation are skipped (were one told twice, it would ignore it).
     */
    async signalCancelledStragglers(input: {
      sessionDayId: string;
      reason: string;
      told?: ToldRange;
    }): Promise<number> {
      return db
        .transaction()
        .execute(async (trx) => (await signalBookedJourneys(trx, input.sessionDayId, input.reason, input.told)).length);
    },

    /**
     * Puts a staff member on the day by the planning rules (db/repositories/session-day-assignments.ts: one session
     * day per person per date, same district, active, vaccinators as vaccinators). With `moveFromOtherSession`, a
     * person on another day of the same date is taken off it first (refused if they recorded doses there). The
     * person is told by SMS, once per step.
     */
    async assignSessionStaff(input: {
      sessionDayId: string;
      staffId: string;
      teamRole: TeamRole;
      moveFromOtherSession?: boolean;
      by: InterventionBy;
      stepKey: string;
    }) {
      const actor = actorOf(input.by);
      const assign = (trx: Executor) =>
        assignStaff(trx, { sessionDayId: input.sessionDayId, staffId: input.staffId, teamRole: input.teamRole, actor });
      return refusalsAsFailures(async () => {
        // One transaction: a move takes the person off the other day only if they land on this one.
        const { assignment, movedFrom } = await db.transaction().execute(async (trx) => {
          try {
            return { assignment: await assign(trx), movedFrom: undefined };
          } catch (error) {
            // The refusal comes from a read, not a failed statement, so the transaction carries on.
            const other =
              error instanceof DomainRefusal && error.code === Refusal.STAFF_DOUBLE_BOOKED
                ? (error.details?.otherSessionDayId as string | undefined)
                : undefined;
            if (!other || !input.moveFromOtherSession) throw error;
            await unassignStaff(trx, { sessionDayId: other, staffId: input.staffId, actor });
            return { assignment: await assign(trx), movedFrom: other };
          }
        });
        if (assignment.created) {
          const person = await db
            .selectFrom('staff_user')
            .innerJoin('session_assignment', 'session_assignment.staff_id', 'staff_user.id')
            .innerJoin('session_day', 'session_day.id', 'session_assignment.session_day_id')
            .innerJoin('site', 'site.id', 'session_day.site_id')
            .select([
              'staff_user.name',
              'staff_user.mobile',
              'site.name as site_name',
              'session_day.date',
              'session_day.opens_at',
              'session_day.closes_at',
              'session_day.extended_until',
            ])
            .where('staff_user.id', '=', input.staffId)
            .where('session_assignment.session_day_id', '=', input.sessionDayId)
            .executeTakeFirstOrThrow();
          if (person.mobile) {
            const closes = person.extended_until
              ? indiaClock.format(person.extended_until)
              : person.closes_at.slice(0, 5);
            await sendSms(db, sms, {
              idempotencyKey: `${input.stepKey}:${input.staffId}`,
              mobile: person.mobile,
              template: movedFrom ? 'STAFF_ASSIGNMENT_CHANGED' : 'STAFF_ASSIGNED',
              vars: {
                name: person.name,
                role: input.teamRole.toLowerCase(),
                site: person.site_name,
                date: person.date,
                hours: `${person.opens_at.slice(0, 5)}-${closes}`,
              },
            });
          }
        }
        return { staffId: assignment.staffId, teamRole: assignment.teamRole, created: assignment.created, movedFrom };
      });
    },
  };
}
