import type { Insertable } from 'kysely';
import type { SessionDayTable } from '../schema.js';
import { planSlots } from '../../domain/slots.js';
import type { Executor } from './audit.js';

export type NewSessionDay = Omit<Insertable<SessionDayTable>, 'district_id'> & { slotMinutes?: number };

/**
 * Creates a session day and its time slots in one transaction; the district comes from the site.
 * Given a transaction it joins it, so a caller can create many session days all-or-nothing.
 */
export async function createSessionDay(db: Executor, input: NewSessionDay): Promise<string> {
  const { slotMinutes = 120, ...row } = input;
  const create = async (trx: Executor) => {
    const site = await trx
      .selectFrom('site')
      .select('district_id')
      .where('id', '=', row.site_id)
      .executeTakeFirstOrThrow();
    const { id } = await trx
      .insertInto('session_day')
      .values({ ...row, district_id: site.district_id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertPlannedSlots(trx, id, {
      opensAt: row.opens_at,
      closesAt: row.closes_at,
      slotMinutes,
      onlineCapacity: row.dose1_capacity + row.dose2_capacity,
      walkinCapacity: row.walkin_capacity ?? 0,
    });
    return id;
  };
  return db.isTransaction ? create(db) : db.transaction().execute(create);
}

/** Writes the slots planSlots divides a session day's hours into (the day must have none yet). */
export async function insertPlannedSlots(
  trx: Executor,
  sessionDayId: string,
  plan: Parameters<typeof planSlots>[0],
): Promise<void> {
  const slots = planSlots(plan);
  await trx
    .insertInto('session_slot')
    .values(
      slots.map((s) => ({
        session_day_id: sessionDayId,
        starts_at: s.startsAt,
        ends_at: s.endsAt,
        capacity: s.capacity,
        walkin_capacity: s.walkinCapacity,
      })),
    )
    .execute();
}
