import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import { ensureTestVaccine, latestOtp, stageOf, vaccinatorFor, waitFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { secretCodeCheck } from '../../domain/desk-code-check.js';
import { bearer, bookedPerson, eventId, walkInPerson } from './helpers.js';

let platform: TestPlatform;
let vaccine: string;
beforeAll(async () => {
  // A day lasts 864 s: today's session stays open for the whole test, and journey timers are still compressed.
  platform = await startTestPlatform({ dayMs: 864_000 });
  vaccine = await ensureTestVaccine(platform.db);
});
afterAll(() => platform.close());

async function recordDose(token: string, payload: Record<string, unknown>) {
  return platform.app.inject({
    method: 'POST',
    url: '/api/v1/doses',
    headers: bearer(token),
    payload: { vaccineCode: vaccine, batch: 'DESK-001', ...payload },
  });
}

describe("the vaccinator's desk today", () => {
  it('lists my session days today with the people booked, masked, and without secret codes, ID numbers or mobiles', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine, walkin: 3 });
    const person = await bookedPerson(app, session.id);
    const vaccinator = await vaccinatorFor(app, db, session.id);

    const today = await app.inject({ method: 'GET', url: '/api/v1/desk/today', headers: bearer(vaccinator.token) });
    expect(today.statusCode, today.body).toBe(200);
    const day = today.json().sessions.find((s: { sessionDayId: string }) => s.sessionDayId === session.id);
    expect(day).toMatchObject({
      vaccineCode: vaccine,
      status: 'PLANNED',
      counts: { dose1Booked: 1, walkinCapacity: 3, walkinUsed: 0, verified: 0 },
    });
    expect(day.site.name).toMatch(/^Test centre/);
    expect(day.people).toEqual([
      {
        referenceId: person.referenceId,
        name: 'Meera Joshi',
        birthYear: 1985,
        gender: 'F',
        idType: 1,
        idNumberMasked: `XXXXXXXX${person.idNumber.slice(-4)}`,
        priorityGroup: null,
        dose: 1,
        slot: expect.any(String),
        appointmentStatus: 'BOOKED',
        walkIn: false,
        verified: false,
        verificationId: null,
        vaccinated: false,
        doseId: null,
        codeCheck: expect.any(String),
      },
    ]);
    expect(today.body).not.toContain('secretCode');
    expect(today.body).not.toContain(`"${person.secretCode}"`);
    // The keyed check lets the desk verify the code with no network: the right code matches, a wrong one does not.
    const [listed] = day.people;
    expect(await secretCodeCheck(day.codeKey, person.referenceId, person.secretCode)).toBe(listed.codeCheck);
    const wrong = String((Number(person.secretCode) + 1) % 10_000).padStart(4, '0');
    expect(await secretCodeCheck(day.codeKey, person.referenceId, wrong)).not.toBe(listed.codeCheck);
    expect(today.body).not.toContain(person.idNumber);
    expect(today.body).not.toContain(person.mobile);

    // Another vaccinator of the district, not assigned here, does not see it.
    const other = await vaccinatorFor(app, db, (await insertSessionDay(db, { vaccine })).id);
    const theirs = await app.inject({ method: 'GET', url: '/api/v1/desk/today', headers: bearer(other.token) });
    expect(theirs.json().sessions.map((s: { sessionDayId: string }) => s.sessionDayId)).not.toContain(session.id);
    // Each desk has its own key: a check made for one desk is worth nothing at another.
    expect(theirs.json().sessions[0].codeKey).not.toBe(day.codeKey);
  });
});

