/**
 * A session day while it runs: what its pace is judged on (read every scaled minute by its workflow, and by the
 * district console), and its status changes. Every change writes session_day, one audit row and one live
 * 'session.status' event in one transaction, so the console, the audit trail and the dashboards never disagree.
 */
import { sql } from 'kysely';
import { Refusal } from '../../domain/refusals.js';
import type { Db } from '../connection.js';
import type { SessionStatus } from '../schema.js';
import { refuse } from '../../domain/errors.js';
import type { StallReason } from '../../domain/session-pace.js';
import { indiaInstant } from '../../domain/time.js';
import { publishLiveEvent } from '../../live/publish.js';
import { writeAudit, type Actor, type Executor } from './audit.js';
import { sessionClosesAt } from './appointments.js';

export interface SessionDayFacts {
  sessionDayId: string;
  status: SessionStatus;
  date: string;
  stateId: number;
  districtId: number;
  siteName: string;
  /** Calendar instants: opening, and closing with any extension. */
  opensAtMs: number;
  closesAtMs: number;
  extendedUntil: Date | null;
  /** Seats taken online (attended or not). */
  booked: number;
  /** Booked and not yet vaccinated. */
  waiting: number;
  /** Waiting, and their slot has begun by `calendarNow`. */
  due: number;
  dosesRecorded: number;
  lastDoseAt: Date | null;
  noShows: number;
  wastage: number;
  walkinUsed: number;
  workflowStartedAt: Date | null;
}

/** One indexed read of the day and one count over its live appointments (appointment_session_status_idx). */
export async function readSessionDayFacts(
  db: Executor,
  sessionDayId: string,
  calendarNow = new Date(),
): Promise<SessionDayFacts | undefined> {
  const day = await db
    .selectFrom('session_day')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .innerJoin('district', 'district.id', 'session_day.district_id')
    .select([
      'session_day.id',
      'session_day.status',
      'session_day.date',
      'session_day.opens_at',
      'session_day.closes_at',
      'session_day.extended_until',
      'session_day.dose1_booked',
      'session_day.dose2_booked',
      'session_day.doses_recorded',
      'session_day.last_dose_at',
      'session_day.no_shows',
      'session_day.wastage',
      'session_day.walkin_used',
      'session_day.workflow_started_at',
      'session_day.district_id',
      'district.state_id',
      'site.name as site_name',
    ])
    .where('session_day.id', '=', sessionDayId)
    .executeTakeFirst();
  if (!day) return undefined;
  const counts = await db
    .selectFrom('appointment')
    .innerJoin('session_day', 'session_day.id', 'appointment.session_day_id')
    .leftJoin('session_slot', 'session_slot.id', 'appointment.slot_id')
    .select([
      sql<number>`count(*)`.as('waiting'),
      sql<number>`count(*) filter (where (session_day.date + coalesce(session_slot.starts_at, session_day.opens_at)) at time zone 'Asia/Kolkata' <= ${calendarNow})`.as(
        'due',
      ),
    ])
    .where('appointment.session_day_id', '=', sessionDayId)
    .where('appointment.status', '=', 'BOOKED')
    .executeTakeFirstOrThrow();
  return {
    sessionDayId: day.id,
    status: day.status,
    date: day.date,
    stateId: day.state_id,
    districtId: day.district_id,
    siteName: day.site_name,
    opensAtMs: indiaInstant(day.date, day.opens_at).getTime(),
    closesAtMs: sessionClosesAt(day).getTime(),
    extendedUntil: day.extended_until,
    booked: day.dose1_booked + day.dose2_booked,
    waiting: counts.waiting,
    due: counts.due,
    dosesRecorded: day.doses_recorded,
    lastDoseAt: day.last_dose_at,
    noShows: day.no_shows,
    wastage: day.wastage,
    walkinUsed: day.walkin_used,
    workflowStartedAt: day.workflow_started_at,
  };
}

