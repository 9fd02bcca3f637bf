/**
 * The rules a booking must pass, as a person meets them through the API: the dose-2 window and vaccine, age
 * limits, one live appointment per dose, reschedule and cancel moving seats, full and unbookable sessions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import {
  bearer,
  book,
  loginBeneficiary,
  readSms,
  registerPerson,
  seatsOf,
  stageOf,
  uniqueIp,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  // Real-length days: no journey timer falls due while these tests run.
  platform = await startTestPlatform({ dayMs: 86_400_000 });
});
afterAll(() => platform.close());

const today = () => indiaDate();

/** A verified person (their own mobile, logged in). */
async function verifiedPerson(person: { birthYear?: number } = {}) {
  const mobile = uniqueMobile();
  const token = await loginBeneficiary(platform.app, mobile, uniqueIp());
  const registered = await registerPerson(platform.app, token, person);
  expect(registered.statusCode, registered.body).toBe(201);
  const { referenceId, secretCode } = registered.json();
  return { mobile, token, referenceId: referenceId as string, secretCode: secretCode as string };
}

async function recordDose(
  sessionDayId: string,
  person: { referenceId: string; secretCode: string },
  vaccineCode: string,
) {
  const vaccinator = await vaccinatorFor(platform.app, platform.db, sessionDayId);
  return platform.app.inject({
    method: 'POST',
    url: '/api/v1/doses',
    headers: bearer(vaccinator.token),
    payload: {
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      sessionDayId,
      vaccineCode,
      batch: 'RULES-1',
    },
  });
}

async function slotsBooked(sessionDayId: string) {
  const slots = await platform.db
    .selectFrom('session_slot')
    .select('booked')
    .where('session_day_id', '=', sessionDayId)
    .execute();
  return slots.reduce((sum, s) => sum + s.booked, 0);
}

describe('dose 2', () => {
  it('is refused before its window, with another vaccine, and at the desk too early', async () => {
    const { db } = platform;
    const first = await insertSessionDay(db, { vaccine: 'COVAXIN', district: PUNE });
    const person = await verifiedPerson();
    expect((await book(platform.app, person.token, person.referenceId, first.id)).statusCode).toBe(201);
    const dose1 = await recordDose(first.id, person, 'COVAXIN');
    expect(dose1.statusCode, dose1.body).toBe(201);
    await waitFor(async () => (await stageOf(db, person.referenceId)) === 'DOSE1_DONE', 'DOSE1_DONE');

    const tomorrow = await insertSessionDay(db, { vaccine: 'COVAXIN', date: addDays(today(), 1), district: PUNE });
    const early = await book(platform.app, person.token, person.referenceId, tomorrow.id);
    expect(early.statusCode).toBe(422);
    const opens = addDays(today(), 28);
    const closes = addDays(today(), 42);
    expect(early.json()).toMatchObject({
      code: 'DOSE2_WINDOW',
      message: `dose 2 of COVAXIN can be booked from ${opens} to ${closes}`,
      details: { opens, closes },
    });

    const otherVaccine = await insertSessionDay(db, {
      vaccine: 'COVISHIELD',
      date: addDays(today(), 1),
      district: PUNE,
    });
    const mismatch = await book(platform.app, person.token, person.referenceId, otherVaccine.id);
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json()).toMatchObject({
      code: 'VACCINE_MISMATCH',
      message: 'dose 2 must be COVAXIN, the vaccine of dose 1; this session offers COVISHIELD',
    });

    // At a desk today, dose 2 is refused as too early, and nothing is recorded.
    const desk = await insertSessionDay(db, { vaccine: 'COVAXIN', walkin: 5, district: PUNE });
    const tooEarly = await recordDose(desk.id, person, 'COVAXIN');
    expect(tooEarly.statusCode).toBe(422);
    expect(tooEarly.json()).toMatchObject({
      code: 'DOSE2_TOO_EARLY',
      message: 'dose 2 of COVAXIN is due 28 days after dose 1; only 0 have passed',
    });

    const beneficiary = await db
      .selectFrom('beneficiary')
      .select('id')
      .where('reference_id', '=', person.referenceId)
      .executeTakeFirstOrThrow();
    expect(
      await db.selectFrom('dose').select('dose_number').where('beneficiary_id', '=', beneficiary.id).execute(),
    ).toEqual([{ dose_number: 1 }]);
    for (const day of [tomorrow, otherVaccine, desk])
      expect(await seatsOf(db, day.id)).toMatchObject({ dose1_booked: 0, dose2_booked: 0, walkin_used: 0 });
    expect(await stageOf(db, person.referenceId)).toBe('DOSE1_DONE');
  });
});