describe('verifying a person at the door', () => {
  it('by secret code: records the check with the vaccinator as verifier, and the dose may cite it instead of the code', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine });
    const person = await bookedPerson(app, session.id);
    const vaccinator = await vaccinatorFor(app, db, session.id);

    const verified = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: session.id, referenceId: person.referenceId, secretCode: person.secretCode },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    const check = verified.json();
    expect(check).toMatchObject({
      method: 'SECRET_CODE',
      sessionDayId: session.id,
      person: {
        referenceId: person.referenceId,
        idNumberMasked: `XXXXXXXX${person.idNumber.slice(-4)}`,
        stage: 'DOSE1_BOOKED',
      },
      dueDose: 1,
      appointment: { dose: 1, status: 'BOOKED' },
      vaccinatedHere: null,
    });
    expect(verified.body).not.toContain('secretCode');
    const row = await db
      .selectFrom('verification_check')
      .selectAll()
      .where('id', '=', check.verificationId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ verified_by: vaccinator.staffId, method: 'SECRET_CODE', session_day_id: session.id });
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'verification_check')
      .where('entity_id', '=', check.verificationId)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_type: 'STAFF', actor_id: vaccinator.staffId, action: 'IDENTITY_VERIFIED' });

    const dose = await recordDose(vaccinator.token, {
      referenceId: person.referenceId,
      verificationId: check.verificationId,
      sessionDayId: session.id,
    });
    expect(dose.statusCode, dose.body).toBe(201);
    const stored = await db
      .selectFrom('dose')
      .select(['verification_id', 'vaccinator_id'])
      .where('id', '=', dose.json().doseId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ verification_id: check.verificationId, vaccinator_id: vaccinator.staffId });
    await waitFor(async () => (await stageOf(db, person.referenceId)) === 'DOSE1_DONE', 'DOSE1_DONE');

    const today = await app.inject({ method: 'GET', url: '/api/v1/desk/today', headers: bearer(vaccinator.token) });
    const listed = today.json().sessions.find((s: { sessionDayId: string }) => s.sessionDayId === session.id);
    expect(listed.people[0]).toMatchObject({
      verified: true,
      vaccinated: true,
      appointmentStatus: 'COMPLETED',
      doseId: dose.json().doseId,
    });
  });

  it("by an OTP sent to the person's mobile: the check is recorded with the vaccinator as verifier", async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine });
    const person = await bookedPerson(app, session.id);
    const vaccinator = await vaccinatorFor(app, db, session.id);

    const sent = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify/otp',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: session.id, mobile: person.mobile },
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const { txnId } = sent.json();
    const otp = await latestOtp(app, person.mobile);

    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: bearer(vaccinator.token),
      payload: {
        sessionDayId: session.id,
        referenceId: person.referenceId,
        mobile: person.mobile,
        txnId,
        otp: otp === '000000' ? '111111' : '000000',
      },
    });
    expect(wrong.statusCode, wrong.body).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'OTP_INVALID', message: expect.stringContaining('wrong OTP') });

    const verified = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: session.id, referenceId: person.referenceId, mobile: person.mobile, txnId, otp },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ method: 'OTP', dueDose: 1, person: { referenceId: person.referenceId } });
    const row = await db
      .selectFrom('verification_check')
      .selectAll()
      .where('id', '=', verified.json().verificationId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ verified_by: vaccinator.staffId, method: 'OTP' });

    // A mobile with nobody registered gets no SMS.
    const nobody = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify/otp',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: session.id, mobile: uniqueMobile() },
    });
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().code).toBe('NO_PEOPLE_ON_MOBILE');
  });

  it('counts wrong codes sent with a dose and with the desk check together: after 5 the right code records nothing', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine });
    const person = await bookedPerson(app, session.id);
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const wrongCode = String((Number(person.secretCode) + 1) % 10_000).padStart(4, '0');
    const dose = (secretCode: string) =>
      recordDose(vaccinator.token, {
        referenceId: person.referenceId,
        sessionDayId: session.id,
        secretCode,
        clientEventId: eventId(),
      });

    // Guessing on POST /doses and on /desk/verify draws on one counter.
    for (let left = 4; left >= 1; left--) {
      const wrong = await dose(wrongCode);
      expect(wrong.statusCode, wrong.body).toBe(403);
      expect(wrong.json()).toMatchObject({ code: 'SECRET_CODE_MISMATCH', details: { triesLeft: left } });
    }
    const lastTry = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: session.id, referenceId: person.referenceId, secretCode: wrongCode },
    });
    expect(lastTry.json()).toMatchObject({ code: 'SECRET_CODE_MISMATCH', details: { triesLeft: 0 } });

    const right = await dose(person.secretCode);
    expect(right.statusCode, right.body).toBe(429);
    expect(right.json()).toMatchObject({ code: 'TOO_MANY_CODE_TRIES', message: expect.stringContaining('OTP') });
    expect(await db.selectFrom('dose').select('id').where('session_day_id', '=', session.id).execute()).toHaveLength(0);
  });

  it("gives a booking at another session its seat back when the person is vaccinated here, and tells that session's dashboards", async () => {
    const { app, db } = platform;
    const booked = await insertSessionDay(db, { vaccine });
    const here = await insertSessionDay(db, { vaccine, walkin: 2 });
    const person = await bookedPerson(app, booked.id);
    const vaccinator = await vaccinatorFor(app, db, here.id);
    const listener = new pg.Client({ connectionString: inject('databaseUrl') });
    const events: { type: string; sessionDayId?: string; data: Record<string, unknown> }[] = [];
    listener.on('notification', (message) => events.push(JSON.parse(message.payload!)));
    await listener.connect();
    await listener.query('LISTEN teeka_live');
    try {
      const dose = await recordDose(vaccinator.token, {
        referenceId: person.referenceId,
        sessionDayId: here.id,
        secretCode: person.secretCode,
        clientEventId: eventId(),
      });
      expect(dose.statusCode, dose.body).toBe(201);
      const seats = await db
        .selectFrom('session_day')
        .select('dose1_booked')
        .where('id', '=', booked.id)
        .executeTakeFirstOrThrow();
      expect(seats.dose1_booked).toBe(0);
      const appointment = await db
        .selectFrom('appointment')
        .select('status')
        .where('session_day_id', '=', booked.id)
        .executeTakeFirstOrThrow();
      expect(appointment.status).toBe('CANCELLED');
      await waitFor(
        async () => events.some((e) => e.type === 'booking.changed' && e.sessionDayId === booked.id),
        "the booked session's booking.changed event",
      );
      expect(events.find((e) => e.type === 'booking.changed' && e.sessionDayId === booked.id)?.data).toMatchObject({
        change: 'RELEASED',
        dose1Booked: 0,
      });
    } finally {
      await listener.end();
    }
  });

  it('refuses a wrong secret code with a message, and after 5 wrong codes refuses even the right one (429) until OTP', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine });
    const person = await bookedPerson(app, session.id);
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const verify = (secretCode: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/desk/verify',
        headers: bearer(vaccinator.token),
        payload: { sessionDayId: session.id, referenceId: person.referenceId, secretCode },
      });
    const wrongCode = String((Number(person.secretCode) + 1) % 10_000).padStart(4, '0');

    for (let left = 4; left >= 0; left--) {
      const wrong = await verify(wrongCode);
      expect(wrong.statusCode, wrong.body).toBe(403);
      expect(wrong.json()).toMatchObject({ code: 'SECRET_CODE_MISMATCH', details: { triesLeft: left } });
    }
    const locked = await verify(person.secretCode);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'TOO_MANY_CODE_TRIES', message: expect.stringContaining('OTP') });
    expect(
      await db.selectFrom('verification_check').select('id').where('session_day_id', '=', session.id).execute(),
    ).toHaveLength(0);

    // The OTP path stays open: the person proves the mobile instead.
    const sent = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify/otp',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: session.id, mobile: person.mobile },
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const byOtp = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: bearer(vaccinator.token),
      payload: {
        sessionDayId: session.id,
        referenceId: person.referenceId,
        mobile: person.mobile,
        txnId: sent.json().txnId,
        otp: await latestOtp(app, person.mobile),
      },
    });
    expect(byOtp.statusCode, byOtp.body).toBe(200);
    expect(byOtp.json().method).toBe('OTP');

    // A verification of someone else cannot stand in for this person's code.
    const other = await bookedPerson(app, session.id);
    const otherCheck = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: session.id, referenceId: other.referenceId, secretCode: other.secretCode },
    });
    expect(otherCheck.statusCode).toBe(200);
    const borrowed = await recordDose(vaccinator.token, {
      referenceId: person.referenceId,
      verificationId: otherCheck.json().verificationId,
      sessionDayId: session.id,
    });
    expect(borrowed.statusCode).toBe(403);
    expect(borrowed.json().code).toBe('VERIFICATION_INVALID');
    const noProof = await recordDose(vaccinator.token, { referenceId: person.referenceId, sessionDayId: session.id });
    expect(noProof.statusCode).toBe(400);
    expect(noProof.json().code).toBe('IDENTITY_PROOF_REQUIRED');
  });

  it('is only for vaccinators assigned to the session day', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine });
    const person = await bookedPerson(app, session.id);
    const elsewhere = await vaccinatorFor(app, db, (await insertSessionDay(db, { vaccine })).id);
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: bearer(elsewhere.token),
      payload: { sessionDayId: session.id, referenceId: person.referenceId, secretCode: person.secretCode },
    });
    expect(refused.statusCode).toBe(403);
    const beneficiary = await app.inject({ method: 'GET', url: '/api/v1/desk/today', headers: bearer(person.token) });
    expect(beneficiary.statusCode).toBe(403);
  });
});

