/**
 * Doses given elsewhere, end to end through the API against Postgres and Temporal: a district officer adds dose 1
 * a person was given elsewhere, with evidence — the person's booking for dose 1 is released, their journey hears
 * of it, tells them dose 2 is due, and they book it; the officer adds dose 2 — the person is fully vaccinated and
 * their final certificate shows both doses as recorded by an officer. The refusals (a date in the future, a person
 * outside the officer's jurisdiction, desk staff, a dose already recorded, too soon after the previous dose), and
 * the same request twice (also at once) storing one dose. The lookup shows each dose's evidence and who added it.
 * A person not yet booked or vaccinated anywhere: found by reference id, the request names the district that records
 * the dose (an officer of it adds it; without it, or with a district not theirs, it is refused), and the dose counts
 * there like any dose; once the person has a district, a different one named is refused. A dose 1 added long after
 * it was given, dose 2 overdue already, brings the person one text about dose 2, the overdue one.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialFromJws } from '../../certificates/certificate-format.js';
import { addDays, indiaDate } from '../../domain/time.js';
import { insertSessionDay, uniqueMobile } from '../support/fixtures.js';
import {
  bearer,
  book,
  loginBeneficiary,
  readSms,
  registerPerson,
  smsTemplates,
  uniqueIp,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { createActor, DELHI, HOME, MUMBAI } from '../support/route-matrix.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

const today = () => indiaDate();

/** A person registered from the portal and booked for dose 1 at a session in HOME (so HOME's officers find them). */
async function bookedPerson(name: string) {
  const { app, db } = platform;
  const mobile = uniqueMobile();
  const token = await loginBeneficiary(app, mobile, uniqueIp());
  const registered = await registerPerson(app, token, { name });
  expect(registered.statusCode, registered.body).toBe(201);
  const { referenceId } = registered.json();
  const day = await insertSessionDay(db, { district: HOME });
  const booked = await book(app, token, referenceId, day.id);
  expect(booked.statusCode, booked.body).toBe(201);
  return { mobile, token, referenceId, day, appointmentId: booked.json().appointmentId as string };
}

function evidenceFor(dose: number, givenOn: string, extra: Record<string, unknown> = {}) {
  return {
    clientEventId: `elsewhere-${randomUUID()}`,
    dose,
    vaccineCode: 'COVAXIN',
    givenOn,
    batch: 'ext-77a',
    place: 'Civil Hospital, Nashik',
    evidence: { reference: `CARD-${dose}-2041`, note: 'vaccination card seen at the district office' },
    ...extra,
  };
}

const stageOf = async (referenceId: string) =>
  await platform.db
    .selectFrom('beneficiary')
    .select(['stage', 'next_dose_due_on'])
    .where('reference_id', '=', referenceId)
    .executeTakeFirstOrThrow();