describe('eligibility and seats', () => {
  it('refuses a session for older people to a 30-year-old', async () => {
    const { db } = platform;
    const session = await insertSessionDay(db, { minAge: 45, district: PUNE });
    const person = await verifiedPerson({ birthYear: Number(today().slice(0, 4)) - 30 });
    const answer = await book(platform.app, person.token, person.referenceId, session.id);
    expect(answer.statusCode).toBe(422);
    expect(answer.json()).toMatchObject({ code: 'AGE_NOT_ELIGIBLE', message: 'this session is for ages 45+' });
    expect(await seatsOf(db, session.id)).toMatchObject({ dose1_booked: 0 });
    expect(await stageOf(db, person.referenceId)).toBe('VERIFIED');
  });

  it('keeps one live appointment per dose', async () => {
    const { db } = platform;
    const [a, b] = [
      await insertSessionDay(db, { district: PUNE }),
      await insertSessionDay(db, { date: addDays(today(), 1), district: PUNE }),
    ];
    const person = await verifiedPerson();
    expect((await book(platform.app, person.token, person.referenceId, a.id)).statusCode).toBe(201);
    const second = await book(platform.app, person.token, person.referenceId, b.id);
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({
      code: 'ALREADY_BOOKED',
      message: 'dose 1 is already booked; reschedule or cancel it first',
    });
    expect(await seatsOf(db, b.id)).toMatchObject({ dose1_booked: 0 });
    expect(await seatsOf(db, a.id)).toMatchObject({ dose1_booked: 1 });
    const live = await db
      .selectFrom('appointment')
      .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
      .select('appointment.session_day_id')
      .where('beneficiary.reference_id', '=', person.referenceId)
      .where('appointment.status', '=', 'BOOKED')
      .execute();
    expect(live).toEqual([{ session_day_id: a.id }]);
  });

  it('moves the seat on reschedule and frees it on cancel', async () => {
    const { app, db } = platform;
    const [from, to] = [
      await insertSessionDay(db, { district: PUNE }),
      await insertSessionDay(db, { date: addDays(today(), 2), district: PUNE }),
    ];
    const person = await verifiedPerson();
    const booked = await book(app, person.token, person.referenceId, from.id);
    expect(booked.statusCode, booked.body).toBe(201);
    expect(await seatsOf(db, from.id)).toMatchObject({ dose1_booked: 1 });
    expect(await slotsBooked(from.id)).toBe(1);

    const moved = await app.inject({
      method: 'POST',
      url: `/api/v1/appointments/${booked.json().appointmentId}/reschedule`,
      headers: bearer(person.token),
      payload: { sessionDayId: to.id },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({
      sessionDayId: to.id,
      dose: 1,
      date: addDays(today(), 2),
      stage: 'DOSE1_BOOKED',
    });
    expect(await seatsOf(db, from.id)).toMatchObject({ dose1_booked: 0 });
    expect(await seatsOf(db, to.id)).toMatchObject({ dose1_booked: 1 });
    expect([await slotsBooked(from.id), await slotsBooked(to.id)]).toEqual([0, 1]);
    const rescheduledSms = await waitFor(
      async () => (await readSms(app, person.mobile)).find((m) => m.template === 'BOOKING_RESCHEDULED'),
      'reschedule SMS',
    );
    expect(rescheduledSms.body).toContain(addDays(today(), 2));

    // The old appointment is gone: it can be neither moved nor cancelled again.
    const stale = await app.inject({
      method: 'POST',
      url: `/api/v1/appointments/${booked.json().appointmentId}/cancel`,
      headers: bearer(person.token),
    });
    expect(stale.statusCode).toBe(404);
    expect(stale.json()).toMatchObject({
      code: 'APPOINTMENT_NOT_FOUND',
      message: 'no such live appointment for this person',
    });

    const cancelled = await app.inject({
      method: 'POST',
      url: `/api/v1/appointments/${moved.json().appointmentId}/cancel`,
      headers: bearer(person.token),
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toEqual({ stage: 'VERIFIED' });
    expect(await seatsOf(db, to.id)).toMatchObject({ dose1_booked: 0 });
    expect(await slotsBooked(to.id)).toBe(0);
    expect(await stageOf(db, person.referenceId)).toBe('VERIFIED');
    await waitFor(
      async () => (await readSms(app, person.mobile)).some((m) => m.template === 'BOOKING_CANCELLED'),
      'cancel SMS',
    );
    const statuses = await db
      .selectFrom('appointment')
      .select(['session_day_id', 'status'])
      .where('id', 'in', [booked.json().appointmentId, moved.json().appointmentId])
      .orderBy('booked_at')
      .execute();
    expect(statuses).toEqual([
      { session_day_id: from.id, status: 'RESCHEDULED' },
      { session_day_id: to.id, status: 'CANCELLED' },
    ]);
    const templates = (await readSms(app, person.mobile)).map((m) => m.template).reverse();
    expect(templates).toEqual(['OTP', 'BOOKING_CONFIRMED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED']);

    // Free again: the person books anew.
    expect((await book(app, person.token, person.referenceId, from.id)).statusCode).toBe(201);
  });

  it('refuses a full session', async () => {
    const { db } = platform;
    const session = await insertSessionDay(db, { dose1: 1, dose2: 0, district: PUNE });
    const [first, second] = [await verifiedPerson(), await verifiedPerson()];
    expect((await book(platform.app, first.token, first.referenceId, session.id)).statusCode).toBe(201);
    const full = await book(platform.app, second.token, second.referenceId, session.id);
    expect(full.statusCode).toBe(409);
    expect(full.json()).toMatchObject({ code: 'SESSION_FULL', message: 'no dose 1 seats left on this session day' });
    expect(await seatsOf(db, session.id)).toMatchObject({ dose1_booked: 1 });
    expect(await stageOf(db, second.referenceId)).toBe('VERIFIED');
  });

  it('refuses a past, closed or cancelled session', async () => {
    const { db } = platform;
    const person = await verifiedPerson();
    const past = await insertSessionDay(db, { date: addDays(today(), -1), district: PUNE });
    const closed = await insertSessionDay(db, { district: PUNE });
    const cancelled = await insertSessionDay(db, { date: addDays(today(), 1), district: PUNE });
    await db.updateTable('session_day').set({ status: 'CLOSED' }).where('id', '=', closed.id).execute();
    await db.updateTable('session_day').set({ status: 'CANCELLED' }).where('id', '=', cancelled.id).execute();

    const expected: Array<[string, string]> = [
      [past.id, 'this session day is over'],
      [closed.id, 'this session day is closed'],
      [cancelled.id, 'this session day is cancelled'],
    ];
    for (const [id, message] of expected) {
      const answer = await book(platform.app, person.token, person.referenceId, id);
      expect(answer.statusCode, message).toBe(409);
      expect(answer.json()).toMatchObject({ code: 'SESSION_NOT_BOOKABLE', message });
      expect(await seatsOf(db, id)).toMatchObject({ dose1_booked: 0 });
    }
    const unknown = await book(platform.app, person.token, person.referenceId, '00000000-0000-4000-8000-000000000000');
    expect(unknown.statusCode).toBe(409);
    expect(unknown.json()).toMatchObject({ code: 'SESSION_NOT_BOOKABLE', message: 'no such session day' });
    expect(await stageOf(db, person.referenceId)).toBe('VERIFIED');
  });
});
