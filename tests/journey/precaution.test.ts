/**
 * The precaution (third) dose end to end, through the HTTP API, the journey workflow and the Co-WIN API: due after
 * its interval from dose 2, booked, given at the desk and on a reissued certificate; refused before it is due.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowIds } from '../../workflows/shared.js';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/connection.js';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import {
  aadhaar,
  ensureTestVaccine,
  loginBeneficiary,
  readSms,
  registerPerson,
  stageOf,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
import { untilIndiaTimeOnTimelineMs } from '../support/india-day.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { cowinClient, cowinDate, cowinLogin } from '../cowin/client.js';

let platform: TestPlatform;
/** A day lasts 864 s: today's sessions stay open for the whole test, and timers are still compressed. */
const DAY_MS = 864_000;
beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: DAY_MS });
});

/** The precaution dose is texted at 09:00 India time on its due date: due today, at 09:00 on the compressed timeline. */
const precautionDueWithinMs = () => untilIndiaTimeOnTimelineMs('09:00', DAY_MS) + 30_000;
afterAll(() => platform.close());

/** A two-dose test vaccine whose precaution dose is due `afterDays` after dose 2. */
async function precautionVaccine(db: Db, code: string, afterDays: number): Promise<string> {
  await ensureTestVaccine(db, code);
  await db
    .insertInto('precaution_interval')
    .values({ vaccine_code: code, after_days: afterDays })
    .onConflict((oc) => oc.column('vaccine_code').doUpdateSet({ after_days: afterDays }))
    .execute();
  return code;
}

/** Records a walk-in dose at a new session day of today with the vaccine; answers the response. */
async function giveDose(
  app: FastifyInstance,
  db: Db,
  person: { referenceId: string; secretCode: string },
  vaccine: string,
) {
  const session = await insertSessionDay(db, { vaccine, dose1: 5, dose2: 5, walkin: 5, district: PUNE });
  const vaccinator = await vaccinatorFor(app, db, session.id);
  return app.inject({
    method: 'POST',
    url: '/api/v1/doses',
    headers: { authorization: `Bearer ${vaccinator.token}` },
    payload: {
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      sessionDayId: session.id,
      vaccineCode: vaccine,
      batch: 'PRE-001',
    },
  });
}

/** Doses 1 and 2 at the desk, and the journey at FULLY_VACCINATED. */
async function fullyVaccinate(
  app: FastifyInstance,
  db: Db,
  person: { referenceId: string; secretCode: string },
  vaccine: string,
) {
  for (const dose of [1, 2]) {
    const given = await giveDose(app, db, person, vaccine);
    expect(given.statusCode, given.body).toBe(201);
    expect(given.json()).toMatchObject({ dose });
  }
  await waitFor(async () => (await stageOf(db, person.referenceId)) === 'FULLY_VACCINATED', 'FULLY_VACCINATED');
}

async function portalPerson(app: FastifyInstance) {
  const mobile = uniqueMobile();
  const token = await loginBeneficiary(app, mobile);
  const registered = await registerPerson(app, token, { name: 'Kavita Rao' });
  expect(registered.statusCode, registered.body).toBe(201);
  const { referenceId, secretCode } = registered.json();
  return { mobile, token, referenceId: referenceId as string, secretCode: secretCode as string };
}

