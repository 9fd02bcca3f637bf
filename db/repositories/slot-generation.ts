/**
 * Generating a session day's time slots again from its hours, seats and a new slot length (an officer finds
 * the day's slots too long or too short). The new slots are planned exactly as a new day's would be
 * (domain/slots.ts `planSlots` through the planning writer `insertPlannedSlots`): contiguous, the first starting
 * at the opening time, the last ending at the closing time, the online and walk-in seats spread evenly.
 *
 * With nobody booked the slots are simply replaced. With bookings, every booked person (and every walk-in seat
 * already used) moves to a new slot overlapping the time window they were given (domain/slot-moves.ts); if the
 * new slots over some window cannot hold the people booked in it, nothing changes and the refusal names that
 * window (SLOTS_CANNOT_HOLD_BOOKINGS). Nobody's booking is ever dropped or moved outside the window they were
 * told; their reminder SMS and slip keep the time they were given, which still contains their new slot or is
 * contained by it.
 *
 * The session day row is locked first: seat-taking (appointments.ts, a walk-in dose) updates that row before
 * its slot, so no booking interleaves with the regeneration.
 */
import { refuse } from '../../domain/errors.js';
import { Refusal } from '../../domain/refusals.js';
import { placeHeldSeats } from '../../domain/slot-moves.js';
import { planSlots, slotLabel } from '../../domain/slots.js';
import { indiaDate, timeToMinutes } from '../../domain/time.js';
import { writeAudit, type Actor, type Executor } from './audit.js';
import { insertPlannedSlots } from './session-days.js';
import { slotLength } from '../../domain/session-plan.js';

/** Appointments whose seat a slot holds (slot.booked counts them): booked, or completed by a dose. */
const SEAT_HOLDING = ['BOOKED', 'COMPLETED'];

export interface SlotGeneration {
  sessionDayId: string;
  slots: number;
  slotMinutes: number;
  /** Booked people whose slot changed. */
  movedBookings: number;
  /** False when the day already had exactly these slots. */
  changed: boolean;
}

