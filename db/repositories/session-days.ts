import type { Db } from '../connection.js';
import type { Insertable } from 'kysely';
import type { SessionDayTable } from '../schema.js';
import { planSlots } from '../../domain/slots.js';

export type NewSessionDay = Omit<Insertable<SessionDayTable>, 'district_id'> & { slotMinutes?: number };

/** Creates a session day and its time slots in one transaction; the district comes from the site. */
export async function createSessionDay(db: Db, input: NewSessionDay): Promise<string> {
  const { slotMinutes = 120, ...row } = input;
  return db.transaction().execute(async (trx) => {
    const site = await trx.selectFrom('site').select('district_id').where('id', '=', row.site_id).executeTakeFirstOrThrow();
    const { id } = await trx
      .insertInto('session_day')
      .values({ ...row, district_id: site.district_id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const slots = planSlots({
      opensAt: row.opens_at,
      closesAt: row.closes_at,
      slotMinutes,
      onlineCapacity: row.dose1_capacity + row.dose2_capacity,
      walkinCapacity: row.walkin_capacity ?? 0,
    });
    await trx
      .insertInto('session_slot')
      .values(slots.map((s) => ({
        session_day_id: id,
        starts_at: s.startsAt,
        ends_at: s.endsAt,
        capacity: s.capacity,
        walkin_capacity: s.walkinCapacity,
      })))
      .execute();
    return id;
  });
}