async function lockDay(trx: Executor, sessionDayId: string) {
  const day = await trx
    .selectFrom('session_day')
    .innerJoin('district', 'district.id', 'session_day.district_id')
    .select([
      'session_day.id',
      'session_day.status',
      'session_day.date',
      'session_day.closes_at',
      'session_day.extended_until',
      'session_day.district_id',
      'district.state_id',
      'session_day.doses_recorded',
      'session_day.no_shows',
      'session_day.wastage',
    ])
    .where('session_day.id', '=', sessionDayId)
    .forUpdate('session_day')
    .executeTakeFirst();
  if (!day) return refuse(Refusal.SESSION_NOT_FOUND, 'no session day has that id');
  return day;
}

type LockedDay = Awaited<ReturnType<typeof lockDay>>;

const sourceOf = (actor: Actor) => (actor.type === 'SYSTEM' ? 'WORKFLOW' : 'ONLINE');

async function announce(trx: Executor, day: LockedDay, data: Record<string, unknown>) {
  await publishLiveEvent(trx, {
    type: 'session.status',
    stateId: day.state_id,
    districtId: day.district_id,
    sessionDayId: day.id,
    at: new Date().toISOString(),
    data,
  });
}

export interface StatusChange {
  sessionDayId: string;
  /** The statuses the change may start from (the workflow's view); anything else leaves the row alone. */
  from: SessionStatus[];
  to: SessionStatus;
  actor: Actor;
  /** Audit action, e.g. 'SESSION_OPENED'. */
  action: string;
  details?: Record<string, unknown>;
  /** Why, when the change is to STALLED; any other change clears the recorded reason. */
  stallReason?: StallReason;
}

export interface StatusOutcome {
  status: SessionStatus;
  changed: boolean;
}

/** Changes the status inside the caller's transaction: row, audit, live event. Idempotent (a retry finds it done). */
export async function changeStatusIn(trx: Executor, change: StatusChange): Promise<StatusOutcome & { day: LockedDay }> {
  const day = await lockDay(trx, change.sessionDayId);
  if (day.status === change.to || !change.from.includes(day.status)) return { status: day.status, changed: false, day };
  await trx
    .updateTable('session_day')
    .set({
      status: change.to,
      stall_reason: change.to === 'STALLED' ? (change.stallReason ?? null) : null,
      updated_at: new Date(),
    })
    .where('id', '=', day.id)
    .execute();
  await writeAudit(trx, {
    actor: change.actor,
    action: change.action,
    entityType: 'session_day',
    entityId: day.id,
    source: sourceOf(change.actor),
    details: { from: day.status, to: change.to, ...change.details },
  });
  await announce(trx, day, { status: change.to, from: day.status, action: change.action, ...change.details });
  return { status: change.to, changed: true, day: { ...day, status: change.to } };
}

export async function changeSessionDayStatus(db: Db, change: StatusChange): Promise<StatusOutcome> {
  const { status, changed } = await db.transaction().execute((trx) => changeStatusIn(trx, change));
  return { status, changed };
}

/** Moves the closing time to `closesAt` (an officer's extension). A retry that finds it done changes nothing. */
export async function extendSessionDay(
  db: Db,
  input: { sessionDayId: string; closesAt: Date; minutes: number; actor: Actor },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const day = await lockDay(trx, input.sessionDayId);
    if (day.status === 'CLOSED' || day.status === 'CANCELLED') {
      return refuse(Refusal.SESSION_DAY_FINISHED, `this session day is ${day.status.toLowerCase()}`);
    }
    if (day.extended_until?.getTime() === input.closesAt.getTime()) return;
    const before = sessionClosesAt(day);
    await trx
      .updateTable('session_day')
      .set({ extended_until: input.closesAt, updated_at: new Date() })
      .where('id', '=', day.id)
      .execute();
    const details = {
      closesAt: input.closesAt.toISOString(),
      previousClosesAt: before.toISOString(),
      minutes: input.minutes,
    };
    await writeAudit(trx, {
      actor: input.actor,
      action: 'SESSION_EXTENDED',
      entityType: 'session_day',
      entityId: day.id,
      source: sourceOf(input.actor),
      details,
    });
    await announce(trx, day, { status: day.status, action: 'SESSION_EXTENDED', ...details });
  });
}

export interface ClosingReport {
  status: SessionStatus;
  dosesRecorded: number;
  noShows: number;
  /** Still booked at closing: each journey marks its own no-show after the grace period. */
  stillBooked: number;
  wastage: number;
}