export async function regenerateSlots(
  db: Executor,
  input: { sessionDayId: string; slotMinutes: number; actor: Actor; now?: Date },
): Promise<SlotGeneration> {
  const now = input.now ?? new Date();
  const run = async (trx: Executor): Promise<SlotGeneration> => {
    const day = await trx
      .selectFrom('session_day')
      .selectAll()
      .where('id', '=', input.sessionDayId)
      .forUpdate()
      .executeTakeFirst();
    if (!day) return refuse(Refusal.SESSION_NOT_FOUND, 'no session day has that id');
    if (day.status === 'CLOSED' || day.status === 'CANCELLED' || day.date < indiaDate(now)) {
      return refuse(
        Refusal.SESSION_DAY_NOT_EDITABLE,
        `this session day is ${day.date < indiaDate(now) ? 'past' : day.status.toLowerCase()}; its slots can no longer change`,
      );
    }
    const minutes = timeToMinutes(day.closes_at) - timeToMinutes(day.opens_at);
    if (!Number.isInteger(input.slotMinutes) || input.slotMinutes < 15 || input.slotMinutes > minutes) {
      return refuse(
        Refusal.INVALID_SLOT_LENGTH,
        `a slot is a whole number of minutes from 15 to the session's ${minutes} (${day.opens_at.slice(0, 5)}–${day.closes_at.slice(0, 5)})`,
      );
    }
    const plan = {
      opensAt: day.opens_at,
      closesAt: day.closes_at,
      slotMinutes: input.slotMinutes,
      onlineCapacity: day.dose1_capacity + day.dose2_capacity,
      walkinCapacity: day.walkin_capacity,
    };
    const planned = planSlots(plan);
    const oldSlots = await trx
      .selectFrom('session_slot')
      .selectAll()
      .where('session_day_id', '=', day.id)
      .orderBy('starts_at')
      .forUpdate()
      .execute();
    const same =
      oldSlots.length === planned.length &&
      oldSlots.every(
        (s, i) =>
          s.starts_at === planned[i].startsAt &&
          s.ends_at === planned[i].endsAt &&
          s.capacity === planned[i].capacity &&
          s.walkin_capacity === planned[i].walkinCapacity,
      );
    if (same)
      return {
        sessionDayId: day.id,
        slots: oldSlots.length,
        slotMinutes: input.slotMinutes,
        movedBookings: 0,
        changed: false,
      };

    const appointments = await trx
      .selectFrom('appointment')
      .select(['id', 'slot_id', 'status'])
      .where('session_day_id', '=', day.id)
      .where('slot_id', 'is not', null)
      .orderBy('booked_at')
      .orderBy('id')
      .execute();
    const holding = oldSlots.map((slot) =>
      appointments.filter((a) => a.slot_id === slot.id && SEAT_HOLDING.includes(a.status)),
    );
    const booked = placeHeldSeats(
      oldSlots.map((s, i) => ({ startsAt: s.starts_at, endsAt: s.ends_at, held: holding[i].length })),
      planned.map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt, capacity: s.capacity })),
    );
    if (!booked.ok) {
      const slot = oldSlots[booked.index];
      return refuse(
        Refusal.SLOTS_CANNOT_HOLD_BOOKINGS,
        `${booked.held} people are booked in the ${slotLabel(slot.starts_at, slot.ends_at)} slot, but ${input.slotMinutes}-minute slots over that time would hold only ${booked.room} of them; choose another slot length`,
        { slot: slotLabel(slot.starts_at, slot.ends_at), booked: booked.held, room: booked.room },
      );
    }
    // Walk-ins were vaccinated already: their seats go to an overlapping slot if they can, else anywhere with room.
    const walkins = placeHeldSeats(
      oldSlots.map((s) => ({ startsAt: s.starts_at, endsAt: s.ends_at, held: s.walkin_used })),
      planned.map((s) => ({ startsAt: s.startsAt, endsAt: s.endsAt, capacity: s.walkinCapacity })),
      { anywhere: true },
    );
    if (!walkins.ok) throw new Error('walk-in seats exceed the walk-in quota of the session day');

    // Out with the old slots (appointments point at none meanwhile), in with the planned ones.
    await trx
      .updateTable('appointment')
      .set({ slot_id: null })
      .where('session_day_id', '=', day.id)
      .where('slot_id', 'is not', null)
      .execute();
    await trx.deleteFrom('session_slot').where('session_day_id', '=', day.id).execute();
    await insertPlannedSlots(trx, day.id, plan);
    const newSlots = await trx
      .selectFrom('session_slot')
      .select(['id', 'starts_at', 'ends_at'])
      .where('session_day_id', '=', day.id)
      .orderBy('starts_at')
      .execute();

    const seatsOf = (placed: number[][]) => newSlots.map((_, j) => placed.flat().filter((k) => k === j).length);
    const bookedSeats = seatsOf(booked.placed);
    const walkinSeats = seatsOf(walkins.placed);
    for (const [j, slot] of newSlots.entries()) {
      if (bookedSeats[j] || walkinSeats[j]) {
        await trx
          .updateTable('session_slot')
          .set({ booked: bookedSeats[j], walkin_used: walkinSeats[j] })
          .where('id', '=', slot.id)
          .execute();
      }
    }

    // Each appointment's new slot: the placed one for seat holders, the one its old slot began in for the rest
    // (cancelled, rescheduled, no-show: kept for the record only).
    const target = new Map<string, number>();
    let movedBookings = 0;
    oldSlots.forEach((old, i) => {
      holding[i].forEach((a, k) => {
        const fresh = newSlots[booked.placed[i][k]];
        target.set(a.id, fresh.id);
        if (fresh.starts_at !== old.starts_at || fresh.ends_at !== old.ends_at) movedBookings++;
      });
      const start = timeToMinutes(old.starts_at);
      const home =
        newSlots.find((s) => timeToMinutes(s.starts_at) <= start && start < timeToMinutes(s.ends_at)) ?? newSlots[0];
      for (const a of appointments) if (a.slot_id === old.id && !target.has(a.id)) target.set(a.id, home.id);
    });
    const bySlot = new Map<number, string[]>();
    for (const [appointmentId, slotId] of target) bySlot.set(slotId, [...(bySlot.get(slotId) ?? []), appointmentId]);
    for (const [slotId, ids] of bySlot) {
      await trx.updateTable('appointment').set({ slot_id: slotId }).where('id', 'in', ids).execute();
    }

    await writeAudit(trx, {
      actor: input.actor,
      action: 'SESSION_SLOTS_GENERATED',
      entityType: 'session_day',
      entityId: day.id,
      details: {
        from: { slots: oldSlots.length, slotMinutes: oldSlots.length ? slotLength(oldSlots[0]) : null },
        to: { slots: newSlots.length, slotMinutes: input.slotMinutes },
        movedBookings,
        seatsHeld: bookedSeats.reduce((a, b) => a + b, 0),
      },
    });
    return {
      sessionDayId: day.id,
      slots: newSlots.length,
      slotMinutes: input.slotMinutes,
      movedBookings,
      changed: true,
    };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
