/**
 * The journey's timers on compressed days: a reminder before the appointment, a no-show after a session closes
 * unattended (later when an officer extends it), and dose-2 due and overdue messages, each exactly as often as
 * the schedule says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, indiaDate, indiaInstant } from '../../domain/time.js';
import { defaultJourneyPolicy, planDose2Timers, REAL_DAY_MS } from '../../domain/journey-schedule.js';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import {
  bearer,
  book,
  ensureTestVaccine,
  loginBeneficiary,
  registerPerson,
  seatsOf,
  sleep,
  smsTemplates,
  stageOf,
  uniqueIp,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/** 4 s a day: a session two days ahead gets its reminder within seconds and its no-show a few seconds later. */
const APPOINTMENT_DAY_MS = 4_000;
/** 1 s a day: a dose-2 window of 10 days and weekly follow-ups play out in about 20 s. */
const DOSE2_DAY_MS = 1_000;

let appointments: TestPlatform;
let dose2: TestPlatform;
beforeAll(async () => {
  [appointments, dose2] = await Promise.all([
    startTestPlatform({ dayMs: APPOINTMENT_DAY_MS }),
    startTestPlatform({ dayMs: DOSE2_DAY_MS }),
  ]);
});
afterAll(async () => {
  await Promise.all([appointments?.close(), dose2?.close()]);
});

const count = (templates: string[], template: string) => templates.filter((t) => t === template).length;

/** A verified person booked at a session two days ahead (09:00–17:00). */
async function bookedTwoDaysAhead() {
  const { app, db } = appointments;
  const session = await insertSessionDay(db, {
    date: addDays(indiaDate(), 2),
    opensAt: '09:00:00',
    closesAt: '17:00:00',
    slotMinutes: 120,
    district: PUNE,
  });
  const mobile = uniqueMobile();
  const token = await loginBeneficiary(app, mobile, uniqueIp());
  const { referenceId } = (await registerPerson(app, token)).json();
  const booked = await book(app, token, referenceId, session.id);
  expect(booked.statusCode, booked.body).toBe(201);
  return {
    session,
    mobile,
    token,
    referenceId: referenceId as string,
    appointmentId: booked.json().appointmentId as string,
  };
}

