/**
 * Editing a planned session day's seats, hours and ages without ever going below what people already hold.
 * Booked seats are protected by locking the session day row first: seat-taking (appointments.ts) updates that
 * row too, so an edit and a booking never interleave.
 */
import { sql } from 'kysely';
import { Refusal } from '../../domain/refusals.js';
import type { Db } from '../connection.js';
import { refuse } from '../../domain/errors.js';
import {
  checkSessionPlan,
  normaliseTime,
  rebalanceSlotSeats,
  slotLength,
  type SessionPlan,
} from '../../domain/session-plan.js';
import { indiaDate } from '../../domain/time.js';
import { writeAudit, type Actor } from './audit.js';
import { insertPlannedSlots } from './session-days.js';
import { FINAL_STATUSES } from '../../domain/session-status.js';

export interface SessionDayChanges {
  minAge?: number;
  maxAge?: number | null;
  dose1Capacity?: number;
  dose2Capacity?: number;
  walkinCapacity?: number;
  opensAt?: string;
  closesAt?: string;
  slotMinutes?: number;
}

/**
 * Changes seats, walk-in quota, hours or ages of a planned day. Seats never drop below what is booked; ages
 * never exclude someone booked; hours (and slot length) change only while nobody has booked, because the
 * slots are then planned afresh. With bookings, seat changes are spread over the existing slots instead.
 */
