/**
 * Walk-in seats per time slot. A session day's walk-in quota is spread over its slots (domain/slots.ts) so that
 * walk-ins are served through the day; a walk-in's dose takes a seat of the slot it was given in.
 *
 * The rule when that slot's walk-in quota is used up: the seat is borrowed from the nearest LATER slot with room,
 * and only when no later slot has any, from the latest earlier slot (seats of a slot already past would be lost
 * otherwise). So a walk-in is refused only when the whole day's walk-in quota is used (WALKIN_QUOTA_FULL, checked
 * on session_day first), never because of the clock: the person is standing at the desk, and a dose synced from
 * an offline desk was given already. A time before the first slot counts as the first slot; a time after the
 * last (an extended session) as the last.
 *
 * Call it in the dose's transaction after the day's conditional `walkin_used + 1` on session_day: that update
 * holds the day's row lock, so walk-ins of one day take their slot seats one at a time and the choice below sees
 * every seat already taken. The slot update is itself conditional (`walkin_used < walkin_capacity`), with the
 * CHECK constraint session_slot_walkin_within_quota behind it.
 */
import { sql } from 'kysely';
import { refuse } from '../../domain/errors.js';
import { indiaTime } from '../../domain/time.js';
import type { Executor } from './audit.js';

export interface WalkinSlotSeat {
  slotId: number;
  startsAt: string;
  endsAt: string;
}

export async function takeWalkinSlotSeat(trx: Executor, sessionDayId: string, givenAt: Date): Promise<WalkinSlotSeat> {
  const at = indiaTime(givenAt);
  const time = sql`${at}::time`;
  const seat = await trx
    .updateTable('session_slot')
    .set({ walkin_used: sql`walkin_used + 1` })
    .where(
      'id',
      '=',
      sql<number>`(
        select id from session_slot
        where session_day_id = ${sessionDayId} and walkin_used < walkin_capacity
        order by
          case when ${time} >= starts_at and ${time} < ends_at then 0 when starts_at > ${time} then 1 else 2 end,
          case when starts_at > ${time} then starts_at end asc,
          starts_at desc
        limit 1
      )`,
    )
    .where(sql<boolean>`walkin_used < walkin_capacity`)
    .returning(['id', 'starts_at', 'ends_at'])
    .executeTakeFirst();
  // The day's quota had room but no slot has: the slots were planned with fewer walk-in seats than the day.
  if (!seat) return refuse('WALKIN_QUOTA_FULL', 'no time slot of this session day has a walk-in seat left');
  return { slotId: seat.id, startsAt: seat.starts_at, endsAt: seat.ends_at };
}