describe('walk-ins', () => {
  it('registers a walk-in (verified, unverified account), records the dose against the walk-in quota, and refuses when it is used up', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine, walkin: 1 });
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const mobile = uniqueMobile();
    const person = walkInPerson();

    const registered = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/walk-ins',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: session.id, mobile, person },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const walkIn = registered.json();
    expect(walkIn).toMatchObject({
      referenceId: expect.stringMatching(/^\d{14}$/),
      secretCode: expect.stringMatching(/^\d{4}$/),
      stage: 'VERIFIED',
      dueDose: 1,
      walkinRemaining: 1,
    });
    const account = await db
      .selectFrom('account')
      .select(['verified_at'])
      .where('mobile', '=', mobile)
      .executeTakeFirstOrThrow();
    expect(account.verified_at).toBeNull();
    const { id: beneficiaryId } = await db
      .selectFrom('beneficiary')
      .select('id')
      .where('reference_id', '=', walkIn.referenceId)
      .executeTakeFirstOrThrow();
    const registeredBy = await db
      .selectFrom('audit_log')
      .select('actor_id')
      .where('action', '=', 'BENEFICIARY_REGISTERED')
      .where('entity_id', '=', beneficiaryId)
      .executeTakeFirstOrThrow();
    expect(registeredBy.actor_id).toBe(vaccinator.staffId);

    // The same photo ID again is the same person: refused, whichever mobile brings it.
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/walk-ins',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: session.id, mobile: uniqueMobile(), person },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('IDENTITY_ALREADY_REGISTERED');

    const dose = await recordDose(vaccinator.token, {
      referenceId: walkIn.referenceId,
      secretCode: walkIn.secretCode,
      sessionDayId: session.id,
    });
    expect(dose.statusCode, dose.body).toBe(201);
    const day = await db
      .selectFrom('session_day')
      .select(['walkin_used'])
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(day.walkin_used).toBe(1);
    await waitFor(async () => (await stageOf(db, walkIn.referenceId)) === 'DOSE1_DONE', 'walk-in DOSE1_DONE');

    const full = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/walk-ins',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: session.id, mobile: uniqueMobile(), person: walkInPerson() },
    });
    expect(full.statusCode).toBe(409);
    expect(full.json()).toMatchObject({ code: 'WALKIN_QUOTA_FULL', message: expect.stringContaining('used up') });

    const today = await app.inject({ method: 'GET', url: '/api/v1/desk/today', headers: bearer(vaccinator.token) });
    const listed = today.json().sessions.find((s: { sessionDayId: string }) => s.sessionDayId === session.id);
    expect(listed.people).toEqual([
      expect.objectContaining({
        referenceId: walkIn.referenceId,
        walkIn: true,
        vaccinated: true,
        appointmentStatus: null,
      }),
    ]);
  });
});

