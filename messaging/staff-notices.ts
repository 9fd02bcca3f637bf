/**
 * SMS to session teams: when someone is assigned (STAFF_ASSIGNED), when their duty changes — hours changed or
 * extended, their team role changed, a teammate replaced (STAFF_ASSIGNMENT_CHANGED) —, when they are taken off a
 * day or the day is cancelled (STAFF_ASSIGNMENT_CANCELLED), and the evening before (STAFF_SESSION_REMINDER, sent
 * by the worker's sweep in workflows/staff-reminders.ts).
 *
 * Same outbox, templates and gateway as beneficiaries' SMS (messaging/sms-outbox.ts `sendSms`). Each message's
 * idempotency key is made of the assignment row's id and the event, so however often a request, an activity or
 * the sweep is retried, each member gets one SMS per event. Callers send after the fact is committed; a gateway
 * failure never undoes that fact: it is logged, and the QUEUED row is delivered later by the worker's staff sweep
 * (`deliverQueuedStaffSms`).
 */
import type { Db } from '../db/connection.js';
import type { Executor } from '../db/repositories/audit.js';
import type { TeamRole } from '../db/schema.js';
import { indiaTime } from '../domain/time.js';
import { deliverSms, sendSms } from './sms-outbox.js';
import type { SmsProvider } from './providers/types.js';
import type { SmsTemplateName, SmsVars } from './templates.js';

/** One idempotency key per assignment and event (assignment ids are never reused). */
export const staffSmsKey = {
  assigned: (assignmentId: number) => `staff-assigned:${assignmentId}`,
  /** `change` names the change, unique per change: e.g. `extended-<closing ms>`, `hours-<edit ms>`, `replaced-<new assignment id>`. */
  changed: (assignmentId: number, change: string) => `staff-changed:${assignmentId}:${change}`,
  cancelled: (assignmentId: number) => `staff-cancelled:${assignmentId}`,
  reminder: (assignmentId: number, date: string) => `staff-reminder:${assignmentId}:${date}`,
};

/** Where failures go: a pino logger (the API's) or anything with `warn`. */
export interface NoticeLog {
  warn(details: object, message: string): void;
}

const consoleLog: NoticeLog = { warn: (details, message) => console.warn(`[staff-sms] ${message}`, details) };

/** A member's duty on a session day, as the SMS states it. */
export interface Duty {
  assignmentId: number;
  staffId: string;
  name: string;
  mobile: string | null;
  teamRole: TeamRole;
  sessionDayId: string;
  siteName: string;
  date: string;
  opensAt: string;
  closesAt: string;
  extendedUntil: Date | null;
  createdAt: Date;
}

/** Duties (assignment, person, session day, site) with what a staff SMS needs; callers add their filters. */
export function dutyQuery(db: Executor) {
  return db
    .selectFrom('session_assignment')
    .innerJoin('staff_user', 'staff_user.id', 'session_assignment.staff_id')
    .innerJoin('session_day', 'session_day.id', 'session_assignment.session_day_id')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .select([
      'session_assignment.id',
      'session_assignment.staff_id',
      'session_assignment.team_role',
      'session_assignment.created_at',
      'staff_user.name',
      'staff_user.mobile',
      'site.name as site_name',
      'session_day.id as session_day_id',
      'session_day.date',
      'session_day.opens_at',
      'session_day.closes_at',
      'session_day.extended_until',
    ]);
}

type DutyRow = Awaited<ReturnType<ReturnType<typeof dutyQuery>['execute']>>[number];

export function toDuty(r: DutyRow): Duty {
  return {
    assignmentId: r.id,
    staffId: r.staff_id,
    name: r.name,
    mobile: r.mobile,
    teamRole: r.team_role,
    sessionDayId: r.session_day_id,
    siteName: r.site_name,
    date: r.date,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    extendedUntil: r.extended_until,
    createdAt: r.created_at,
  };
}

/** The duties on one session day (all of them, or those of `staffIds`). */
export async function dutiesOf(db: Executor, sessionDayId: string, staffIds?: string[]): Promise<Duty[]> {
  if (staffIds && !staffIds.length) return [];
  const rows = await dutyQuery(db)
    .where('session_assignment.session_day_id', '=', sessionDayId)
    .$if(staffIds !== undefined, (qb) => qb.where('session_assignment.staff_id', 'in', staffIds!))
    .orderBy('session_assignment.id')
    .execute();
  return rows.map(toDuty);
}

/** "09:00-17:00", with the closing time of any extension. */
export function dutyHours(duty: Pick<Duty, 'opensAt' | 'closesAt' | 'extendedUntil'>): string {
  const closes = duty.extendedUntil ? indiaTime(duty.extendedUntil) : duty.closesAt;
  return `${duty.opensAt.slice(0, 5)}-${closes.slice(0, 5)}`;
}

export interface StaffSms {
  idempotencyKey: string;
  duty: Duty;
  template: Extract<SmsTemplateName, `STAFF_${string}`>;
}

