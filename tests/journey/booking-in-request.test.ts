/**
 * Bookings are taken in Postgres in the request and the journey is told afterwards. What a person (or an officer
 * looking at the counters) can check: the last seats are never overbooked while bookings, moves and cancellations
 * race; one person booking from several devices at once gets one appointment; the journey confirms, follows a
 * reschedule and a cancellation, and a signal relayed twice or late sends nothing twice; a withdrawal frees every seat
 * the person holds; refusals say why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointments, cancelAppointment } from '../../db/repositories/bookings.js';
import { addDays, indiaDate } from '../../domain/time.js';
import {
  bookingChangedSignal,
  bookSlotUpdate,
  journeySnapshotQuery,
  workflowIds,
  type BookingChangedEvent,
} from '../../workflows/shared.js';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import {
  bearer,
  book,
  loginBeneficiary,
  readSms,
  registerPerson,
  seatsOf,
  smsTemplates,
  stageOf,
  uniqueIp,
  waitFor,
} from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
/** 4 s a day: an appointment tomorrow at 00:00–00:30 is a no-show within seconds. */
let fastDays: TestPlatform;
beforeAll(async () => {
  // Real-length days: no reminder or no-show timer falls due while these tests run.
  platform = await startTestPlatform({ dayMs: 86_400_000 });
  fastDays = await startTestPlatform({ dayMs: 4_000 });
});
afterAll(async () => {
  await platform.close();
  await fastDays.close();
});

const tomorrow = () => addDays(indiaDate(), 1);

/** A verified person on their own mobile, logged in. */
async function person(birthYear?: number) {
  const mobile = uniqueMobile();
  const token = await loginBeneficiary(platform.app, mobile, uniqueIp());
  const registered = await registerPerson(platform.app, token, birthYear ? { birthYear } : {});
  expect(registered.statusCode, registered.body).toBe(201);
  return { mobile, token, referenceId: registered.json().referenceId as string };
}

async function people(count: number) {
  const all: Awaited<ReturnType<typeof person>>[] = [];
  for (let i = 0; i < count; i += 10)
    all.push(...(await Promise.all(Array.from({ length: Math.min(10, count - i) }, () => person()))));
  return all;
}

const reschedule = (token: string, appointmentId: string, sessionDayId: string, slotId?: number) =>
  platform.app.inject({
    method: 'POST',
    url: `/api/v1/appointments/${appointmentId}/reschedule`,
    headers: bearer(token),
    payload: { sessionDayId, ...(slotId ? { slotId } : {}) },
  });

const cancel = (token: string, appointmentId: string) =>
  platform.app.inject({ method: 'POST', url: `/api/v1/appointments/${appointmentId}/cancel`, headers: bearer(token) });

/** A session day's counters beside what its appointments and slots say. */
async function ledger(sessionDayId: string) {
  const day = await platform.db
    .selectFrom('session_day')
    .select(['dose1_booked', 'dose1_capacity'])
    .where('id', '=', sessionDayId)
    .executeTakeFirstOrThrow();
  const live = await platform.db
    .selectFrom('appointment')
    .select('beneficiary_id')
    .where('session_day_id', '=', sessionDayId)
    .where('status', '=', 'BOOKED')
    .execute();
  const slots = await platform.db
    .selectFrom('session_slot')
    .select(['booked', 'capacity'])
    .where('session_day_id', '=', sessionDayId)
    .execute();
  return {
    booked: day.dose1_booked,
    capacity: day.dose1_capacity,
    appointments: live.length,
    inSlots: slots.reduce((sum, s) => sum + s.booked, 0),
    slotsWithinCapacity: slots.every((s) => s.booked <= s.capacity),
  };
}

async function journeyHandle(referenceId: string) {
  const client = await platform.temporal.client();
  return client.workflow.getHandle(workflowIds.journey(referenceId));
}

async function journeyOf(referenceId: string) {
  return (await journeyHandle(referenceId)).query(journeySnapshotQuery);
}