describe('the precaution dose', () => {
  it('is due after dose 2, texted, booked from the portal, given at the desk and shown on a reissued certificate', async () => {
    const { app, db } = platform;
    const vaccine = await precautionVaccine(db, 'TESTPREC0', 0);
    const person = await portalPerson(app);
    await fullyVaccinate(app, db, person, vaccine);

    const due = await waitFor(
      async () => (await readSms(app, person.mobile)).find((m) => m.template === 'PRECAUTION_DUE'),
      'precaution due SMS',
      precautionDueWithinMs(),
    );
    expect(due.body).toContain('precaution dose');
    const finalBefore = await waitFor(
      () =>
        db
          .selectFrom('certificate')
          .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
          .select(['certificate.id', 'certificate.jws', 'certificate.doses'])
          .where('beneficiary.reference_id', '=', person.referenceId)
          .where('certificate.kind', '=', 'FINAL')
          .executeTakeFirst(),
      'final certificate',
    );
    expect(finalBefore.doses).toBe(2);

    const session = await insertSessionDay(db, { vaccine, dose1: 5, dose2: 5, district: PUNE });
    const booked = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: { authorization: `Bearer ${person.token}` },
      payload: { referenceId: person.referenceId, sessionDayId: session.id },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json()).toMatchObject({ dose: 3, stage: 'PRECAUTION_BOOKED', sessionDayId: session.id });
    const confirmation = await waitFor(
      async () => (await readSms(app, person.mobile)).find((m) => m.template === 'BOOKING_CONFIRMED'),
      'booking confirmation',
    );
    expect(confirmation.body).toContain(person.secretCode);

    const vaccinator = await vaccinatorFor(app, db, session.id);
    const atDoor = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: { authorization: `Bearer ${vaccinator.token}` },
      payload: { sessionDayId: session.id, referenceId: person.referenceId, secretCode: person.secretCode },
    });
    expect(atDoor.statusCode, atDoor.body).toBe(200);
    expect(atDoor.json()).toMatchObject({ dueDose: 3, person: { stage: 'PRECAUTION_BOOKED' } });
    const dose3 = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: { authorization: `Bearer ${vaccinator.token}` },
      payload: {
        referenceId: person.referenceId,
        secretCode: person.secretCode,
        sessionDayId: session.id,
        vaccineCode: vaccine,
        batch: 'PRE-003',
      },
    });
    expect(dose3.statusCode, dose3.body).toBe(201);
    expect(dose3.json()).toMatchObject({ dose: 3, duplicate: false });
    await waitFor(async () => (await stageOf(db, person.referenceId)) === 'PRECAUTION_DONE', 'PRECAUTION_DONE');
    const appointment = await db
      .selectFrom('appointment')
      .select('status')
      .where('id', '=', booked.json().appointmentId)
      .executeTakeFirstOrThrow();
    expect(appointment.status).toBe('COMPLETED');

    // The certificate is issued again with all three doses; the one with two verifies as revoked.
    const reissued = await waitFor(
      () =>
        db
          .selectFrom('certificate')
          .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
          .select(['certificate.id', 'certificate.jws', 'certificate.doses'])
          .where('beneficiary.reference_id', '=', person.referenceId)
          .where('certificate.kind', '=', 'FINAL')
          .where('certificate.revoked_at', 'is', null)
          .where('certificate.doses', '=', 3)
          .executeTakeFirst(),
      'certificate with the precaution dose',
    );
    const verify = (jws: string) =>
      app.inject({ method: 'POST', url: '/api/v1/certificates/verify', payload: { payload: jws } });
    expect((await verify(reissued.jws)).json()).toMatchObject({
      status: 'VALID',
      holder: { name: 'Kavita Rao', doses: 3 },
    });
    expect((await verify(finalBefore.jws)).json().status).toBe('REVOKED');
    const pdf = await app.inject({
      method: 'GET',
      url: `/api/v1/beneficiaries/${person.referenceId}/certificate`,
      headers: { authorization: `Bearer ${person.token}` },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const mine = await app.inject({
      method: 'GET',
      url: `/api/v1/beneficiaries/${person.referenceId}`,
      headers: { authorization: `Bearer ${person.token}` },
    });
    expect(mine.json().stage).toBe('PRECAUTION_DONE');
    expect(mine.json().doses.map((d: { dose: number; batch: string }) => [d.dose, d.batch])).toEqual([
      [1, 'PRE-001'],
      [2, 'PRE-001'],
      [3, 'PRE-003'],
    ]);
    const templates = (await readSms(app, person.mobile)).map((m) => m.template).reverse();
    expect(templates).toEqual([
      'OTP',
      'DOSE_RECORDED',
      'DOSE_RECORDED',
      'FULLY_VACCINATED',
      'PRECAUTION_DUE',
      'BOOKING_CONFIRMED',
      'DOSE_RECORDED',
    ]);

    // RECORD_PRECAUTION_HISTORY=<file.binpb> keeps this journey's history for replay.test.ts.
    const recordTo = process.env.RECORD_PRECAUTION_HISTORY;
    if (recordTo) {
      const client = await platform.temporal.client();
      const history = await client.workflow.getHandle(workflowIds.journey(person.referenceId)).fetchHistory();
      writeFileSync(recordTo, temporal.api.history.v1.History.encode(history).finish());
    }

    // Nothing follows the precaution dose.
    const fourth = await giveDose(app, db, person, vaccine);
    expect(fourth.statusCode, fourth.body).toBe(409);
    expect(fourth.json().code).toBe('FULLY_VACCINATED');
  }, 420_000);

  it('resumes a journey that ended fully vaccinated before its vaccine had a precaution dose', async () => {
    const { app, db } = platform;
    const vaccine = await ensureTestVaccine(db, 'TESTPRECL');
    const person = await portalPerson(app);
    await fullyVaccinate(app, db, person, vaccine);
    const client = await platform.temporal.client();
    const ended = await client.workflow.getHandle(workflowIds.journey(person.referenceId)).result();
    expect(ended.stage).toBe('FULLY_VACCINATED');

    // The programme adds a precaution dose to the vaccine afterwards.
    await precautionVaccine(db, vaccine, 0);
    const session = await insertSessionDay(db, { vaccine, dose1: 5, dose2: 5, district: PUNE });
    const booked = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: { authorization: `Bearer ${person.token}` },
      payload: { referenceId: person.referenceId, sessionDayId: session.id },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json()).toMatchObject({ dose: 3, stage: 'PRECAUTION_BOOKED' });
    const confirmation = await waitFor(
      async () => (await readSms(app, person.mobile)).find((m) => m.template === 'BOOKING_CONFIRMED'),
      'booking confirmation from the resumed journey',
    );
    expect(confirmation.body).toContain(person.secretCode);

    const vaccinator = await vaccinatorFor(app, db, session.id);
    const dose3 = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: { authorization: `Bearer ${vaccinator.token}` },
      payload: {
        referenceId: person.referenceId,
        secretCode: person.secretCode,
        sessionDayId: session.id,
        vaccineCode: vaccine,
        batch: 'PRE-003',
      },
    });
    expect(dose3.statusCode, dose3.body).toBe(201);
    await waitFor(async () => (await stageOf(db, person.referenceId)) === 'PRECAUTION_DONE', 'PRECAUTION_DONE');
    const live = await waitFor(
      () =>
        db
          .selectFrom('certificate')
          .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
          .select(['certificate.doses', 'certificate.kind'])
          .where('beneficiary.reference_id', '=', person.referenceId)
          .where('certificate.revoked_at', 'is', null)
          .where('certificate.doses', '=', 3)
          .executeTakeFirst(),
      'certificate with the precaution dose',
    );
    expect(live.kind).toBe('FINAL');
    const resumed = await client.workflow.getHandle(workflowIds.journey(person.referenceId)).result();
    expect(resumed).toMatchObject({ stage: 'PRECAUTION_DONE', dosesReceived: 3 });
    const templates = (await readSms(app, person.mobile)).map((m) => m.template).reverse();
    expect(templates.slice(-2)).toEqual(['BOOKING_CONFIRMED', 'DOSE_RECORDED']);
  });

  it('is refused before its due date, at booking and at the desk, with the date it is due', async () => {
    const { app, db } = platform;
    const vaccine = await precautionVaccine(db, 'TESTPREC9', 9);
    const person = await portalPerson(app);
    const today = (await giveDose(app, db, person, vaccine)).json().administeredAt as string;
    expect((await giveDose(app, db, person, vaccine)).statusCode).toBe(201);
    await waitFor(async () => (await stageOf(db, person.referenceId)) === 'FULLY_VACCINATED', 'FULLY_VACCINATED');

    const session = await insertSessionDay(db, { vaccine, dose1: 5, dose2: 5, district: PUNE });
    const booked = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: { authorization: `Bearer ${person.token}` },
      payload: { referenceId: person.referenceId, sessionDayId: session.id },
    });
    expect(booked.statusCode, booked.body).toBe(422);
    const dueOn = booked.json().details.dueOn as string;
    expect(booked.json()).toMatchObject({ code: 'PRECAUTION_NOT_DUE' });
    expect(booked.json().message).toContain(`due from ${dueOn}, 9 days after dose 2`);
    expect(
      new Date(`${dueOn}T00:00:00Z`).getTime() - new Date(`${today.slice(0, 10)}T00:00:00Z`).getTime(),
    ).toBeGreaterThan(7 * 86_400_000);

    const atDesk = await giveDose(app, db, person, vaccine);
    expect(atDesk.statusCode, atDesk.body).toBe(422);
    expect(atDesk.json()).toMatchObject({ code: 'PRECAUTION_NOT_DUE' });
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const atDoor = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: { authorization: `Bearer ${vaccinator.token}` },
      payload: { sessionDayId: session.id, referenceId: person.referenceId, secretCode: person.secretCode },
    });
    expect(atDoor.json()).toMatchObject({ dueDose: null, person: { stage: 'FULLY_VACCINATED' } });
    // A desk that was offline syncs the dose: refused for that item, with the same reason.
    const synced = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/sync',
      headers: { authorization: `Bearer ${vaccinator.token}` },
      payload: {
        deviceId: 'desk-precaution-01',
        deviceTime: new Date().toISOString(),
        items: [
          {
            kind: 'DOSE',
            clientEventId: randomUUID(),
            administeredAt: new Date().toISOString(),
            referenceId: person.referenceId,
            secretCode: person.secretCode,
            sessionDayId: session.id,
            vaccineCode: vaccine,
            batch: 'PRE-003',
          },
        ],
      },
    });
    expect(synced.statusCode, synced.body).toBe(200);
    expect(synced.json().results[0]).toMatchObject({ outcome: 'rejected', code: 'PRECAUTION_NOT_DUE' });
    expect(synced.json().results[0].message).toContain(`due from ${dueOn}`);
    expect(await stageOf(db, person.referenceId)).toBe('FULLY_VACCINATED');

    // Dose 2 not yet given: the desk records dose 2, never a precaution dose.
    const partly = await portalPerson(app);
    expect((await giveDose(app, db, partly, vaccine)).json()).toMatchObject({ dose: 1 });
    await waitFor(async () => (await stageOf(db, partly.referenceId)) === 'DOSE1_DONE', 'DOSE1_DONE');
    const bookedEarly = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: { authorization: `Bearer ${partly.token}` },
      payload: { referenceId: partly.referenceId, sessionDayId: session.id },
    });
    expect(bookedEarly.json()).toMatchObject({ dose: 2 });
  });

  it('is scheduled over the Co-WIN API as dose 3, and refused there before it is due', async () => {
    const { app, db } = platform;
    const vaccine = await precautionVaccine(db, 'TESTPREC0', 0);
    const notYet = await precautionVaccine(db, 'TESTPREC9', 9);
    const client = cowinClient(app, '10.77.3.1');
    const token = await cowinLogin(app, client, uniqueMobile());
    const people: { referenceId: string; secretCode: string }[] = [];
    for (const v of [vaccine, notYet]) {
      const registered = await client.post(
        '/v2/registration/beneficiary/new',
        {
          name: 'Partner Person',
          birth_year: '1979',
          gender_id: 2,
          photo_id_type: 1,
          photo_id_number: aadhaar(),
          consent_version: 'V1',
        },
        { token },
      );
      expect(registered.statusCode, registered.body).toBe(200);
      const referenceId = registered.json().beneficiary_reference_id as string;
      const { secret_code: secretCode } = await db
        .selectFrom('beneficiary')
        .select('secret_code')
        .where('reference_id', '=', referenceId)
        .executeTakeFirstOrThrow();
      const person = { referenceId, secretCode };
      await fullyVaccinate(app, db, person, v);
      people.push(person);
    }

    const tomorrow = cowinDate(1).split('-').reverse().join('-');
    const sessionOf = (v: string) =>
      insertSessionDay(db, {
        vaccine: v,
        district: PUNE,
        date: tomorrow,
        dose1: 0,
        dose2: 3,
        opensAt: '09:00:00',
        closesAt: '17:00:00',
        slotMinutes: 480,
      });
    const session = await sessionOf(vaccine);
    const scheduled = await client.post(
      '/v2/appointment/schedule',
      { dose: 3, session_id: session.id, slot: '09:00AM-05:00PM', beneficiaries: [people[0].referenceId] },
      { token },
    );
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    expect(scheduled.json().appointment_confirmation_no).toEqual(expect.any(String));
    expect(await stageOf(db, people[0].referenceId)).toBe('PRECAUTION_BOOKED');

    const listed = (await client.get('/v2/appointment/beneficiaries', { token })).json().beneficiaries;
    const mine = listed.find(
      (b: { beneficiary_reference_id: string }) => b.beneficiary_reference_id === people[0].referenceId,
    );
    expect(mine.vaccination_status).toBe('Vaccinated');
    expect(mine.appointments).toEqual([
      expect.objectContaining({
        appointment_id: scheduled.json().appointment_confirmation_no,
        dose: 3,
        session_id: session.id,
      }),
    ]);

    const early = await client.post(
      '/v2/appointment/schedule',
      {
        dose: 3,
        session_id: (await sessionOf(notYet)).id,
        slot: '09:00AM-05:00PM',
        beneficiaries: [people[1].referenceId],
      },
      { token },
    );
    expect(early.statusCode, early.body).toBe(400);
    expect(early.json().errorCode).toBe('APPOIN9006');
    expect(early.json().error).toContain('precaution dose');
  });
});
