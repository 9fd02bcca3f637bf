/**
 * The evening-before SMS to session teams (STAFF_SESSION_REMINDER). The worker sweeps every minute; an
 * assignment's reminder is due from `hour`:00 India time on the day before its session day (18:00 unless
 * STAFF_REMINDER_HOUR says otherwise) until the session opens, so a worker that was down in the evening still
 * reminds the team in the morning. One reminder per assignment and date, by the idempotency key
 * `staff-reminder:<assignmentId>:<date>`, however often the sweep runs or however many workers run it.
 *
 * Not reminded: assignments made at or after the reminder time (their STAFF_ASSIGNED SMS, just sent, says the
 * same), cancelled or closed days, deactivated staff, staff without a mobile.
 *
 * The same sweep delivers staff SMS a request or activity enqueued but could not deliver (gateway down).
 */
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { addDays, indiaDate, indiaInstant } from '../domain/time.js';
import {
  deliverQueuedStaffSms,
  dutyQuery,
  sendStaffSms,
  staffSmsKey,
  toDuty,
  type Duty,
  type NoticeLog,
} from '../messaging/staff-notices.js';
import type { SmsProvider } from '../messaging/providers/types.js';

export const DEFAULT_STAFF_REMINDER_HOUR = 18;
const BATCH = 500;

/** When the reminder of a duty on `date` becomes due: `hour`:00 India time the day before. */
export function reminderDueAt(date: string, hour: number): Date {
  return indiaInstant(addDays(date, -1), `${String(hour).padStart(2, '0')}:00`);
}

/**
 * Sends every reminder due at `now` that has not gone out yet. Returns how many were due and how many were sent
 * by this call (the rest went out before, or failed and wait for the next sweep).
 */
export async function sendDueStaffReminders(
  db: Db,
  sms: SmsProvider,
  now = new Date(),
  options: { hour?: number; log?: NoticeLog } = {},
): Promise<{ due: number; sent: number }> {
  const hour = options.hour ?? DEFAULT_STAFF_REMINDER_HOUR;
  const today = indiaDate(now);
  // A session of tomorrow once today's reminder hour has come, and one of today until it opens.
  const dates = now >= reminderDueAt(addDays(today, 1), hour) ? [today, addDays(today, 1)] : [today];
  let due = 0;
  let sent = 0;
  let afterId = 0;
  for (;;) {
    const rows = await dutyQuery(db)
      .where('session_day.date', 'in', dates)
      .where('session_day.status', 'in', ['PLANNED', 'OPEN', 'STALLED', 'PAUSED'])
      .where('staff_user.active', '=', true)
      .where('staff_user.mobile', 'is not', null)
      .where('session_assignment.id', '>', afterId)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('sms_message')
              .select('id')
              .where(
                'idempotency_key',
                '=',
                sql<string>`'staff-reminder:' || session_assignment.id || ':' || session_day.date::text`,
              ),
          ),
        ),
      )
      .orderBy('session_assignment.id')
      .limit(BATCH)
      .execute();
    if (!rows.length) break;
    afterId = rows[rows.length - 1].id;
    const duties: Duty[] = rows.map(toDuty).filter((duty) => {
      const dueAt = reminderDueAt(duty.date, hour);
      return now >= dueAt && now < indiaInstant(duty.date, duty.opensAt) && duty.createdAt < dueAt;
    });
    due += duties.length;
    sent += await sendStaffSms(
      db,
      sms,
      duties.map((duty) => ({
        idempotencyKey: staffSmsKey.reminder(duty.assignmentId, duty.date),
        duty,
        template: 'STAFF_SESSION_REMINDER',
      })),
      options.log,
    );
    if (rows.length < BATCH) break;
  }
  return { due, sent };
}

/** Runs the sweep every `everyMs` until the returned stop function is called (and awaited). */
export function startStaffReminderSweep(
  db: Db,
  sms: SmsProvider,
  options: { hour?: number; everyMs?: number; log?: (message: string) => void } = {},
): () => Promise<void> {
  const log: NoticeLog = {
    warn: (details, message) =>
      options.log?.(`[staff-reminders] ${message}: ${(details as { err?: Error }).err?.message ?? ''}`),
  };
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const sweep = async () => {
    try {
      await sendDueStaffReminders(db, sms, new Date(), { hour: options.hour, log });
      await deliverQueuedStaffSms(db, sms, { log });
    } catch (error) {
      options.log?.(`[staff-reminders] sweep failed: ${(error as Error).message}`);
    }
  };
  const timer = setInterval(() => {
    if (!stopped) running = running.then(sweep);
  }, options.everyMs ?? 60_000);
  running = running.then(sweep);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