describe('the last seats', () => {
  it('are never overbooked while bookings, moves into the session and cancellations out of it race', async () => {
    const { app } = platform;
    const target = await insertSessionDay(platform.db, { district: PUNE, date: tomorrow(), dose1: 5, dose2: 0 });
    const other = await insertSessionDay(platform.db, { district: PUNE, date: tomorrow(), dose1: 20, dose2: 0 });
    const [holders, newcomers, movers] = [await people(3), await people(30), await people(6)];
    const held: string[] = [];
    for (const p of holders) {
      const booked = await book(app, p.token, p.referenceId, target.id);
      expect(booked.statusCode, booked.body).toBe(201);
      held.push(booked.json().appointmentId);
    }
    const moving: string[] = [];
    for (const p of movers) {
      const booked = await book(app, p.token, p.referenceId, other.id);
      expect(booked.statusCode, booked.body).toBe(201);
      moving.push(booked.json().appointmentId);
    }

    // Two holders cancel while 30 newcomers book and 6 people move in, all at once.
    const [cancels, bookings, moves] = await Promise.all([
      Promise.all(holders.slice(0, 2).map((p, i) => cancel(p.token, held[i]!))),
      Promise.all(newcomers.map((p) => book(app, p.token, p.referenceId, target.id))),
      Promise.all(movers.map((p, i) => reschedule(p.token, moving[i]!, target.id))),
    ]);
    for (const c of cancels) expect(c.statusCode, c.body).toBe(200);
    const into = [...bookings, ...moves];
    const succeeded = into.filter((r) => r.statusCode === 201 || r.statusCode === 200);
    for (const refused of into.filter((r) => !succeeded.includes(r))) {
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json()).toMatchObject({
        code: 'SESSION_FULL',
        message: 'no dose 1 seats left on this session day',
      });
    }

    const after = await ledger(target.id);
    // The one holder who stayed, and everyone told yes: never more than the 5 seats, and every counter agrees.
    expect(after.booked).toBe(1 + succeeded.length);
    expect(after.booked).toBeLessThanOrEqual(5);
    expect(after).toMatchObject({ appointments: after.booked, inSlots: after.booked, slotsWithinCapacity: true });
    // The seats the movers left behind are free again; the ones refused kept theirs.
    const movedOut = moves.filter((r) => r.statusCode === 200).length;
    expect(await ledger(other.id)).toMatchObject({ booked: 6 - movedOut, appointments: 6 - movedOut });
  }, 120_000);

  it('go to one appointment per person, however many devices book at once', async () => {
    const p = await person();
    const days = await Promise.all(
      Array.from({ length: 6 }, () => insertSessionDay(platform.db, { district: PUNE, date: tomorrow() })),
    );
    const answers = await Promise.all(days.map((day) => book(platform.app, p.token, p.referenceId, day.id)));
    const yes = answers.filter((a) => a.statusCode === 201);
    expect(yes).toHaveLength(1);
    for (const no of answers.filter((a) => a.statusCode !== 201)) {
      expect(no.statusCode, no.body).toBe(409);
      expect(no.json()).toMatchObject({
        code: 'ALREADY_BOOKED',
        message: 'dose 1 is already booked; reschedule or cancel it first',
      });
    }
    const seats = await Promise.all(days.map((day) => seatsOf(platform.db, day.id)));
    expect(seats.map((s) => s.dose1_booked).sort()).toEqual([0, 0, 0, 0, 0, 1]);
    await waitFor(
      async () => (await smsTemplates(platform.app, p.mobile)).includes('BOOKING_CONFIRMED'),
      'the confirmation',
    );
    expect((await smsTemplates(platform.app, p.mobile)).filter((t) => t === 'BOOKING_CONFIRMED')).toHaveLength(1);
  });
});

