/**
 * Journeys that can no longer move by themselves end, awaiting their person's return, and come back when the person
 * does: a person never booked, then booking from the portal; a person with dose 1 whose dose-2 follow-ups are all
 * spent, then given dose 2 at a desk; a person never booked, then withdrawn. On compressed days with
 * JOURNEY_INACTIVE_AFTER_DAYS = 3, through the HTTP API, the outbox relay and the real Temporal dev server.
 */
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { workflowIds } from '../../workflows/shared.js';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import {
  bearer,
  book,
  ensureTestVaccine,
  loginBeneficiary,
  registerPerson,
  smsTemplates,
  stageOf,
  uniqueIp,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
import { staffWithToken } from '../support/staff.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/**
 * 4 s a day: a journey ends 12 s after its last step; a booking two days ahead is reminded of within seconds and
 * marked a no-show more than 5 s after its reminder.
 */
const BOOKING_DAY_MS = 4_000;
/** 1 s a day: a weekly dose-2 follow-up comes 7 s after dose 2 is due, and the journey ends 3 s later. */
const DOSE2_DAY_MS = 1_000;
const INACTIVE_AFTER_DAYS = 3;

let bookings: TestPlatform;
let doses: TestPlatform;
let client: Client;
beforeAll(async () => {
  [bookings, doses] = await Promise.all([
    startTestPlatform({ dayMs: BOOKING_DAY_MS, journeyInactiveAfterDays: INACTIVE_AFTER_DAYS }),
    startTestPlatform({ dayMs: DOSE2_DAY_MS, journeyInactiveAfterDays: INACTIVE_AFTER_DAYS }),
  ]);
  client = await bookings.temporal.client();
});
afterAll(async () => {
  await Promise.all([bookings?.close(), doses?.close()]);
});

const count = (templates: string[], template: string) => templates.filter((t) => t === template).length;

/** The runs of a person's journey: how many there are and how many run now. */
async function runsOf(referenceId: string) {
  const statuses: string[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowIds.journey(referenceId)}'` })) {
    statuses.push(run.status.name);
  }
  return { total: statuses.length, running: statuses.filter((s) => s === 'RUNNING').length };
}

async function journeyStatus(referenceId: string) {
  return (await client.workflow.getHandle(workflowIds.journey(referenceId)).describe()).status.name;
}

async function personRow(referenceId: string) {
  return bookings.db
    .selectFrom('beneficiary')
    .select(['id', 'stage', 'journey_inactive_since'])
    .where('reference_id', '=', referenceId)
    .executeTakeFirstOrThrow();
}

async function historyOf(referenceId: string) {
  return bookings.db
    .selectFrom('journey_stage_history')
    .innerJoin('beneficiary', 'beneficiary.id', 'journey_stage_history.beneficiary_id')
    .select(['journey_stage_history.from_stage', 'journey_stage_history.to_stage', 'journey_stage_history.reason'])
    .where('beneficiary.reference_id', '=', referenceId)
    .orderBy('journey_stage_history.id')
    .execute();
}

/** Waits until the journey has ended awaiting return, as a dashboard would see it (Postgres) and as Temporal has it. */
async function endedAwaitingReturn(referenceId: string) {
  await waitFor(async () => (await personRow(referenceId)).journey_inactive_since !== null, 'journey inactive', 40_000);
  await waitFor(async () => (await journeyStatus(referenceId)) === 'COMPLETED', 'journey completed');
  const result = await client.workflow.getHandle(workflowIds.journey(referenceId)).result();
  expect(result).toMatchObject({ inactive: true });
}

/** What a district officer of Pune reads of the person in "Find a person". */
async function lookedUp(platform: TestPlatform, referenceId: string) {
  const { headers } = await staffWithToken(platform.db, undefined, 'DISTRICT_OFFICER', PUNE, {
    login: { app: platform.app },
  });
  const lookup = await platform.app.inject({
    method: 'POST',
    url: '/api/v1/people/lookup',
    headers,
    payload: { referenceId },
  });
  expect(lookup.statusCode, lookup.body).toBe(200);
  return lookup.json().people[0] as { stage: string; journeyInactiveSince: string | null };
}

