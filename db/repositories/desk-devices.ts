/**
 * Desk devices in touch about a session day (2026-12-07T1010_desk_device_contacts): a device that took the day's
 * list and has not been in touch since the day closed may hold doses given offline, and the no-show of a booking
 * there waits for it (the journey's NO_SHOW_CHECK).
 */
import { sql } from 'kysely';
import type { Db } from '../connection.js';
import type { Executor } from './audit.js';

/**
 * The device is in touch: its last contact moves to now for the given session days (taken on for the first
 * time when new) and for every day it took before. Called when a device fetches its list and after a sync that
 * left nothing of its queue to resend.
 */
export async function noteDeviceContact(
  db: Db,
  contact: { deviceId: string; staffId: string; sessionDayIds: readonly string[] },
): Promise<void> {
  const { deviceId, staffId } = contact;
  const days = [...new Set(contact.sessionDayIds)];
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('desk_device_contact')
      .set({ last_contact_at: sql<Date>`now()` })
      .where('device_id', '=', deviceId)
      .where('staff_id', '=', staffId)
      .execute();
    if (!days.length) return;
    await trx
      .insertInto('desk_device_contact')
      .values(days.map((sessionDayId) => ({ session_day_id: sessionDayId, device_id: deviceId, staff_id: staffId })))
      .onConflict((oc) =>
        oc.columns(['session_day_id', 'device_id']).doUpdateSet({ last_contact_at: sql<Date>`now()` }),
      )
      .execute();
  });
}

/** Devices that took the session day's list and have not been in touch since it closed at `closedAt`. */
export async function devicesYetToReport(db: Executor, sessionDayId: string, closedAt: Date): Promise<number> {
  const row = await db
    .selectFrom('desk_device_contact')
    .select((eb) => eb.fn.countAll<string>().as('devices'))
    .where('session_day_id', '=', sessionDayId)
    .where('last_contact_at', '<', closedAt)
    .executeTakeFirstOrThrow();
  return Number(row.devices);
}