describe('the journey after a booking taken in Postgres', () => {
  it('confirms it, follows a reschedule and a cancellation, and sends nothing twice for a signal relayed again', async () => {
    const { app, db } = platform;
    const [first, second] = [
      await insertSessionDay(db, { district: PUNE, date: tomorrow() }),
      await insertSessionDay(db, { district: PUNE, date: addDays(indiaDate(), 2) }),
    ];
    const p = await person();
    const booked = await book(app, p.token, p.referenceId, first.id);
    expect(booked.statusCode, booked.body).toBe(201);
    // Answered from Postgres: the seat, the appointment and the stage are there before the journey hears of it.
    expect(booked.json()).toMatchObject({ sessionDayId: first.id, dose: 1, date: tomorrow(), stage: 'DOSE1_BOOKED' });
    expect(await stageOf(db, p.referenceId)).toBe('DOSE1_BOOKED');
    const confirmation = await waitFor(
      async () => (await readSms(app, p.mobile)).find((m) => m.template === 'BOOKING_CONFIRMED'),
      'the booking confirmation',
    );
    expect(confirmation.body).toContain(tomorrow());
    expect(await journeyOf(p.referenceId)).toMatchObject({
      stage: 'DOSE1_BOOKED',
      appointment: { appointmentId: booked.json().appointmentId, sessionDayId: first.id, date: tomorrow() },
    });

    const moved = await reschedule(p.token, booked.json().appointmentId, second.id);
    expect(moved.statusCode, moved.body).toBe(200);
    await waitFor(
      async () => (await journeyOf(p.referenceId)).appointment?.appointmentId === moved.json().appointmentId,
      'the journey to follow the move',
    );
    expect((await journeyOf(p.referenceId)).appointment).toMatchObject({
      sessionDayId: second.id,
      date: addDays(indiaDate(), 2),
    });

    const cancelled = await cancel(p.token, moved.json().appointmentId);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toEqual({ stage: 'VERIFIED' });
    await waitFor(async () => (await journeyOf(p.referenceId)).stage === 'VERIFIED', 'the journey to hear of it');
    expect((await journeyOf(p.referenceId)).appointment).toBeUndefined();

    // The relay delivers the same signals again, newest first (a relay crash between delivery and its mark).
    const sent = await db
      .selectFrom('workflow_outbox')
      .select('payload')
      .where('workflow_id', '=', workflowIds.journey(p.referenceId))
      .where('signal_name', '=', bookingChangedSignal.name)
      .orderBy('id', 'desc')
      .execute();
    expect(sent).toHaveLength(3);
    const handle = (await platform.temporal.client()).workflow.getHandle(workflowIds.journey(p.referenceId));
    for (const { payload } of sent) await handle.signal(bookingChangedSignal, payload as never);
    // A new booking after them: once it is confirmed, the stale signals before it have been handled.
    const again = await book(app, p.token, p.referenceId, first.id);
    expect(again.statusCode, again.body).toBe(201);
    await waitFor(
      async () => (await journeyOf(p.referenceId)).appointment?.appointmentId === again.json().appointmentId,
      'the new booking',
    );
    await waitFor(
      async () =>
        (await smsTemplates(app, p.mobile)).filter((t) => t === 'BOOKING_CONFIRMED').length === 2 || undefined,
      'its confirmation',
    );
    expect(await smsTemplates(app, p.mobile)).toEqual([
      'OTP',
      'BOOKING_CONFIRMED',
      'BOOKING_RESCHEDULED',
      'BOOKING_CANCELLED',
      'BOOKING_CONFIRMED',
    ]);
    expect(await journeyOf(p.referenceId)).toMatchObject({ stage: 'DOSE1_BOOKED' });
  });

  it('frees every seat of a withdrawn person, even one the journey has not heard of yet', async () => {
    const { app, db } = platform;
    const day = await insertSessionDay(db, { district: PUNE, date: tomorrow(), dose1: 3, dose2: 0 });
    const p = await person();
    const me = await db
      .selectFrom('beneficiary')
      .select('id')
      .where('reference_id', '=', p.referenceId)
      .executeTakeFirstOrThrow();
    // Committed with no signal to the journey (as when the signal is still waiting in the outbox).
    await bookAppointments(db, {
      people: [{ beneficiaryId: me.id }],
      sessionDayId: day.id,
      channel: 'PORTAL',
      actor: { type: 'SYSTEM', id: 'test' },
      notifyJourney: false,
    });
    expect(await seatsOf(db, day.id)).toMatchObject({ dose1_booked: 1 });

    const gone = await app.inject({
      method: 'DELETE',
      url: `/api/v1/beneficiaries/${p.referenceId}`,
      headers: bearer(p.token),
    });
    expect(gone.statusCode, gone.body).toBeLessThan(300);
    expect(await seatsOf(db, day.id)).toMatchObject({ dose1_booked: 0 });
    expect(await ledger(day.id)).toMatchObject({ booked: 0, appointments: 0, inSlots: 0 });
    expect(await stageOf(db, p.referenceId)).toBe('WITHDRAWN');
  });
});

