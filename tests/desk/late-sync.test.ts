/**
 * A dose given offline reaches the server after the session closed: it is stored against the person's booking
 * whatever the journey's no-show check did meanwhile. The no-show waits for a desk device that took the session's
 * list and has not been in touch since closing; when it went ahead before the dose arrived, the dose undoes it.
 */
import { writeFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay } from '../support/fixtures.js';
import { openNowHours } from '../support/india-day.js';
import {
  ensureTestVaccine,
  seatsOf,
  sleep,
  smsTemplates,
  stageOf,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { workflowIds } from '../../workflows/shared.js';
import { NO_SHOW_DEVICE_WAIT_MS } from '../../domain/journey-schedule.js';
import { indiaDate, indiaInstant, indiaTime } from '../../domain/time.js';
import { bearer, bookedPerson, eventId } from './helpers.js';

/** A thousandth of a day: the no-show check, 30 minutes after closing, comes about 2 s after it. */
const DAY_MS = 86_400;

let platform: TestPlatform;
let vaccine: string;
beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: DAY_MS });
  vaccine = await ensureTestVaccine(platform.db);
});
afterAll(() => platform.close());

/** A session closing a minute or two from now, with no walk-in seats: a dose counted as a walk-in is refused. */
async function sessionClosingSoon() {
  const { app, db } = platform;
  const hours = openNowHours({ closesAt: '00:00:00', minutesOpen: 1 });
  const session = await insertSessionDay(db, { vaccine, walkin: 0, closesAt: hours.closesAt, slotMinutes: 15 });
  const vaccinator = await vaccinatorFor(app, db, session.id);
  const person = await bookedPerson(app, session.id);
  const appointment = await db
    .selectFrom('appointment')
    .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
    .select('appointment.id')
    .where('beneficiary.reference_id', '=', person.referenceId)
    .executeTakeFirstOrThrow();
  // Given now, while the session is open, on a phone with no network.
  const givenAt = new Date();
  return { session, vaccinator, person, appointmentId: appointment.id, givenAt };
}

function fetchList(token: string, deviceId: string) {
  return platform.app.inject({
    method: 'GET',
    url: `/api/v1/desk/today?deviceId=${deviceId}`,
    headers: bearer(token),
  });
}

function syncDose(
  token: string,
  deviceId: string,
  person: { referenceId: string; secretCode: string },
  sessionDayId: string,
  administeredAt: Date,
) {
  return platform.app.inject({
    method: 'POST',
    url: '/api/v1/desk/sync',
    headers: bearer(token),
    payload: {
      deviceId,
      deviceTime: new Date().toISOString(),
      items: [
        {
          kind: 'DOSE',
          clientEventId: eventId(),
          administeredAt: administeredAt.toISOString(),
          referenceId: person.referenceId,
          secretCode: person.secretCode,
          sessionDayId,
          vaccineCode: vaccine,
          batch: 'LATE-001',
        },
      ],
    },
  });
}

async function appointmentStatus(appointmentId: string) {
  const row = await platform.db
    .selectFrom('appointment')
    .select('status')
    .where('id', '=', appointmentId)
    .executeTakeFirstOrThrow();
  return row.status;
}