describe('a dose recorded twice', () => {
  it('is refused with the existing record; the same client event replayed answers the stored record', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine });
    const person = await bookedPerson(app, session.id);
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const clientEventId = eventId();
    const payload = {
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      sessionDayId: session.id,
      clientEventId,
    };

    const first = await recordDose(vaccinator.token, payload);
    expect(first.statusCode, first.body).toBe(201);
    const replay = await recordDose(vaccinator.token, payload);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ doseId: first.json().doseId, duplicate: true });

    const second = await recordDose(vaccinator.token, { ...payload, clientEventId: eventId(), batch: 'DESK-002' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({
      code: 'DOSE_ALREADY_RECORDED',
      details: {
        existing: {
          doseId: first.json().doseId,
          referenceId: person.referenceId,
          dose: 1,
          batch: 'DESK-001',
          clientEventId,
        },
      },
    });
    expect(await db.selectFrom('dose').select('id').where('session_day_id', '=', session.id).execute()).toHaveLength(1);
  });
});

describe('AEFI reports', () => {
  it('links a report to its dose, marks one within 30 minutes as during observation, and is idempotent', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine });
    const person = await bookedPerson(app, session.id);
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const doseEventId = eventId();
    const dose = await recordDose(vaccinator.token, {
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      sessionDayId: session.id,
      clientEventId: doseEventId,
    });
    expect(dose.statusCode, dose.body).toBe(201);
    const doseId = dose.json().doseId;

    const report = {
      doseId,
      severity: 'MINOR',
      symptoms: ['FEVER', 'INJECTION_SITE_PAIN'],
      notes: 'mild, resolved with rest',
      clientEventId: eventId(),
    };
    const reported = await app.inject({
      method: 'POST',
      url: '/api/v1/aefi',
      headers: bearer(vaccinator.token),
      payload: report,
    });
    expect(reported.statusCode, reported.body).toBe(201);
    expect(reported.json()).toMatchObject({
      doseId,
      referenceId: person.referenceId,
      severity: 'MINOR',
      duringObservation: true,
      reportedBy: vaccinator.staffId,
      duplicate: false,
    });
    const replayed = await app.inject({
      method: 'POST',
      url: '/api/v1/aefi',
      headers: bearer(vaccinator.token),
      payload: report,
    });
    expect(replayed.statusCode).toBe(200);
    expect(replayed.json()).toMatchObject({ aefiId: reported.json().aefiId, duplicate: true });
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_id'])
      .where('action', '=', 'AEFI_REPORTED')
      .where('entity_id', '=', reported.json().aefiId)
      .execute();
    expect(audit).toEqual([{ actor_id: vaccinator.staffId }]);

    // Reported later than the observation period (the dose was given 45 minutes ago), named by its client event id.
    await db
      .updateTable('dose')
      .set({ administered_at: new Date(Date.now() - 45 * 60_000) })
      .where('id', '=', doseId)
      .execute();
    const later = await app.inject({
      method: 'POST',
      url: '/api/v1/aefi',
      headers: bearer(vaccinator.token),
      payload: {
        doseClientEventId: doseEventId,
        severity: 'SERIOUS',
        symptoms: ['BREATHING_DIFFICULTY'],
        clientEventId: eventId(),
      },
    });
    expect(later.statusCode, later.body).toBe(201);
    expect(later.json()).toMatchObject({ doseId, duringObservation: false, severity: 'SERIOUS' });

    const listed = await app.inject({
      method: 'GET',
      url: `/api/v1/doses/${doseId}/aefi`,
      headers: bearer(vaccinator.token),
    });
    expect(listed.statusCode).toBe(200);
    expect(
      listed
        .json()
        .reports.map((r: { severity: string; duringObservation: boolean }) => [r.severity, r.duringObservation]),
    ).toEqual([
      ['MINOR', true],
      ['SERIOUS', false],
    ]);

    const unknownSymptom = await app.inject({
      method: 'POST',
      url: '/api/v1/aefi',
      headers: bearer(vaccinator.token),
      payload: { ...report, symptoms: ['HEADACHES'], clientEventId: eventId() },
    });
    expect(unknownSymptom.statusCode).toBe(400);
    const elsewhere = await vaccinatorFor(app, db, (await insertSessionDay(db, { vaccine, district: PUNE })).id);
    const notTheirs = await app.inject({
      method: 'POST',
      url: '/api/v1/aefi',
      headers: bearer(elsewhere.token),
      payload: { ...report, clientEventId: eventId() },
    });
    expect(notTheirs.statusCode).toBe(403);
    const notTheirsToRead = await app.inject({
      method: 'GET',
      url: `/api/v1/doses/${doseId}/aefi`,
      headers: bearer(elsewhere.token),
    });
    expect(notTheirsToRead.statusCode).toBe(403);
  });
});
