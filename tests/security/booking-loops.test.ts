/**
 * Loops of booking changes: every booking, move and cancellation sends the person an SMS and adds to their journey's
 * history, so a person's own account may change their bookings only BOOKING_CHANGES_PER_DAY times a day (cancelling
 * always works), and what such requests send to one mobile is held back once it has had SMS_PER_MOBILE_PER_DAY
 * messages other than OTPs in 24 hours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOKING_CHANGES_PER_DAY } from '../../domain/booking-rules.js';
import { addDays, indiaDate } from '../../domain/time.js';
import { PERSON_REQUESTED_TEMPLATES, SMS_HELD_BACK, SMS_PER_MOBILE_PER_DAY } from '../../messaging/sms-outbox.js';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import { bearer, book, loginTokens, registerPerson, uniqueIp, waitFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform?.close());

describe('booking changes', () => {
  it(`are capped at ${BOOKING_CHANGES_PER_DAY} a day per person for their account, and the SMS they cause per mobile`, async () => {
    const { app, db } = platform;
    // Two days ahead: no reminder falls due while the test runs, so every message is one the loop caused.
    const date = addDays(indiaDate(), 2);
    const [here, there] = [
      await insertSessionDay(db, { district: PUNE, date }),
      await insertSessionDay(db, { district: PUNE, date }),
    ];
    const mobile = uniqueMobile();
    const { token } = await loginTokens(app, mobile, uniqueIp());
    const cancel = (appointmentId: string) =>
      app.inject({ method: 'POST', url: `/api/v1/appointments/${appointmentId}/cancel`, headers: bearer(token) });
    const move = (appointmentId: string, sessionDayId: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/appointments/${appointmentId}/reschedule`,
        headers: bearer(token),
        payload: { sessionDayId },
      });

    /** Book, cancel, book, then move back and forth until the day's changes are spent; returns the live appointment. */
    async function spendChanges(referenceId: string): Promise<string> {
      let booked = await book(app, token, referenceId, here.id);
      expect(booked.statusCode, booked.body).toBe(201);
      expect((await cancel(booked.json().appointmentId)).statusCode).toBe(200);
      booked = await book(app, token, referenceId, here.id);
      expect(booked.statusCode, booked.body).toBe(201);
      let appointmentId: string = booked.json().appointmentId;
      for (let change = 4; change <= BOOKING_CHANGES_PER_DAY; change++) {
        const moved = await move(appointmentId, change % 2 ? here.id : there.id);
        expect(moved.statusCode, moved.body).toBe(200);
        appointmentId = moved.json().appointmentId;
      }
      return appointmentId;
    }

    const first = await registerPerson(app, token, { name: 'Loop One' });
    expect(first.statusCode, first.body).toBe(201);
    const live = await spendChanges(first.json().referenceId);

    // The next move and the next booking are refused until tomorrow; cancelling still frees the seat.
    const refusedMove = await move(live, there.id);
    expect(refusedMove.statusCode, refusedMove.body).toBe(429);
    expect(refusedMove.json()).toMatchObject({
      code: 'TOO_MANY_BOOKING_CHANGES',
      message: expect.stringContaining('tomorrow'),
    });
    expect((await cancel(live)).statusCode).toBe(200);
    const refusedBooking = await book(app, token, first.json().referenceId, here.id);
    expect(refusedBooking.statusCode).toBe(429);
    expect(refusedBooking.json().code).toBe('TOO_MANY_BOOKING_CHANGES');

    // Another person of the same mobile has their own day's changes.
    const second = await registerPerson(app, token, { name: 'Loop Two' });
    expect(second.statusCode, second.body).toBe(201);
    await spendChanges(second.json().referenceId);

    // 7 + 6 changes, each with its SMS; the mobile's budget lets SMS_PER_MOBILE_PER_DAY of them go.
    const changes = BOOKING_CHANGES_PER_DAY + 1 + BOOKING_CHANGES_PER_DAY;
    const messages = () =>
      db
        .selectFrom('sms_message')
        .select(['template', 'status', 'last_error'])
        .where('mobile', '=', mobile)
        .where('template', '<>', 'OTP')
        .execute();
    await waitFor(async () => (await messages()).length === changes, `${changes} booking SMS to be queued`, 30_000);
    const all = await messages();
    expect(all.every((m) => PERSON_REQUESTED_TEMPLATES.has(m.template as never))).toBe(true);
    const held = all.filter((m) => m.last_error === SMS_HELD_BACK);
    expect(held.every((m) => m.status === 'FAILED')).toBe(true);
    expect(all.length - held.length).toBe(SMS_PER_MOBILE_PER_DAY);
    expect(held).toHaveLength(changes - SMS_PER_MOBILE_PER_DAY);
  });
});