/** How many times the person's journey has looked at the session's closing (its no-show checks so far). */
async function noShowChecks(referenceId: string): Promise<number> {
  const client = await platform.temporal.client();
  const history = await client.workflow.getHandle(workflowIds.journey(referenceId)).fetchHistory();
  return (history.events ?? []).filter(
    (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'describeSessionClosing',
  ).length;
}

describe('a dose synced after the session closed', () => {
  it('completes the booking and undoes the no-show when the no-show went ahead first, taking no walk-in seat', async () => {
    const { app, db } = platform;
    const { session, vaccinator, person, appointmentId, givenAt } = await sessionClosingSoon();

    // No device took the list: after closing, the journey marks the person a no-show and tells them.
    await waitFor(async () => (await appointmentStatus(appointmentId)) === 'NO_SHOW', 'no-show', 240_000);
    await waitFor(async () => (await smsTemplates(app, person.mobile)).includes('NO_SHOW'), 'no-show SMS');
    expect(await seatsOf(db, session.id)).toMatchObject({ no_shows: 1, walkin_used: 0 });

    const synced = await syncDose(vaccinator.token, 'late-tablet-1', person, session.id, givenAt);
    expect(synced.statusCode, synced.body).toBe(200);
    expect(synced.json()).toMatchObject({ accepted: 1, rejected: 0 });

    const dose = await db
      .selectFrom('dose')
      .select(['appointment_id', 'source', 'dose_number'])
      .where('session_day_id', '=', session.id)
      .execute();
    expect(dose).toEqual([{ appointment_id: appointmentId, source: 'OFFLINE', dose_number: 1 }]);
    expect(await appointmentStatus(appointmentId)).toBe('COMPLETED');
    expect(await seatsOf(db, session.id)).toMatchObject({ no_shows: 0, walkin_used: 0 });
    const reversal = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'source'])
      .where('action', '=', 'NO_SHOW_REVERSED')
      .where('entity_id', '=', appointmentId)
      .execute();
    expect(reversal).toEqual([{ actor_id: vaccinator.staffId, source: 'OFFLINE' }]);

    await waitFor(async () => (await stageOf(db, person.referenceId)) === 'DOSE1_DONE', 'DOSE1_DONE');
    await waitFor(async () => (await smsTemplates(app, person.mobile)).includes('DOSE_RECORDED'), 'dose SMS');
  });

  it('holds the no-show while a device that took the list is out of touch, and sends no no-show text when its dose arrives', async () => {
    const { app, db } = platform;
    const { session, vaccinator, person, appointmentId, givenAt } = await sessionClosingSoon();
    const listed = await fetchList(vaccinator.token, 'field-tablet-2');
    expect(listed.statusCode, listed.body).toBe(200);

    // The journey looks at the closed session more than once and still waits: the tablet has not reported.
    await waitFor(async () => (await noShowChecks(person.referenceId)) >= 3, 'no-show checks that wait', 240_000);
    expect(await appointmentStatus(appointmentId)).toBe('BOOKED');
    expect(await stageOf(db, person.referenceId)).toBe('DOSE1_BOOKED');
    expect(await smsTemplates(app, person.mobile)).not.toContain('NO_SHOW');

    const synced = await syncDose(vaccinator.token, 'field-tablet-2', person, session.id, givenAt);
    expect(synced.statusCode, synced.body).toBe(200);
    expect(synced.json()).toMatchObject({ accepted: 1, rejected: 0 });
    expect(await appointmentStatus(appointmentId)).toBe('COMPLETED');

    await waitFor(async () => (await stageOf(db, person.referenceId)) === 'DOSE1_DONE', 'DOSE1_DONE');
    await waitFor(async () => (await smsTemplates(app, person.mobile)).includes('DOSE_RECORDED'), 'dose SMS');
    expect(await smsTemplates(app, person.mobile)).toEqual(['OTP', 'BOOKING_CONFIRMED', 'DOSE_RECORDED']);
    expect(await seatsOf(db, session.id)).toMatchObject({ no_shows: 0, walkin_used: 0 });

    // RECORD_NO_SHOW_WAIT_HISTORY=<file.binpb> keeps this journey's history (the waiting no-show) for replay.test.ts.
    const recordTo = process.env.RECORD_NO_SHOW_WAIT_HISTORY;
    if (recordTo) {
      const client = await platform.temporal.client();
      const history = await client.workflow.getHandle(workflowIds.journey(person.referenceId)).fetchHistory();
      writeFileSync(recordTo, temporal.api.history.v1.History.encode(history).finish());
    }
  });

  it('lets the no-show go ahead once every device that took the list has been in touch after closing', async () => {
    const { app, db } = platform;
    // Two minutes into the India day at least, so the session can have closed a minute ago today.
    const sinceMidnight = Date.now() - indiaInstant(indiaDate(), '00:00').getTime();
    if (sinceMidnight < 2 * 60_000) await sleep(2 * 60_000 - sinceMidnight);
    const { session, vaccinator, person, appointmentId } = await sessionClosingSoon();
    expect((await fetchList(vaccinator.token, 'field-tablet-3')).statusCode).toBe(200);
    // The session closed a minute ago; the tablet took its list at opening and has not been heard of since.
    const opening = indiaInstant(indiaDate(), '00:00');
    await db
      .updateTable('session_day')
      .set({ closes_at: indiaTime(new Date(Date.now() - 60_000)).slice(0, 5) })
      .where('id', '=', session.id)
      .execute();
    await db
      .updateTable('desk_device_contact')
      .set({ first_contact_at: opening, last_contact_at: opening })
      .where('session_day_id', '=', session.id)
      .execute();

    await waitFor(async () => (await noShowChecks(person.referenceId)) >= 2, 'a no-show check that waits', 240_000);
    expect(await appointmentStatus(appointmentId)).toBe('BOOKED');
    // Back online after closing, the tablet fetches its list with nothing left to sync.
    expect((await fetchList(vaccinator.token, 'field-tablet-3')).statusCode).toBe(200);

    await waitFor(async () => (await appointmentStatus(appointmentId)) === 'NO_SHOW', 'no-show', 60_000);
    await waitFor(async () => (await smsTemplates(app, person.mobile)).includes('NO_SHOW'), 'no-show SMS');
    // Gone ahead because the tablet reported, long before the longest wait (a check every 30 minutes for 6 hours).
    expect(await noShowChecks(person.referenceId)).toBeLessThan(NO_SHOW_DEVICE_WAIT_MS / (30 * 60_000));
  });
});
