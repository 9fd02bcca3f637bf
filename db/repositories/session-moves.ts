/**
 * Moving everyone booked on a cancelled session day: who is still booked there, and the session days they may be
 * moved to (the next ones of the same vaccine in the district with seats left, the same site or the nearest first).
 * Each move itself is an ordinary reschedule (db/repositories/bookings.ts), so seats are taken by the same
 * conditional statement as any booking.
 */
import { sql } from 'kysely';
import { BOOKABLE_STATUSES } from '../../domain/booking-rules.js';
import type { Executor } from './audit.js';

export interface BookedAppointment {
  appointmentId: string;
  referenceId: string;
  dose: number;
}

export async function bookedAppointmentsAt(db: Executor, sessionDayId: string): Promise<BookedAppointment[]> {
  const rows = await db
    .selectFrom('appointment')
    .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
    .select(['appointment.id', 'beneficiary.reference_id', 'appointment.dose_number'])
    .where('appointment.session_day_id', '=', sessionDayId)
    .where('appointment.status', '=', 'BOOKED')
    .orderBy('appointment.booked_at')
    .orderBy('appointment.id')
    .execute();
  return rows.map((r) => ({ appointmentId: r.id, referenceId: r.reference_id, dose: r.dose_number }));
}

/**
 * Session days a booking of `sessionDayId` may move to, best first: from `fromDate` on, the same vaccine, the same
 * district (and the same dry run, or none), bookable, with a seat of the dose left; the earliest date first, and on
 * one date the same site, then the nearest. Days in `passedOver` (which refused the person) are left out, so the
 * next call answers the next ones.
 */
export async function sessionsToMoveTo(
  db: Executor,
  sessionDayId: string,
  request: {
    fromDate: string;
    dose: number;
    limit: number;
    /** Days that refused this person already. */ passedOver?: string[];
  },
): Promise<string[]> {
  const rows = await db
    .selectFrom('session_day as origin')
    .innerJoin('site as origin_site', 'origin_site.id', 'origin.site_id')
    .innerJoin('session_day as day', (join) =>
      join
        .onRef('day.vaccine_code', '=', 'origin.vaccine_code')
        .onRef('day.district_id', '=', 'origin.district_id')
        .onRef('day.id', '<>', 'origin.id'),
    )
    .innerJoin('site', 'site.id', 'day.site_id')
    .select('day.id')
    .where('origin.id', '=', sessionDayId)
    .where(sql<boolean>`day.dry_run_id is not distinct from origin.dry_run_id`)
    .where('day.status', 'in', [...BOOKABLE_STATUSES])
    .where('day.date', '>=', request.fromDate)
    .$if((request.passedOver ?? []).length > 0, (q) => q.where('day.id', 'not in', request.passedOver!))
    .where(
      request.dose === 1
        ? sql<boolean>`day.dose1_booked < day.dose1_capacity`
        : sql<boolean>`day.dose2_booked < day.dose2_capacity`,
    )
    .orderBy('day.date')
    .orderBy(sql`(day.site_id = origin.site_id)`, 'desc')
    .orderBy(
      sql`power(site.lat - origin_site.lat, 2) + power((site.lng - origin_site.lng) * cos(radians(origin_site.lat)), 2)`,
    )
    .orderBy('day.id')
    .limit(request.limit)
    .execute();
  return rows.map((r) => r.id);
}