async function registeredPerson(platform: TestPlatform) {
  const mobile = uniqueMobile();
  const ip = uniqueIp();
  const token = await loginBeneficiary(platform.app, mobile, ip);
  const registered = await registerPerson(platform.app, token, { name: 'Farida Shaikh' });
  expect(registered.statusCode, registered.body).toBe(201);
  const { referenceId, secretCode } = registered.json();
  return { mobile, ip, token, referenceId: referenceId as string, secretCode: secretCode as string };
}

describe.concurrent('journeys that can no longer move', () => {
  it('end for a person never booked, and run again, once, when the person logs in and books', async () => {
    const { app, db } = bookings;
    const person = await registeredPerson(bookings);
    expect(await stageOf(db, person.referenceId)).toBe('VERIFIED');

    await endedAwaitingReturn(person.referenceId);
    // The person still waits to book dose 1; the history says why no journey runs for them.
    expect(await stageOf(db, person.referenceId)).toBe('VERIFIED');
    expect((await historyOf(person.referenceId)).at(-1)).toEqual({
      from_stage: 'VERIFIED',
      to_stage: 'VERIFIED',
      reason: `journey ended: ${INACTIVE_AFTER_DAYS} days without a booking; a booking or a dose resumes it`,
    });

    // Back months later: a new login, a booking two days ahead.
    const session = await insertSessionDay(db, {
      date: addDays(indiaDate(), 2),
      opensAt: '09:00:00',
      closesAt: '17:00:00',
      slotMinutes: 120,
      district: PUNE,
    });
    const token = await loginBeneficiary(app, person.mobile, person.ip);
    const booked = await book(app, token, person.referenceId, session.id);
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json()).toMatchObject({ dose: 1, stage: 'DOSE1_BOOKED' });

    await waitFor(async () => (await personRow(person.referenceId)).journey_inactive_since === null, 'resumed');
    await waitFor(async () => (await journeyStatus(person.referenceId)) === 'RUNNING', 'a running journey');
    await waitFor(
      async () => (await smsTemplates(app, person.mobile)).includes('BOOKING_CONFIRMED'),
      'booking confirmation',
    );
    const handle = client.workflow.getHandle(workflowIds.journey(person.referenceId));
    expect(await handle.query('journeySnapshot')).toMatchObject({
      stage: 'DOSE1_BOOKED',
      appointment: { sessionDayId: session.id, dose: 1 },
    });
    await waitFor(
      async () => (await smsTemplates(app, person.mobile)).includes('APPOINTMENT_REMINDER'),
      'reminder SMS',
      20_000,
    );
    // One journey runs for the person: the ended run and the resumed one, nothing doubled.
    await waitFor(async () => {
      const runs = await runsOf(person.referenceId);
      return runs.total === 2 && runs.running === 1;
    }, 'two runs, one running');
    const templates = await smsTemplates(app, person.mobile);
    expect(count(templates, 'BOOKING_CONFIRMED')).toBe(1);
    expect(count(templates, 'APPOINTMENT_REMINDER')).toBe(1);
    // The whole history is kept in Postgres: registration, the end, the booking (committed in the request), and the
    // journey resumed by it.
    expect((await historyOf(person.referenceId)).map((row) => row.reason)).toEqual([
      'registered',
      `journey ended: ${INACTIVE_AFTER_DAYS} days without a booking; a booking or a dose resumes it`,
      'dose 1 booked',
      'resumed: the person booked',
    ]);
  });

  it('end for a person with dose 1 past every follow-up, and finish when dose 2 is given at the desk', async () => {
    const { app, db } = doses;
    // Dose 2 from 0 to 1 day after dose 1: it is due at once, and one weekly follow-up falls inside the schedule.
    const vaccine = await ensureTestVaccine(db, 'TESTIDLE', 0, 1);
    const person = await registeredPerson(doses);
    const giveDose = async (batch: string) => {
      const session = await insertSessionDay(db, { vaccine, dose1: 5, dose2: 5, walkin: 5, district: PUNE });
      const vaccinator = await vaccinatorFor(app, db, session.id);
      return app.inject({
        method: 'POST',
        url: '/api/v1/doses',
        headers: bearer(vaccinator.token),
        payload: {
          referenceId: person.referenceId,
          secretCode: person.secretCode,
          sessionDayId: session.id,
          vaccineCode: vaccine,
          batch,
        },
      });
    };
    const dose1 = await giveDose('IDLE-1');
    expect(dose1.statusCode, dose1.body).toBe(201);

    await endedAwaitingReturn(person.referenceId);
    expect(await smsTemplates(app, person.mobile)).toEqual(['OTP', 'DOSE_RECORDED', 'DOSE2_DUE', 'DOSE2_OVERDUE']);
    expect(await stageOf(db, person.referenceId)).toBe('DOSE1_DONE');
    expect((await historyOf(person.referenceId)).at(-1)?.reason).toBe(
      `journey ended: ${INACTIVE_AFTER_DAYS} days without dose 2; a booking or a dose resumes it`,
    );
    const ended = await lookedUp(doses, person.referenceId);
    expect(ended.stage).toBe('DOSE1_DONE');
    expect(ended.journeyInactiveSince).toEqual(expect.any(String));

    const dose2 = await giveDose('IDLE-2');
    expect(dose2.statusCode, dose2.body).toBe(201);
    expect(dose2.json()).toMatchObject({ dose: 2, duplicate: false });
    await waitFor(async () => (await stageOf(db, person.referenceId)) === 'FULLY_VACCINATED', 'FULLY_VACCINATED');
    const certificate = await waitFor(
      () =>
        db
          .selectFrom('certificate')
          .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
          .select(['certificate.jws', 'certificate.doses'])
          .where('beneficiary.reference_id', '=', person.referenceId)
          .where('certificate.kind', '=', 'FINAL')
          .where('certificate.revoked_at', 'is', null)
          .executeTakeFirst(),
      'final certificate',
    );
    expect(certificate.doses).toBe(2);
    const verified = await app.inject({
      method: 'POST',
      url: '/api/v1/certificates/verify',
      payload: { payload: certificate.jws },
    });
    expect(verified.json()).toMatchObject({ status: 'VALID', holder: { name: 'Farida Shaikh', doses: 2 } });
    // The resumed run took dose 2 and ended fully vaccinated: two runs, none running, one message of each.
    await waitFor(async () => (await journeyStatus(person.referenceId)) === 'COMPLETED', 'resumed run completed');
    await waitFor(async () => {
      const runs = await runsOf(person.referenceId);
      return runs.total === 2 && runs.running === 0;
    }, 'two runs, none running');
    expect((await personRow(person.referenceId)).journey_inactive_since).toBeNull();
    expect(await lookedUp(doses, person.referenceId)).toMatchObject({
      stage: 'FULLY_VACCINATED',
      journeyInactiveSince: null,
    });
    expect(await smsTemplates(app, person.mobile)).toEqual([
      'OTP',
      'DOSE_RECORDED',
      'DOSE2_DUE',
      'DOSE2_OVERDUE',
      'DOSE_RECORDED',
      'FULLY_VACCINATED',
    ]);
    const mine = await app.inject({
      method: 'GET',
      url: `/api/v1/beneficiaries/${person.referenceId}`,
      headers: bearer(person.token),
    });
    expect(mine.json().doses.map((d: { dose: number; batch: string }) => [d.dose, d.batch])).toEqual([
      [1, 'IDLE-1'],
      [2, 'IDLE-2'],
    ]);
  });

  it('end for a person never booked, who can still be withdrawn by their account', async () => {
    const { app, db } = bookings;
    const person = await registeredPerson(bookings);
    await endedAwaitingReturn(person.referenceId);

    const token = await loginBeneficiary(app, person.mobile, person.ip);
    const withdrawn = await app.inject({
      method: 'DELETE',
      url: `/api/v1/beneficiaries/${person.referenceId}`,
      headers: bearer(token),
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(204);
    await waitFor(async () => (await stageOf(db, person.referenceId)) === 'WITHDRAWN', 'WITHDRAWN');
    await waitFor(async () => (await journeyStatus(person.referenceId)) === 'COMPLETED', 'resumed run completed');
    expect((await runsOf(person.referenceId)).running).toBe(0);
    expect((await historyOf(person.referenceId)).map((row) => row.to_stage)).toEqual([
      'VERIFIED',
      'VERIFIED',
      'VERIFIED',
      'WITHDRAWN',
    ]);
  });
});
