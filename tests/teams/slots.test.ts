import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDose } from '../../api/services/doses.js';
import { bookAppointments } from '../../db/repositories/bookings.js';
import { DomainRefusal } from '../../domain/errors.js';
import { addDays, indiaDate, indiaInstant, timeToMinutes } from '../../domain/time.js';
import { insertAccount, insertBeneficiary, insertSessionDay, insertStaff, uniqueMobile } from '../support/fixtures.js';
import { loginBeneficiary, registerPerson } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { auditOf, bearer, someDistrict, staffMember, type District, type Member } from './support.js';

let platform: TestPlatform;
let district: District;
let officer: Member;
beforeAll(async () => {
  // Real-length days: nothing here waits on a timer.
  platform = await startTestPlatform({ dayMs: 86_400_000 });
  district = await someDistrict(platform.db);
  officer = await staffMember(platform.app, platform.db, platform.config, 'DISTRICT_OFFICER', district);
});
afterAll(() => platform.close());

const tomorrow = () => addDays(indiaDate(), 1);

async function slotsOf(sessionDayId: string) {
  return platform.db
    .selectFrom('session_slot')
    .selectAll()
    .where('session_day_id', '=', sessionDayId)
    .orderBy('starts_at')
    .execute();
}

/** Verified people registered straight in the database (their identity is not what is tested here). */
async function people(count: number) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const person = await insertBeneficiary(platform.db, (await insertAccount(platform.db)).id);
      await platform.db.updateTable('beneficiary').set({ stage: 'VERIFIED' }).where('id', '=', person.id).execute();
      return person;
    }),
  );
}

const book = (beneficiaryId: string, sessionDayId: string, slotId: number) =>
  bookAppointments(platform.db, {
    people: [{ beneficiaryId }],
    sessionDayId,
    slotId,
    channel: 'PORTAL',
    actor: { type: 'SYSTEM', id: 'test' },
  });

async function generate(sessionDayId: string, slotMinutes: number, as: Member = officer) {
  return platform.app.inject({
    method: 'POST',
    url: `/api/v1/session-days/${sessionDayId}/slots/generate`,
    headers: as.headers,
    payload: { slotMinutes },
  });
}

describe('booking a time slot', () => {
  it('never takes more people than the slot holds: 30 concurrent bookings of one 4-seat slot, exactly 4 taken, the rest SLOT_FULL', async () => {
    const { db, app } = platform;
    const day = await insertSessionDay(db, {
      district,
      date: tomorrow(),
      opensAt: '09:00:00',
      closesAt: '15:00:00',
      slotMinutes: 120,
      dose1: 12,
      dose2: 0,
    });
    const slots = await slotsOf(day.id);
    expect(slots.map((s) => s.capacity)).toEqual([4, 4, 4]);
    const crowd = await people(30);

    const outcomes = await Promise.allSettled(crowd.map((p) => book(p.id, day.id, slots[0].id)));
    const taken = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(taken).toHaveLength(4);
    expect(refused).toHaveLength(26);
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'SLOT_FULL' });

    const after = await slotsOf(day.id);
    expect(after.map((s) => s.booked)).toEqual([4, 0, 0]);
    const inSlot = await db
      .selectFrom('appointment')
      .select('id')
      .where('slot_id', '=', slots[0].id)
      .where('status', '=', 'BOOKED')
      .execute();
    expect(inSlot).toHaveLength(4);
    expect(
      (await db.selectFrom('session_day').select('dose1_booked').where('id', '=', day.id).executeTakeFirstOrThrow())
        .dose1_booked,
    ).toBe(4);

    // A person booking the full slot on the portal is told so, and the other slots still take them.
    const token = await loginBeneficiary(app, uniqueMobile());
    const registered = await registerPerson(app, token);
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId } = registered.json();
    const full = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: bearer(token),
      payload: { referenceId, sessionDayId: day.id, slotId: slots[0].id },
    });
    expect(full.statusCode, full.body).toBe(409);
    expect(full.json()).toMatchObject({ code: 'SLOT_FULL', message: expect.stringContaining('full') });
    const other = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: bearer(token),
      payload: { referenceId, sessionDayId: day.id, slotId: slots[1].id },
    });
    expect(other.statusCode, other.body).toBe(201);
  });
});