describe('journeys and API processes of the earlier release', () => {
  it('a booking Update sent by an API process of the earlier release still books, once (a rolling upgrade)', async () => {
    const { app, db } = platform;
    const day = await insertSessionDay(db, { district: PUNE, date: tomorrow() });
    const p = await person();
    const booked = await (
      await journeyHandle(p.referenceId)
    ).executeUpdate(bookSlotUpdate, { args: [{ sessionDayId: day.id, channel: 'PORTAL' }] });
    expect(booked).toMatchObject({ sessionDayId: day.id, dose: 1, stage: 'DOSE1_BOOKED' });
    expect(await ledger(day.id)).toMatchObject({ booked: 1, appointments: 1, inSlots: 1 });
    expect(await stageOf(db, p.referenceId)).toBe('DOSE1_BOOKED');
    await waitFor(async () => (await smsTemplates(app, p.mobile)).includes('BOOKING_CONFIRMED'), 'confirmation');

    // The person cancels through this release's API; the journey follows.
    const cancelled = await cancel(p.token, booked.appointmentId);
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    await waitFor(async () => (await journeyOf(p.referenceId)).stage === 'VERIFIED', 'the journey to follow');
    await waitFor(async () => (await smsTemplates(app, p.mobile)).includes('BOOKING_CANCELLED'), 'cancellation SMS');
    expect(await smsTemplates(app, p.mobile)).toEqual(['OTP', 'BOOKING_CONFIRMED', 'BOOKING_CANCELLED']);
    expect(await ledger(day.id)).toMatchObject({ booked: 0, appointments: 0 });
  });
});