describe('a dose given elsewhere, added by an officer with evidence', () => {
  it('counts like any dose: dose 2 becomes due and is booked; dose 2 makes the person fully vaccinated and certified', async () => {
    const { app, db, config } = platform;
    const env = { app, db, config };
    const person = await bookedPerson('Asha Elsewhere');
    const officer = await createActor(env, 'DISTRICT_OFFICER', HOME);
    const add = (token: string, payload: Record<string, unknown>, referenceId = person.referenceId) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/people/${referenceId}/doses-elsewhere`,
        headers: bearer(token),
        payload,
      });
    // Dose 2 due two days ago and its first overdue follow-up five days ahead, whatever the time of day.
    const dose1On = addDays(today(), -30);
    const coverageBefore = await db
      .selectFrom('district_coverage')
      .select('dose1')
      .where('district_id', '=', HOME.districtId)
      .executeTakeFirst();
    const dailyBefore = await db
      .selectFrom('district_daily_doses')
      .select('doses')
      .where('district_id', '=', HOME.districtId)
      .where('date', '=', dose1On)
      .executeTakeFirst();

    // Refusals first: nothing is stored by any of them.
    const future = await add(officer.token, evidenceFor(1, addDays(today(), 1)));
    expect(future.statusCode, future.body).toBe(422);
    expect(future.json().code).toBe('DATE_IN_FUTURE');
    const delhiOfficer = await createActor(env, 'DISTRICT_OFFICER', DELHI);
    expect((await add(delhiOfficer.token, evidenceFor(1, dose1On))).statusCode).toBe(404);
    const vaccinator = await vaccinatorFor(app, db, person.day.id, HOME);
    expect((await add(vaccinator.token, evidenceFor(1, dose1On))).statusCode).toBe(403);
    expect((await add(person.token, evidenceFor(1, dose1On))).statusCode).toBe(403);
    const outOfOrder = await add(officer.token, evidenceFor(2, dose1On));
    expect(outOfOrder.statusCode).toBe(409);
    expect(outOfOrder.json().code).toBe('DOSE_OUT_OF_ORDER');
    const noEvidence = await add(officer.token, { ...evidenceFor(1, dose1On), evidence: { reference: 'X1' } });
    expect(noEvidence.statusCode).toBe(400);
    const markup = await add(officer.token, evidenceFor(1, dose1On, { place: '<b>Nashik</b>' }));
    expect(markup.statusCode).toBe(400);
    const unknownVaccine = await add(officer.token, evidenceFor(1, dose1On, { vaccineCode: 'NOVAVAX' }));
    expect(unknownVaccine.statusCode).toBe(422);
    expect(unknownVaccine.json().code).toBe('VACCINE_NOT_FOUND');

    // Dose 1, given elsewhere 30 days ago; the same request sent twice at once stores one dose.
    const request = evidenceFor(1, dose1On);
    const [first, second] = await Promise.all([add(officer.token, request), add(officer.token, request)]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 201]);
    const added = (first.statusCode === 201 ? first : second).json();
    expect(added).toMatchObject({
      duplicate: false,
      releasedAppointments: [person.appointmentId],
      dose: {
        referenceId: person.referenceId,
        dose: 1,
        vaccineCode: 'COVAXIN',
        batch: 'EXT-77A',
        givenOn: dose1On,
        place: 'Civil Hospital, Nashik',
        evidence: { reference: 'CARD-1-2041', note: 'vaccination card seen at the district office' },
        addedBy: 'Test DISTRICT_OFFICER',
      },
    });
    const replayed = await add(officer.token, request);
    expect(replayed.statusCode).toBe(200);
    expect(replayed.json()).toMatchObject({ duplicate: true, dose: { doseId: added.dose.doseId } });
    const dosesOf = () =>
      db
        .selectFrom('dose')
        .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
        .select(['dose.dose_number', 'dose.source', 'dose.session_day_id'])
        .where('beneficiary.reference_id', '=', person.referenceId)
        .orderBy('dose.dose_number')
        .execute();
    expect(await dosesOf()).toEqual([{ dose_number: 1, source: 'OFFICER', session_day_id: null }]);
    // The key names this dose: used for another person, it is refused.
    const other = await bookedPerson('Other Person');
    const stolenKey = await add(officer.token, request, other.referenceId);
    expect(stolenKey.statusCode).toBe(409);
    expect(stolenKey.json().code).toBe('CLIENT_EVENT_CONFLICT');

    // Audited with the officer and the reason.
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'actor_role', 'details'])
      .where('action', '=', 'DOSE_ADDED_BY_OFFICER')
      .where('entity_id', '=', added.dose.doseId)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_id: officer.staffId,
      actor_role: 'DISTRICT_OFFICER',
      details: { reason: 'vaccination card seen at the district office', evidenceReference: 'CARD-1-2041' },
    });

    // The booking for dose 1 is released; the journey tells the person dose 2 is due (its window opened days ago).
    const seat = await db
      .selectFrom('appointment')
      .select('status')
      .where('id', '=', person.appointmentId)
      .executeTakeFirstOrThrow();
    expect(seat.status).toBe('CANCELLED');
    await waitFor(async () => (await stageOf(person.referenceId)).stage === 'DOSE1_DONE', 'dose 1 done');
    expect((await stageOf(person.referenceId)).next_dose_due_on).toBe(addDays(dose1On, 28));
    await waitFor(async () => (await smsTemplates(app, person.mobile)).includes('DOSE2_DUE'), 'the dose-2-due SMS');
    expect(await smsTemplates(app, person.mobile)).toContain('DOSE_RECORDED');
    const provisional = await waitFor(
      () =>
        db
          .selectFrom('certificate')
          .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
          .select(['certificate.jws'])
          .where('beneficiary.reference_id', '=', person.referenceId)
          .where('certificate.kind', '=', 'PROVISIONAL')
          .where('certificate.revoked_at', 'is', null)
          .executeTakeFirst(),
      'the provisional certificate',
    );
    expect(credentialFromJws(provisional.jws).evidence).toEqual([
      expect.objectContaining({
        dose: 1,
        date: dose1On,
        batch: 'EXT-77A',
        facility: { name: 'Civil Hospital, Nashik', address: { district: 'Pune', addressRegion: 'Maharashtra' } },
        verifier: { name: 'Test DISTRICT_OFFICER' },
        recordedBy: 'OFFICER',
      }),
    ]);

    // It counts for the district's coverage, not in the doses given per day (the drive's throughput).
    const coverageAfter = await db
      .selectFrom('district_coverage')
      .select('dose1')
      .where('district_id', '=', HOME.districtId)
      .executeTakeFirstOrThrow();
    expect(coverageAfter.dose1).toBeGreaterThan(coverageBefore?.dose1 ?? 0);
    const dailyAfter = await db
      .selectFrom('district_daily_doses')
      .select('doses')
      .where('district_id', '=', HOME.districtId)
      .where('date', '=', dose1On)
      .executeTakeFirst();
    expect(dailyAfter?.doses ?? 0).toBe(dailyBefore?.doses ?? 0);

    // The person books dose 2 from the portal.
    const day2 = await insertSessionDay(db, { district: HOME });
    const booked2 = await book(app, person.token, person.referenceId, day2.id);
    expect(booked2.statusCode, booked2.body).toBe(201);
    await waitFor(async () => (await stageOf(person.referenceId)).stage === 'DOSE2_BOOKED', 'dose 2 booked');

    // Dose 1 again, with another key: already recorded. Dose 2 too soon after dose 1: refused by the vaccine's rule.
    const again = await add(officer.token, evidenceFor(1, dose1On));
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('DOSE_ALREADY_RECORDED');
    const tooSoon = await add(officer.token, evidenceFor(2, addDays(dose1On, 20)));
    expect(tooSoon.statusCode).toBe(422);
    expect(tooSoon.json()).toMatchObject({ code: 'DOSE2_TOO_EARLY' });
    expect(tooSoon.json().message).toContain('28 days after dose 1');

    // Dose 2, given elsewhere 3 days ago (after the booking was made): fully vaccinated, certified with both doses.
    const dose2On = addDays(today(), -1);
    const state = await createActor(env, 'STATE_OFFICER', HOME);
    const added2 = await add(
      state.token,
      evidenceFor(2, dose2On, { batch: undefined, place: 'NHS clinic, Leeds, UK' }),
    );
    expect(added2.statusCode, added2.body).toBe(201);
    expect(added2.json()).toMatchObject({
      dose: { dose: 2, batch: 'NOT KNOWN' },
      releasedAppointments: [expect.any(String)],
    });
    await waitFor(async () => (await stageOf(person.referenceId)).stage === 'FULLY_VACCINATED', 'fully vaccinated');
    const final = await waitFor(
      () =>
        db
          .selectFrom('certificate')
          .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
          .select(['certificate.jws', 'certificate.doses'])
          .where('beneficiary.reference_id', '=', person.referenceId)
          .where('certificate.kind', '=', 'FINAL')
          .where('certificate.revoked_at', 'is', null)
          .executeTakeFirst(),
      'the final certificate',
    );
    expect(final.doses).toBe(2);
    expect(credentialFromJws(final.jws).evidence.map((e) => [e.dose, e.date, e.facility.name, e.recordedBy])).toEqual([
      [1, dose1On, 'Civil Hospital, Nashik', 'OFFICER'],
      [2, dose2On, 'NHS clinic, Leeds, UK', 'OFFICER'],
    ]);
    await waitFor(async () => (await smsTemplates(app, person.mobile)).includes('FULLY_VACCINATED'), 'the SMS');
    // The portal's certificate is the final one and verifies.
    const pdf = await app.inject({
      method: 'GET',
      url: `/api/v1/beneficiaries/${person.referenceId}/certificate`,
      headers: bearer(person.token),
    });
    expect(pdf.statusCode).toBe(200);
    const verified = await app.inject({
      method: 'POST',
      url: '/api/v1/certificates/verify',
      payload: { payload: final.jws },
    });
    expect(verified.json()).toMatchObject({ status: 'VALID', holder: { doses: 2 } });

    // The officer's lookup shows each dose with its evidence and who added it.
    const lookup = await app.inject({
      method: 'POST',
      url: '/api/v1/people/lookup',
      headers: bearer(officer.token),
      payload: { referenceId: person.referenceId },
    });
    expect(lookup.statusCode, lookup.body).toBe(200);
    expect(lookup.json().people[0].doses).toEqual([
      expect.objectContaining({
        dose: 1,
        source: 'OFFICER',
        sessionDayId: null,
        site: 'Civil Hospital, Nashik',
        vaccinator: null,
        addedByOfficer: expect.objectContaining({
          place: 'Civil Hospital, Nashik',
          evidenceReference: 'CARD-1-2041',
          note: 'vaccination card seen at the district office',
          officer: 'Test DISTRICT_OFFICER',
        }),
      }),
      expect.objectContaining({
        dose: 2,
        source: 'OFFICER',
        addedByOfficer: expect.objectContaining({ officer: 'Test STATE_OFFICER', place: 'NHS clinic, Leeds, UK' }),
      }),
    ]);
  });

  it('for a person in no district yet, is recorded in the district the request names, by an officer of it', async () => {
    const { app, db, config } = platform;
    const env = { app, db, config };
    const mobile = uniqueMobile();
    const token = await loginBeneficiary(app, mobile, uniqueIp());
    const registered = await registerPerson(app, token, { name: 'Ravi Nowhere' });
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId } = registered.json();
    const home = await db
      .selectFrom('beneficiary')
      .leftJoin('beneficiary_district', 'beneficiary_district.beneficiary_id', 'beneficiary.id')
      .select('beneficiary_district.district_id')
      .where('beneficiary.reference_id', '=', referenceId)
      .executeTakeFirstOrThrow();
    expect(home.district_id).toBeNull();
    const officer = await createActor(env, 'DISTRICT_OFFICER', HOME);
    const delhiOfficer = await createActor(env, 'DISTRICT_OFFICER', DELHI);
    const add = (actorToken: string, payload: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/people/${referenceId}/doses-elsewhere`,
        headers: bearer(actorToken),
        payload,
      });
    const lookUp = (actorToken: string, payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/v1/people/lookup', headers: bearer(actorToken), payload });

    // In no district yet: an officer finds them by the reference id they hold, never by a mobile number alone.
    const found = await lookUp(officer.token, { referenceId });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().people.map((p: { referenceId: string }) => p.referenceId)).toEqual([referenceId]);
    expect((await lookUp(officer.token, { mobile })).statusCode).toBe(404);

    const dose1On = addDays(today(), -40);
    // No district named: refused, saying what to send. A district that is not the officer's, or no district at all.
    const unnamed = await add(officer.token, evidenceFor(1, dose1On));
    expect(unnamed.statusCode, unnamed.body).toBe(422);
    expect(unnamed.json().code).toBe('PERSON_HAS_NO_DISTRICT');
    expect(unnamed.json().message).toContain('districtId');
    const notTheirs = await add(delhiOfficer.token, evidenceFor(1, dose1On, { districtId: HOME.districtId }));
    expect(notTheirs.statusCode, notTheirs.body).toBe(403);
    expect(notTheirs.json().message).toContain('outside your jurisdiction');
    expect((await add(officer.token, evidenceFor(1, dose1On, { districtId: 999_999 }))).statusCode).toBe(404);
    const day = await insertSessionDay(db, { district: HOME });
    const vaccinator = await vaccinatorFor(app, db, day.id, HOME);
    expect((await add(vaccinator.token, evidenceFor(1, dose1On, { districtId: HOME.districtId }))).statusCode).toBe(
      403,
    );
    expect(
      await db
        .selectFrom('dose')
        .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
        .select('dose.id')
        .where('beneficiary.reference_id', '=', referenceId)
        .execute(),
    ).toEqual([]);

    // HOME's officer adds dose 1, recorded in HOME: the person's district from now on, its coverage counts the dose.
    const coverageBefore = await db
      .selectFrom('district_coverage')
      .select('dose1')
      .where('district_id', '=', HOME.districtId)
      .executeTakeFirst();
    const added = await add(officer.token, evidenceFor(1, dose1On, { districtId: HOME.districtId }));
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ duplicate: false, dose: { referenceId, dose: 1, givenOn: dose1On } });
    const stored = await db
      .selectFrom('dose')
      .innerJoin('beneficiary_district', 'beneficiary_district.beneficiary_id', 'dose.beneficiary_id')
      .select(['dose.district_id', 'beneficiary_district.district_id as home'])
      .where('dose.id', '=', added.json().dose.doseId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ district_id: HOME.districtId, home: HOME.districtId });
    const coverageAfter = await db
      .selectFrom('district_coverage')
      .select('dose1')
      .where('district_id', '=', HOME.districtId)
      .executeTakeFirstOrThrow();
    expect(coverageAfter.dose1).toBeGreaterThan(coverageBefore?.dose1 ?? 0);

    // The journey hears of it: dose 1 done, dose 2 due, the certificate issued showing the dose in HOME's district.
    await waitFor(async () => (await stageOf(referenceId)).stage === 'DOSE1_DONE', 'dose 1 done');
    await waitFor(async () => (await smsTemplates(app, mobile)).includes('DOSE_RECORDED'), 'the dose SMS');
    const provisional = await waitFor(
      () =>
        db
          .selectFrom('certificate')
          .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
          .select(['certificate.jws'])
          .where('beneficiary.reference_id', '=', referenceId)
          .where('certificate.kind', '=', 'PROVISIONAL')
          .where('certificate.revoked_at', 'is', null)
          .executeTakeFirst(),
      'the provisional certificate',
    );
    expect(credentialFromJws(provisional.jws).evidence).toEqual([
      expect.objectContaining({
        dose: 1,
        date: dose1On,
        facility: { name: 'Civil Hospital, Nashik', address: { district: 'Pune', addressRegion: 'Maharashtra' } },
        recordedBy: 'OFFICER',
      }),
    ]);

    // Now in HOME: the same rules as for anyone there. Another district of the state named is refused, not ignored;
    // the officer of another state no longer finds them.
    const state = await createActor(env, 'STATE_OFFICER', HOME);
    const elsewhere = await add(state.token, evidenceFor(2, addDays(today(), -2), { districtId: MUMBAI.districtId }));
    expect(elsewhere.statusCode, elsewhere.body).toBe(422);
    expect(elsewhere.json().code).toBe('DISTRICT_NOT_THE_PERSONS');
    expect((await add(delhiOfficer.token, evidenceFor(2, addDays(today(), -2)))).statusCode).toBe(404);
    expect((await lookUp(delhiOfficer.token, { referenceId })).statusCode).toBe(404);
    const dose2 = await add(state.token, evidenceFor(2, addDays(today(), -2), { districtId: HOME.districtId }));
    expect(dose2.statusCode, dose2.body).toBe(201);
    await waitFor(async () => (await stageOf(referenceId)).stage === 'FULLY_VACCINATED', 'fully vaccinated');
  });
  it('a dose 1 given long ago brings one text about dose 2: that it is overdue, not also that it is due', async () => {
    const { app, db, config } = platform;
    const person = await bookedPerson('Sunita Late');
    const officer = await createActor({ app, db, config }, 'DISTRICT_OFFICER', HOME);
    // Covaxin's dose 2 was due from 32 days ago until 18 days ago; every text about it is already late.
    const dose1On = addDays(today(), -60);
    const added = await app.inject({
      method: 'POST',
      url: `/api/v1/people/${person.referenceId}/doses-elsewhere`,
      headers: bearer(officer.token),
      payload: evidenceFor(1, dose1On),
    });
    expect(added.statusCode, added.body).toBe(201);
    const dose2Texts = async () =>
      (await readSms(app, person.mobile)).filter((m) => m.template.startsWith('DOSE2_')).map((m) => m.template);
    // The journey sends its texts one after another, the due text first: the first to arrive tells which came.
    await waitFor(async () => (await dose2Texts()).length > 0, 'a text about dose 2');
    expect(await dose2Texts()).toEqual(['DOSE2_OVERDUE']);

    // Dose 2, given yesterday: the journey ends fully vaccinated, and what the person got about dose 2 is final.
    const dose2 = await app.inject({
      method: 'POST',
      url: `/api/v1/people/${person.referenceId}/doses-elsewhere`,
      headers: bearer(officer.token),
      payload: evidenceFor(2, addDays(today(), -1)),
    });
    expect(dose2.statusCode, dose2.body).toBe(201);
    await waitFor(async () => (await smsTemplates(app, person.mobile)).includes('FULLY_VACCINATED'), 'the SMS');
    const texts = await readSms(app, person.mobile);
    const overdue = texts.filter((m) => m.template.startsWith('DOSE2_'));
    expect(overdue.map((m) => m.template)).toEqual(['DOSE2_OVERDUE']);
    expect(overdue[0]!.body).toContain(`was due by ${addDays(dose1On, 42)}`);
    expect(texts.filter((m) => m.template === 'DOSE_RECORDED')).toHaveLength(2);
  });
});