describe.concurrent('journey timers', () => {
  it('reminds once before the appointment, then marks one no-show and frees the seat', async () => {
    const { app, db } = appointments;
    const { session, mobile, token, referenceId, appointmentId } = await bookedTwoDaysAhead();
    expect(await seatsOf(db, session.id)).toMatchObject({ dose1_booked: 1, no_shows: 0 });

    await waitFor(
      async () => (await smsTemplates(app, mobile)).includes('APPOINTMENT_REMINDER'),
      'reminder SMS',
      20_000,
    );
    expect(await stageOf(db, referenceId)).toBe('DOSE1_BOOKED');
    await waitFor(async () => (await smsTemplates(app, mobile)).includes('NO_SHOW'), 'no-show SMS', 30_000);
    await waitFor(async () => (await stageOf(db, referenceId)) === 'VERIFIED', 'back to VERIFIED');

    expect(await seatsOf(db, session.id)).toMatchObject({ dose1_booked: 0, no_shows: 1 });
    const slots = await db
      .selectFrom('session_slot')
      .select('booked')
      .where('session_day_id', '=', session.id)
      .execute();
    expect(slots.reduce((sum, s) => sum + s.booked, 0)).toBe(0);
    const appointment = await db
      .selectFrom('appointment')
      .select('status')
      .where('id', '=', appointmentId)
      .executeTakeFirstOrThrow();
    expect(appointment.status).toBe('NO_SHOW');
    const mine = await app.inject({
      method: 'GET',
      url: `/api/v1/beneficiaries/${referenceId}`,
      headers: bearer(token),
    });
    expect(mine.json()).toMatchObject({ stage: 'VERIFIED', appointments: [] });

    // Nothing more is due: after a while longer the messages are still one of each, in order.
    await sleep(2 * APPOINTMENT_DAY_MS);
    expect(await smsTemplates(app, mobile)).toEqual(['OTP', 'BOOKING_CONFIRMED', 'APPOINTMENT_REMINDER', 'NO_SHOW']);
    expect(await seatsOf(db, session.id)).toMatchObject({ dose1_booked: 0, no_shows: 1 });
  });

  it('waits for an officer-extended session to close before marking a no-show', async () => {
    const { app, db } = appointments;
    const plain = await bookedTwoDaysAhead();
    const extended = await bookedTwoDaysAhead();
    // Extended by a whole day (4 s on this timeline), long before the session's close comes round.
    const until = new Date(indiaInstant(addDays(indiaDate(), 2), '17:00:00').getTime() + REAL_DAY_MS);
    await db.updateTable('session_day').set({ extended_until: until }).where('id', '=', extended.session.id).execute();

    await waitFor(
      async () => (await smsTemplates(app, plain.mobile)).includes('NO_SHOW'),
      'no-show of the session not extended',
      30_000,
    );
    expect(await smsTemplates(app, extended.mobile)).not.toContain('NO_SHOW');
    expect(await stageOf(db, extended.referenceId)).toBe('DOSE1_BOOKED');
    expect(await seatsOf(db, extended.session.id)).toMatchObject({ dose1_booked: 1, no_shows: 0 });

    await waitFor(
      async () => (await smsTemplates(app, extended.mobile)).includes('NO_SHOW'),
      'no-show after the extension',
      30_000,
    );
    await waitFor(async () => (await stageOf(db, extended.referenceId)) === 'VERIFIED', 'back to VERIFIED');
    expect(await seatsOf(db, extended.session.id)).toMatchObject({ dose1_booked: 0, no_shows: 1 });
    await sleep(APPOINTMENT_DAY_MS);
    expect(count(await smsTemplates(app, extended.mobile), 'NO_SHOW')).toBe(1);
    expect(count(await smsTemplates(app, extended.mobile), 'APPOINTMENT_REMINDER')).toBe(1);
  });

  it('tells dose 2 is due once, then sends the bounded overdue follow-ups and no more', async () => {
    const { app, db } = dose2;
    // Dose 2 from 1 to 10 days after dose 1.
    const vaccine = await ensureTestVaccine(db, 'TESTWIN', 1, 10);
    const policy = defaultJourneyPolicy(DOSE2_DAY_MS);
    expect(policy).toMatchObject({ maxFollowUps: 3, followUpEveryDays: 7 });
    // What the schedule gives for this window: follow-ups 7 and 14 days after it opens (the 3rd would fall more
    // than a follow-up period after it closes).
    const expectedFollowUps = planDose2Timers({ opensAtMs: REAL_DAY_MS, closesAtMs: 10 * REAL_DAY_MS }, 0, {
      ...policy,
      dayMs: REAL_DAY_MS,
    }).followUpAtMs.length;
    expect(expectedFollowUps).toBe(2);

    // A walk-in dose 1 (no appointment whose no-show could fire first on this fast timeline).
    const session = await insertSessionDay(db, { vaccine, walkin: 5, district: PUNE });
    const mobile = uniqueMobile();
    const token = await loginBeneficiary(app, mobile, uniqueIp());
    const { referenceId, secretCode } = (await registerPerson(app, token)).json();
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const recorded = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: bearer(vaccinator.token),
      payload: { referenceId, secretCode, sessionDayId: session.id, vaccineCode: vaccine, batch: 'WIN-1' },
    });
    expect(recorded.statusCode, recorded.body).toBe(201);

    await waitFor(async () => (await smsTemplates(app, mobile)).includes('DOSE2_DUE'), 'dose-2 due SMS', 10_000);
    expect(await stageOf(db, referenceId)).toBe('DOSE1_DONE');
    await waitFor(
      async () => count(await smsTemplates(app, mobile), 'DOSE2_OVERDUE') >= expectedFollowUps,
      'overdue follow-ups',
      40_000,
    );
    // One more follow-up period and more: no further message.
    await sleep(policy.followUpEveryDays * DOSE2_DAY_MS + 2_000);
    const templates = await smsTemplates(app, mobile);
    expect(count(templates, 'DOSE2_DUE')).toBe(1);
    expect(count(templates, 'DOSE2_OVERDUE')).toBe(expectedFollowUps);
    expect(templates).toEqual(['OTP', 'DOSE_RECORDED', 'DOSE2_DUE', ...Array(expectedFollowUps).fill('DOSE2_OVERDUE')]);
    const overdue = (await dose2.app.inject({ method: 'GET', url: `/api/v1/dev/sms?mobile=${mobile}` }))
      .json()
      .messages.find((m: { template: string }) => m.template === 'DOSE2_OVERDUE');
    expect(overdue.body).toContain(addDays(indiaDate(), 10));
  });
});