describe('a no-show check that finds the appointment already cancelled', () => {
  it('marks no no-show and waits for the cancellation to reach the journey', async () => {
    const { app, db } = fastDays;
    const day = await insertSessionDay(db, {
      district: PUNE,
      date: tomorrow(),
      opensAt: '00:00:00',
      closesAt: '00:30:00',
      slotMinutes: 30,
    });
    const mobile = uniqueMobile();
    const token = await loginBeneficiary(app, mobile, uniqueIp());
    const { referenceId } = (await registerPerson(app, token)).json();
    const booked = await book(app, token, referenceId, day.id);
    expect(booked.statusCode, booked.body).toBe(201);
    await waitFor(async () => (await smsTemplates(app, mobile)).includes('BOOKING_CONFIRMED'), 'confirmation');

    // Cancelled in Postgres; its signal has not reached the journey when the no-show check comes.
    await cancelAppointment(db, {
      appointmentId: booked.json().appointmentId,
      actor: { type: 'BENEFICIARY', id: 'test' },
      notifyJourney: false,
    });
    const handle = (await fastDays.temporal.client()).workflow.getHandle(workflowIds.journey(referenceId));
    await waitFor(
      async () => {
        const events = (await handle.fetchHistory()).events ?? [];
        const asked = events.findIndex(
          (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'releaseAppointment',
        );
        return asked >= 0 && events.slice(asked).some((e) => e.workflowTaskCompletedEventAttributes);
      },
      'the journey to take the release answer',
      20_000,
    );
    expect(await seatsOf(db, day.id)).toMatchObject({ dose1_booked: 0, no_shows: 0 });
    expect(await stageOf(db, referenceId)).toBe('VERIFIED');
    expect(await smsTemplates(app, mobile)).not.toContain('NO_SHOW');

    // The cancellation's signal arrives: the journey moves on, and the person is told of the cancellation only.
    const version = (
      await db
        .selectFrom('beneficiary')
        .select('booking_version')
        .where('reference_id', '=', referenceId)
        .executeTakeFirstOrThrow()
    ).booking_version;
    const news: BookingChangedEvent = {
      version,
      change: 'CANCELLED',
      dose: 1,
      stage: 'VERIFIED',
      reason: 'dose 1 appointment cancelled',
      appointment: null,
      previous: { appointmentId: booked.json().appointmentId, date: tomorrow(), siteName: booked.json().siteName },
    };
    await handle.signal(bookingChangedSignal, news);
    await waitFor(async () => (await smsTemplates(app, mobile)).includes('BOOKING_CANCELLED'), 'cancellation SMS');
    expect((await handle.query(journeySnapshotQuery)).stage).toBe('VERIFIED');
    expect(await smsTemplates(app, mobile)).toEqual(['OTP', 'BOOKING_CONFIRMED', 'BOOKING_CANCELLED']);
    expect(await seatsOf(db, day.id)).toMatchObject({ dose1_booked: 0, no_shows: 0 });
  }, 60_000);
});

describe('a refused booking', () => {
  it('answers 4xx with the reason, and takes no seat', async () => {
    const { app, db } = platform;
    // Two slots of one seat each.
    const day = await insertSessionDay(db, {
      district: PUNE,
      date: tomorrow(),
      opensAt: '09:00:00',
      closesAt: '13:00:00',
      slotMinutes: 120,
      dose1: 2,
      dose2: 0,
    });
    const elsewhere = await insertSessionDay(db, { district: PUNE, date: tomorrow() });
    const slotOf = async (sessionDayId: string) =>
      (
        await db
          .selectFrom('session_slot')
          .select('id')
          .where('session_day_id', '=', sessionDayId)
          .orderBy('starts_at')
          .executeTakeFirstOrThrow()
      ).id;
    const [early, otherSlot] = [await slotOf(day.id), await slotOf(elsewhere.id)];
    const [a, b] = [await person(), await person()];
    const mine = await book(app, a.token, a.referenceId, day.id, early);
    expect(mine.statusCode, mine.body).toBe(201);

    const cases: Array<[string, () => ReturnType<typeof book>, number, Record<string, string>]> = [
      [
        'a slot already full',
        () => book(app, b.token, b.referenceId, day.id, early),
        409,
        { code: 'SLOT_FULL', message: 'that time slot is full; choose another' },
      ],
      [
        'a slot of another session day',
        () => book(app, b.token, b.referenceId, day.id, otherSlot),
        422,
        { code: 'SLOT_NOT_FOUND', message: 'that time slot is not part of this session day' },
      ],
      [
        "someone else's person",
        () => book(app, b.token, a.referenceId, elsewhere.id),
        404,
        {
          code: 'PERSON_NOT_FOUND',
          message: `beneficiary ${a.referenceId} is not registered under this mobile number`,
        },
      ],
      [
        "someone else's appointment",
        () => cancel(b.token, mine.json().appointmentId),
        404,
        { code: 'APPOINTMENT_NOT_FOUND', message: 'no such appointment under this mobile number' },
      ],
      [
        'a move to a slot of another session day',
        () => reschedule(a.token, mine.json().appointmentId, elsewhere.id, early),
        422,
        { code: 'SLOT_NOT_FOUND', message: 'that time slot is not part of this session day' },
      ],
    ];
    for (const [what, ask, status, body] of cases) {
      const response = await ask();
      expect(response.statusCode, what).toBe(status);
      expect(response.json(), what).toMatchObject(body);
    }
    expect(await ledger(day.id)).toMatchObject({ booked: 1, appointments: 1, inSlots: 1 });
    expect(await ledger(elsewhere.id)).toMatchObject({ booked: 0, appointments: 0 });
    // The one booked is still where it was, and the person refused is where they were.
    expect(await stageOf(db, a.referenceId)).toBe('DOSE1_BOOKED');
    expect(await stageOf(db, b.referenceId)).toBe('VERIFIED');
  });
});