/** Sends each message once (by its key); returns how many went out now. Never throws for a delivery failure. */
export async function sendStaffSms(
  db: Db,
  sms: SmsProvider,
  messages: StaffSms[],
  log: NoticeLog = consoleLog,
): Promise<number> {
  let sent = 0;
  for (const { idempotencyKey, duty, template } of messages) {
    if (!duty.mobile) continue; // no mobile on file: the officer's console shows the team instead
    const vars: SmsVars =
      template === 'STAFF_ASSIGNMENT_CANCELLED'
        ? { name: duty.name, site: duty.siteName, date: duty.date }
        : {
            name: duty.name,
            role: duty.teamRole.toLowerCase(),
            site: duty.siteName,
            date: duty.date,
            hours: dutyHours(duty),
          };
    try {
      const { outcome } = await sendSms(db, sms, { idempotencyKey, mobile: duty.mobile.trim(), template, vars });
      if (outcome === 'SENT') sent++;
    } catch (error) {
      log.warn({ err: error, idempotencyKey, template }, 'staff SMS not delivered now; the worker will retry it');
    }
  }
  return sent;
}

/** STAFF_ASSIGNED to each of `staffIds` on the day (a person re-assigned after removal is a new assignment). */
export async function notifyAssigned(
  db: Db,
  sms: SmsProvider,
  sessionDayId: string,
  staffIds: string[],
  log?: NoticeLog,
): Promise<number> {
  const duties = await dutiesOf(db, sessionDayId, staffIds);
  return sendStaffSms(
    db,
    sms,
    duties.map((duty) => ({
      idempotencyKey: staffSmsKey.assigned(duty.assignmentId),
      duty,
      template: 'STAFF_ASSIGNED',
    })),
    log,
  );
}

/** STAFF_ASSIGNMENT_CHANGED to the day's team (or `staffIds` of it), once per member per `change`. */
export async function notifyTeamOfChange(
  db: Db,
  sms: SmsProvider,
  sessionDayId: string,
  change: string,
  options: { staffIds?: string[]; log?: NoticeLog } = {},
): Promise<number> {
  const duties = await dutiesOf(db, sessionDayId, options.staffIds);
  return sendStaffSms(
    db,
    sms,
    duties.map((duty) => ({
      idempotencyKey: staffSmsKey.changed(duty.assignmentId, change),
      duty,
      template: 'STAFF_ASSIGNMENT_CHANGED',
    })),
    options.log,
  );
}

/**
 * STAFF_ASSIGNMENT_CANCELLED to every member of a cancelled session day (their assignments stay on record).
 * Called by the session-day workflow's cancel activity after the cancellation commits; idempotent.
 */
export async function notifyTeamOfCancellation(
  db: Db,
  sms: SmsProvider,
  sessionDayId: string,
  log?: NoticeLog,
): Promise<number> {
  const duties = await dutiesOf(db, sessionDayId);
  return sendStaffSms(
    db,
    sms,
    duties.map((duty) => ({
      idempotencyKey: staffSmsKey.cancelled(duty.assignmentId),
      duty,
      template: 'STAFF_ASSIGNMENT_CANCELLED',
    })),
    log,
  );
}

/** STAFF_ASSIGNMENT_CANCELLED to someone taken off a day: their duty as read before the removal. */
export async function notifyRemoved(db: Db, sms: SmsProvider, duty: Duty, log?: NoticeLog): Promise<number> {
  return sendStaffSms(
    db,
    sms,
    [{ idempotencyKey: staffSmsKey.cancelled(duty.assignmentId), duty, template: 'STAFF_ASSIGNMENT_CANCELLED' }],
    log,
  );
}

/**
 * Delivers staff SMS left QUEUED by a failed delivery (gateway down when the request or activity sent it). Rows
 * younger than `olderThanMs` are left to their own sender.
 */
export async function deliverQueuedStaffSms(
  db: Db,
  sms: SmsProvider,
  options: { olderThanMs?: number; limit?: number; log?: NoticeLog } = {},
): Promise<number> {
  const before = new Date(Date.now() - (options.olderThanMs ?? 60_000));
  const rows = await db
    .selectFrom('sms_message')
    .select('id')
    .where('status', '=', 'QUEUED')
    .where('created_at', '<', before)
    // The invitations of an uploaded worker list are sent by the upload's request the same way, and swept here too.
    .where((eb) => eb.or([eb('template', 'like', 'STAFF\\_%'), eb('template', '=', 'LISTED_WORKER_INVITED')]))
    .orderBy('created_at')
    .limit(options.limit ?? 100)
    .execute();
  let delivered = 0;
  for (const { id } of rows) {
    try {
      if ((await deliverSms(db, sms, id)) === 'SENT') delivered++;
    } catch (error) {
      (options.log ?? consoleLog).warn({ err: error, smsId: id }, 'queued staff SMS not delivered; next sweep retries');
    }
  }
  return delivered;
}