describe('generating the slots of a session day', () => {
  it('covers the hours exactly: contiguous, from opening to closing, seats adding up to the day', async () => {
    const { db } = platform;
    const day = await insertSessionDay(db, {
      district,
      date: tomorrow(),
      opensAt: '09:00:00',
      closesAt: '16:30:00',
      slotMinutes: 120,
      dose1: 50,
      dose2: 25,
      walkin: 10,
    });

    const response = await generate(day.id, 45);
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json();
    expect(view).toMatchObject({ id: day.id, changed: true, movedBookings: 0 });
    const slots: Array<{ startsAt: string; endsAt: string; capacity: number; walkinCapacity: number }> = view.slots;
    expect(slots).toHaveLength(10); // 7.5 hours in 45-minute slots
    expect(slots[0].startsAt).toBe('09:00:00');
    expect(slots.at(-1)!.endsAt).toBe('16:30:00');
    slots.slice(1).forEach((slot, i) => expect(slot.startsAt).toBe(slots[i].endsAt));
    for (const slot of slots) expect(timeToMinutes(slot.endsAt) - timeToMinutes(slot.startsAt)).toBeLessThanOrEqual(45);
    expect(slots.reduce((sum, s) => sum + s.capacity, 0)).toBe(75);
    expect(slots.reduce((sum, s) => sum + s.walkinCapacity, 0)).toBe(10);
    expect(Math.max(...slots.map((s) => s.capacity)) - Math.min(...slots.map((s) => s.capacity))).toBeLessThanOrEqual(
      1,
    );

    // An hour length that does not divide the hours: the last slot is shorter, still ending at closing time.
    const uneven = (await generate(day.id, 100)).json();
    expect(
      uneven.slots.map(
        (s: { startsAt: string; endsAt: string }) => `${s.startsAt.slice(0, 5)}-${s.endsAt.slice(0, 5)}`,
      ),
    ).toEqual(['09:00-10:40', '10:40-12:20', '12:20-14:00', '14:00-15:40', '15:40-16:30']);
    expect(
      (await auditOf(db, 'session_day', day.id))
        .filter((a) => a.action === 'SESSION_SLOTS_GENERATED')
        .map((a) => a.actor_id),
    ).toEqual([officer.staffId, officer.staffId]);

    const tooLong = await generate(day.id, 600);
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.json()).toMatchObject({ code: 'INVALID_SLOT_LENGTH', message: expect.stringContaining('450') });
  });

  it('moves booked people to new slots within the time they were given, or refuses and changes nothing when they cannot all fit', async () => {
    const { db } = platform;
    const day = await insertSessionDay(db, {
      district,
      date: tomorrow(),
      opensAt: '09:00:00',
      closesAt: '13:00:00',
      slotMinutes: 120,
      dose1: 10,
      dose2: 0,
    });
    const [early, late] = await slotsOf(day.id);
    const crowd = await people(5);
    for (const p of crowd.slice(0, 3)) await book(p.id, day.id, early.id);
    for (const p of crowd.slice(3)) await book(p.id, day.id, late.id);
    const windowOf = new Map(crowd.map((p, i) => [p.id, i < 3 ? early : late]));

    // Hourly slots of 3, 3, 2 and 2 seats: everyone fits within their two hours.
    const hourly = await generate(day.id, 60);
    expect(hourly.statusCode, hourly.body).toBe(200);
    expect(hourly.json().movedBookings).toBe(5);
    const slots = await slotsOf(day.id);
    expect(slots.map((s) => [s.starts_at.slice(0, 5), s.capacity, s.booked])).toEqual([
      ['09:00', 3, 3],
      ['10:00', 3, 0],
      ['11:00', 2, 2],
      ['12:00', 2, 0],
    ]);
    const moved = await db
      .selectFrom('appointment')
      .innerJoin('session_slot', 'session_slot.id', 'appointment.slot_id')
      .select(['appointment.beneficiary_id', 'session_slot.starts_at', 'session_slot.ends_at'])
      .where('appointment.session_day_id', '=', day.id)
      .execute();
    expect(moved).toHaveLength(5);
    for (const a of moved) {
      const window = windowOf.get(a.beneficiary_id)!;
      expect(
        a.starts_at >= window.starts_at && a.ends_at <= window.ends_at,
        `${a.starts_at} within ${window.starts_at}-${window.ends_at}`,
      ).toBe(true);
    }

    // Two more at noon; 15-minute slots would put every seat before 11:30, none at noon: refused, nothing changes.
    for (const p of await people(2)) await book(p.id, day.id, slots[3].id);
    const before = await slotsOf(day.id);
    const refused = await generate(day.id, 15);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'SLOTS_CANNOT_HOLD_BOOKINGS',
      details: { slot: '12:00PM-01:00PM', booked: 2, room: 0 },
    });
    expect(await slotsOf(day.id)).toEqual(before);

    // Refused too: another district's officer, and a vaccinator.
    const outsider = await staffMember(
      platform.app,
      db,
      platform.config,
      'DISTRICT_OFFICER',
      await someDistrictOtherThan(district),
    );
    expect((await generate(day.id, 60, outsider)).statusCode).toBe(403);
    const vaccinator = await staffMember(platform.app, db, platform.config, 'VACCINATOR', district);
    expect((await generate(day.id, 60, vaccinator)).statusCode).toBe(403);
  });
});