/**
 * Closes the day (closing time, or an officer or vaccinator closing early) and writes the closing audit row with
 * its figures. On a day already CLOSED it records a late wastage report instead (once per new figure).
 */
export async function closeSessionDay(
  db: Db,
  input: { sessionDayId: string; actor: Actor; reason: string; wastage?: number },
): Promise<ClosingReport> {
  return db.transaction().execute(async (trx) => {
    const day = await lockDay(trx, input.sessionDayId);
    const { stillBooked } = await trx
      .selectFrom('appointment')
      .select(sql<number>`count(*)`.as('stillBooked'))
      .where('session_day_id', '=', day.id)
      .where('status', '=', 'BOOKED')
      .executeTakeFirstOrThrow();
    const report = (status: SessionStatus, wastage: number): ClosingReport => ({
      status,
      dosesRecorded: day.doses_recorded,
      noShows: day.no_shows,
      stillBooked,
      wastage,
    });
    if (day.status === 'CANCELLED') return report(day.status, day.wastage);
    if (day.status === 'CLOSED') {
      if (input.wastage === undefined || input.wastage === day.wastage) return report(day.status, day.wastage);
      await trx
        .updateTable('session_day')
        .set({ wastage: input.wastage, updated_at: new Date() })
        .where('id', '=', day.id)
        .execute();
      await writeAudit(trx, {
        actor: input.actor,
        action: 'SESSION_WASTAGE_REPORTED',
        entityType: 'session_day',
        entityId: day.id,
        source: sourceOf(input.actor),
        details: { wastage: input.wastage, previous: day.wastage },
      });
      return report(day.status, input.wastage);
    }
    const wastage = input.wastage ?? day.wastage;
    await trx
      .updateTable('session_day')
      .set({ status: 'CLOSED', wastage, updated_at: new Date() })
      .where('id', '=', day.id)
      .execute();
    const closing = report('CLOSED', wastage);
    const details = {
      from: day.status,
      to: 'CLOSED',
      reason: input.reason,
      dosesRecorded: closing.dosesRecorded,
      noShows: closing.noShows,
      stillBooked,
      wastage,
    };
    await writeAudit(trx, {
      actor: input.actor,
      action: 'SESSION_CLOSED',
      entityType: 'session_day',
      entityId: day.id,
      source: sourceOf(input.actor),
      details,
    });
    await announce(trx, day, { status: 'CLOSED', action: 'SESSION_CLOSED', ...details });
    return closing;
  });
}

/** The district officers to alert about a session day (active, with a mobile). */
export async function districtOfficersOf(
  db: Executor,
  districtId: number,
): Promise<Array<{ id: string; name: string; mobile: string }>> {
  const rows = await db
    .selectFrom('staff_user')
    .select(['id', 'name', 'mobile'])
    .where('role', '=', 'DISTRICT_OFFICER')
    .where('district_id', '=', districtId)
    .where('active', '=', true)
    .where('mobile', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, mobile: r.mobile! }));
}

/** Marks a session day's workflow as started, so the sweep passes it by. */
export async function markWorkflowStarted(db: Executor, sessionDayId: string): Promise<void> {
  await db
    .updateTable('session_day')
    .set({ workflow_started_at: new Date() })
    .where('id', '=', sessionDayId)
    .where('workflow_started_at', 'is', null)
    .execute();
}

/** Session days of the given dates still without a workflow (the sweep's read; a partial index holds just these). */
export async function sessionDaysWithoutWorkflow(db: Executor, dates: string[], limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('session_day')
    .select('id')
    .where('workflow_started_at', 'is', null)
    .where('date', 'in', dates)
    .where('status', 'not in', ['CLOSED', 'CANCELLED'])
    // A simulation starts its own days' workflows, on its own clock, when it runs (api/services/dry-runs.ts).
    .where((eb) =>
      eb.or([
        eb('dry_run_id', 'is', null),
        eb('dry_run_id', 'not in', eb.selectFrom('dry_run').select('id').where('mode', '=', 'SIMULATION')),
      ]),
    )
    .orderBy('date')
    .orderBy('opens_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