export async function editSessionDay(
  db: Db,
  sessionDayId: string,
  changes: SessionDayChanges,
  options: { actor: Actor; now?: Date },
): Promise<void> {
  const now = options.now ?? new Date();
  await db.transaction().execute(async (trx) => {
    const day = await trx
      .selectFrom('session_day')
      .selectAll()
      .where('id', '=', sessionDayId)
      .forUpdate()
      .executeTakeFirst();
    if (!day) return refuse(Refusal.SESSION_NOT_FOUND, 'no session day has that id');
    if (FINAL_STATUSES.has(day.status)) {
      return refuse(
        Refusal.SESSION_DAY_NOT_EDITABLE,
        `this session day is ${day.status.toLowerCase()}; it can no longer be changed`,
      );
    }
    const slots = await trx
      .selectFrom('session_slot')
      .selectAll()
      .where('session_day_id', '=', sessionDayId)
      .orderBy('starts_at')
      .forUpdate()
      .execute();
    const currentSlotMinutes = slots.length ? slotLength(slots[0]) : 120;

    const plan: SessionPlan = {
      siteId: day.site_id,
      date: day.date,
      vaccineCode: day.vaccine_code,
      minAge: changes.minAge ?? day.min_age,
      maxAge: changes.maxAge !== undefined ? changes.maxAge : day.max_age,
      dose1Capacity: changes.dose1Capacity ?? day.dose1_capacity,
      dose2Capacity: changes.dose2Capacity ?? day.dose2_capacity,
      walkinCapacity: changes.walkinCapacity ?? day.walkin_capacity,
      opensAt: changes.opensAt ?? day.opens_at,
      closesAt: changes.closesAt ?? day.closes_at,
      slotMinutes: changes.slotMinutes ?? currentSlotMinutes,
    };
    const problems = checkSessionPlan(plan, indiaDate(now), now);
    if (problems.length) {
      return refuse(Refusal.INVALID_SESSION_PLAN, problems.map((p) => p.message).join('; '), { problems });
    }
    const opensAt = normaliseTime(plan.opensAt)!;
    const closesAt = normaliseTime(plan.closesAt)!;

    for (const [label, capacity, held] of [
      ['dose 1 capacity', plan.dose1Capacity, day.dose1_booked],
      ['dose 2 capacity', plan.dose2Capacity, day.dose2_booked],
      ['walk-in quota', plan.walkinCapacity, day.walkin_used],
    ] as const) {
      if (capacity < held) {
        refuse(
          Refusal.CAPACITY_BELOW_BOOKED,
          `the ${label} cannot go below the ${held} already ${label === 'walk-in quota' ? 'used' : 'booked'} (asked for ${capacity})`,
          {
            asked: capacity,
            held,
          },
        );
      }
    }

    if (plan.minAge !== day.min_age || plan.maxAge !== day.max_age) {
      const year = Number(day.date.slice(0, 4));
      const { excluded } = await trx
        .selectFrom('appointment')
        .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
        .select(sql<number>`count(*)`.as('excluded'))
        .where('appointment.session_day_id', '=', sessionDayId)
        .where('appointment.status', '=', 'BOOKED')
        .where((eb) =>
          eb.or([
            eb(sql<number>`${year} - beneficiary.birth_year`, '<', plan.minAge),
            ...(plan.maxAge === null ? [] : [eb(sql<number>`${year} - beneficiary.birth_year`, '>', plan.maxAge)]),
          ]),
        )
        .executeTakeFirstOrThrow();
      if (excluded > 0) {
        refuse(
          Refusal.AGE_RANGE_EXCLUDES_BOOKED,
          `${excluded} people booked on this day fall outside ages ${plan.minAge}${plan.maxAge === null ? '+' : `–${plan.maxAge}`}`,
          { excluded },
        );
      }
    }

    const { appointments } = await trx
      .selectFrom('appointment')
      .select(sql<number>`count(*)`.as('appointments'))
      .where('session_day_id', '=', sessionDayId)
      .executeTakeFirstOrThrow();
    const taken = appointments > 0 || day.walkin_used > 0 || day.doses_recorded > 0;
    const hoursChange =
      opensAt !== day.opens_at || closesAt !== day.closes_at || plan.slotMinutes !== currentSlotMinutes;
    const seatsChange =
      plan.dose1Capacity !== day.dose1_capacity ||
      plan.dose2Capacity !== day.dose2_capacity ||
      plan.walkinCapacity !== day.walkin_capacity;

    if (hoursChange && taken) {
      refuse(
        Refusal.HOURS_LOCKED,
        'people have already booked or been vaccinated on this day, so its hours and slots can no longer change; change seats only, or cancel and plan a new day',
      );
    }
    if (hoursChange || (seatsChange && !taken)) {
      // Nobody holds a slot: plan them afresh, exactly as a new day would be.
      await trx.deleteFrom('session_slot').where('session_day_id', '=', sessionDayId).execute();
      await insertPlannedSlots(trx, sessionDayId, {
        opensAt,
        closesAt,
        slotMinutes: plan.slotMinutes,
        onlineCapacity: plan.dose1Capacity + plan.dose2Capacity,
        walkinCapacity: plan.walkinCapacity,
      });
    } else if (seatsChange) {
      const hours = { opensAt, closesAt, slotMinutes: plan.slotMinutes };
      const online = rebalanceSlotSeats(
        slots.map((s) => ({ startsAt: s.starts_at, used: s.booked })),
        hours,
        plan.dose1Capacity + plan.dose2Capacity,
      );
      const walkin = rebalanceSlotSeats(
        slots.map((s) => ({ startsAt: s.starts_at, used: s.walkin_used })),
        hours,
        plan.walkinCapacity,
      );
      for (const [i, slot] of slots.entries()) {
        if (online[i] !== slot.capacity || walkin[i] !== slot.walkin_capacity) {
          await trx
            .updateTable('session_slot')
            .set({ capacity: online[i], walkin_capacity: walkin[i] })
            .where('id', '=', slot.id)
            .execute();
        }
      }
    }

    await trx
      .updateTable('session_day')
      .set({
        min_age: plan.minAge,
        max_age: plan.maxAge,
        dose1_capacity: plan.dose1Capacity,
        dose2_capacity: plan.dose2Capacity,
        walkin_capacity: plan.walkinCapacity,
        opens_at: opensAt,
        closes_at: closesAt,
        updated_at: now,
      })
      .where('id', '=', sessionDayId)
      .execute();

    const before: Record<string, unknown> = {
      minAge: day.min_age,
      maxAge: day.max_age,
      dose1Capacity: day.dose1_capacity,
      dose2Capacity: day.dose2_capacity,
      walkinCapacity: day.walkin_capacity,
      opensAt: day.opens_at,
      closesAt: day.closes_at,
      slotMinutes: currentSlotMinutes,
    };
    const after: Record<string, unknown> = { ...plan, opensAt, closesAt };
    const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
    await writeAudit(trx, {
      actor: options.actor,
      action: 'SESSION_DAY_EDITED',
      entityType: 'session_day',
      entityId: sessionDayId,
      details: { changes: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])) },
    });
  });
}