async function someDistrictOtherThan(home: District): Promise<District> {
  for (;;) {
    const other = await someDistrict(platform.db);
    if (other.districtId !== home.districtId) return other;
  }
}

describe("a walk-in's seat", () => {
  it('is taken from the slot the dose was given in; a full slot borrows from a later one, then from one already past; a full day refuses online and stores an offline dose beyond the quota', async () => {
    const { db } = platform;
    const today = indiaDate();
    // Three 8-hour slots with one walk-in seat each.
    const day = await insertSessionDay(db, {
      district,
      date: today,
      opensAt: '00:00:00',
      closesAt: '23:59:00',
      slotMinutes: 480,
      walkin: 3,
    });
    expect((await slotsOf(day.id)).map((s) => [s.starts_at, s.walkin_capacity])).toEqual([
      ['00:00:00', 1],
      ['08:00:00', 1],
      ['16:00:00', 1],
    ]);
    const vaccinator = await insertStaff(db, 'VACCINATOR', district);
    const walkIn = async (time: string, source: 'ONLINE' | 'OFFLINE' = 'OFFLINE') => {
      const [person] = await people(1);
      return storeDose(
        db,
        { type: 'STAFF', id: vaccinator.id, role: 'VACCINATOR' },
        {
          referenceId: person.reference_id,
          secretCode: '4321',
          sessionDayId: day.id,
          vaccineCode: 'COVAXIN',
          batch: 'WALK-1',
          source,
          administeredAt: indiaInstant(today, time),
        },
      );
    };
    const used = async () => (await slotsOf(day.id)).map((s) => s.walkin_used);

    await walkIn('09:00');
    expect(await used()).toEqual([0, 1, 0]);
    await walkIn('10:00'); // its slot is used: the next slot's seat
    expect(await used()).toEqual([0, 1, 1]);
    await walkIn('11:00'); // no later seat: the unused seat of the night slot
    expect(await used()).toEqual([1, 1, 1]);
    // Given with no network and synced after the day filled: stored beyond the quota, taking no seat.
    const beyond = await walkIn('12:00');
    expect(beyond).toMatchObject({ dose: { doseId: expect.any(String) } });
    expect(await used()).toEqual([1, 1, 1]);
    // Online the desk asks first: no seat, no dose.
    const refused = await walkIn('12:30', 'ONLINE').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainRefusal);
    expect(refused).toMatchObject({ code: 'WALKIN_QUOTA_FULL' });
    expect(await used()).toEqual([1, 1, 1]);
    expect(
      (await db.selectFrom('session_day').select('walkin_used').where('id', '=', day.id).executeTakeFirstOrThrow())
        .walkin_used,
    ).toBe(3);
  });
});
