import { writeFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowIds } from '../../workflows/shared.js';
import { indiaDate } from '../../domain/time.js';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import {
  ensureTestVaccine,
  loginBeneficiary,
  readSms,
  registerPerson,
  stageOf,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  // A day lasts 864 s: today's session stays open for the whole test, and timers are still compressed.
  platform = await startTestPlatform({ dayMs: 864_000 });
});
afterAll(() => platform.close());

describe('a beneficiary journey from OTP to fully vaccinated, through the HTTP API', () => {
  it('logs in, registers, books, gets dose 1, is told dose 2 is due, books it, gets it, and is fully vaccinated', async () => {
    const { app, db } = platform;
    const vaccine = await ensureTestVaccine(db);
    const session = await insertSessionDay(db, { vaccine, dose1: 5, dose2: 5, district: PUNE });
    const mobile = uniqueMobile();

    const token = await loginBeneficiary(app, mobile);
    const auth = { authorization: `Bearer ${token}` };
    const registered = await registerPerson(app, token);
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId, secretCode, stage } = registered.json();
    expect(referenceId).toMatch(/^\d{14}$/);
    expect(secretCode).toMatch(/^\d{4}$/);
    expect(stage).toBe('VERIFIED');

    const search = await app.inject({
      method: 'GET',
      url: `/api/v1/sessions?districtId=${PUNE.districtId}&date=${indiaDate()}`,
    });
    expect(search.statusCode).toBe(200);
    const found = search.json().sessions.find((s: { sessionDayId: string }) => s.sessionDayId === session.id);
    expect(found).toMatchObject({ dose1Available: 5, dose2Available: 5, vaccineCode: vaccine });

    const booked = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: auth,
      payload: { referenceId, sessionDayId: session.id },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json()).toMatchObject({ dose: 1, stage: 'DOSE1_BOOKED', sessionDayId: session.id });
    expect(await stageOf(db, referenceId)).toBe('DOSE1_BOOKED');
    const confirmation = await waitFor(
      async () => (await readSms(app, mobile)).find((m) => m.template === 'BOOKING_CONFIRMED'),
      'booking SMS',
    );
    expect(confirmation.body).toContain(secretCode);

    const vaccinator = await vaccinatorFor(app, db, session.id);
    const staffAuth = { authorization: `Bearer ${vaccinator.token}` };
    const dose1 = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: staffAuth,
      payload: { referenceId, secretCode, sessionDayId: session.id, vaccineCode: vaccine, batch: 'TV-001' },
    });
    expect(dose1.statusCode, dose1.body).toBe(201);
    expect(dose1.json()).toMatchObject({ dose: 1, duplicate: false });

    await waitFor(async () => (await stageOf(db, referenceId)) === 'DOSE1_DONE', 'DOSE1_DONE');
    await waitFor(async () => (await readSms(app, mobile)).some((m) => m.template === 'DOSE2_DUE'), 'dose-2 due SMS');

    const secondSession = await insertSessionDay(db, { vaccine, dose1: 5, dose2: 5, district: PUNE });
    const booked2 = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: auth,
      payload: { referenceId, sessionDayId: secondSession.id },
    });
    expect(booked2.statusCode, booked2.body).toBe(201);
    expect(booked2.json()).toMatchObject({ dose: 2, stage: 'DOSE2_BOOKED' });

    const secondVaccinator = await vaccinatorFor(app, db, secondSession.id);
    const dose2 = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: { authorization: `Bearer ${secondVaccinator.token}` },
      payload: { referenceId, secretCode, sessionDayId: secondSession.id, vaccineCode: vaccine, batch: 'TV-002' },
    });
    expect(dose2.statusCode, dose2.body).toBe(201);
    expect(dose2.json()).toMatchObject({ dose: 2 });

    await waitFor(async () => (await stageOf(db, referenceId)) === 'FULLY_VACCINATED', 'FULLY_VACCINATED');
    await waitFor(
      async () => (await readSms(app, mobile)).some((m) => m.template === 'FULLY_VACCINATED'),
      'fully vaccinated SMS',
    );

    const mine = await app.inject({ method: 'GET', url: `/api/v1/beneficiaries/${referenceId}`, headers: auth });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({
      stage: 'FULLY_VACCINATED',
      vaccineCode: vaccine,
      idNumberMasked: expect.stringMatching(/^X{8}\d{4}$/),
    });
    expect(mine.json().doses.map((d: { dose: number; batch: string }) => [d.dose, d.batch])).toEqual([
      [1, 'TV-001'],
      [2, 'TV-002'],
    ]);

    const history = await db
      .selectFrom('journey_stage_history')
      .innerJoin('beneficiary', 'beneficiary.id', 'journey_stage_history.beneficiary_id')
      .select('to_stage')
      .where('beneficiary.reference_id', '=', referenceId)
      .orderBy('journey_stage_history.id')
      .execute();
    expect(history.map((h) => h.to_stage)).toEqual([
      'VERIFIED',
      'DOSE1_BOOKED',
      'DOSE1_DONE',
      'DOSE2_BOOKED',
      'FULLY_VACCINATED',
    ]);
    const templates = (await readSms(app, mobile)).map((m) => m.template).reverse();
    expect(templates).toEqual([
      'OTP',
      'BOOKING_CONFIRMED',
      'DOSE_RECORDED',
      'DOSE2_DUE',
      'BOOKING_CONFIRMED',
      'DOSE_RECORDED',
      'FULLY_VACCINATED',
    ]);

    // RECORD_JOURNEY_HISTORY=<file.binpb> keeps this journey's history for replay.test.ts (after a change of commands).
    const recordTo = process.env.RECORD_JOURNEY_HISTORY;
    if (recordTo) {
      const client = await platform.temporal.client();
      const history = await client.workflow.getHandle(workflowIds.journey(referenceId)).fetchHistory();
      writeFileSync(recordTo, temporal.api.history.v1.History.encode(history).finish());
    }
  });
});
