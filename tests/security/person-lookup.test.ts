/**
 * Officer lookup: a district officer finds a person of their district by mobile or reference id and sees the
 * journey's history (stages, appointments, doses, SMS, certificate) masked as on the desk; a state officer of the
 * state too; desk staff only at a session day they are on. Officers elsewhere, desk staff off the day's team and
 * beneficiaries are refused, and every lookup is in the audit log with who asked and how (never the mobile).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indiaDate } from '../../domain/time.js';
import { createActor, DELHI, HOME, MUMBAI } from '../support/route-matrix.js';
import { insertSessionDay, uniqueMobile } from '../support/fixtures.js';
import {
  aadhaar,
  bearer,
  book,
  loginBeneficiary,
  registerPerson,
  uniqueIp,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

describe('looking a person up', () => {
  it("shows a district's officer the person's journey, masked and audited, and nobody outside it", async () => {
    const { app, db, config } = platform;
    const env = { app, db, config };
    const mobile = uniqueMobile();
    const idNumber = aadhaar();
    const token = await loginBeneficiary(app, mobile, uniqueIp());
    const registered = await registerPerson(app, token, { name: 'Savitri Kulkarni', birthYear: 1961, idNumber });
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId, secretCode } = registered.json();
    const day = await insertSessionDay(db, { district: HOME });
    expect((await book(app, token, referenceId, day.id)).statusCode).toBe(201);
    const vaccinator = await vaccinatorFor(app, db, day.id, HOME);
    const dose = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: bearer(vaccinator.token),
      payload: { referenceId, secretCode, sessionDayId: day.id, vaccineCode: 'COVAXIN', batch: 'LOOK-1' },
    });
    expect(dose.statusCode, dose.body).toBe(201);
    // The journey settles: dose 1 done, the SMS and the provisional certificate written.
    await waitFor(
      async () =>
        (await db
          .selectFrom('certificate')
          .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
          .select('certificate.id')
          .where('beneficiary.reference_id', '=', referenceId)
          .executeTakeFirst()) &&
        (await db
          .selectFrom('sms_message')
          .select('id')
          .where('mobile', '=', mobile)
          .where('template', '=', 'DOSE_RECORDED')
          .executeTakeFirst()),
      'the certificate and the dose SMS',
    );

    const lookUp = (actorToken: string, payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/v1/people/lookup', headers: bearer(actorToken), payload });

    const officer = await createActor(env, 'DISTRICT_OFFICER', HOME);
    const byMobile = await lookUp(officer.token, { mobile });
    expect(byMobile.statusCode, byMobile.body).toBe(200);
    const [person] = byMobile.json().people;
    expect(byMobile.json().people).toHaveLength(1);
    expect(person).toMatchObject({
      referenceId,
      name: 'Savitri Kulkarni',
      birthYear: 1961,
      idType: 1,
      idNumberMasked: `XXXXXXXX${idNumber.slice(-4)}`,
      mobileMasked: `******${mobile.slice(-4)}`,
      stage: 'DOSE1_DONE',
    });
    // Masked as on the desk: the ID number, the mobile and the secret code appear nowhere in the answer.
    expect(byMobile.body).not.toContain(idNumber);
    expect(byMobile.body).not.toContain(mobile);
    expect(byMobile.body).not.toMatch(new RegExp(`"secretCode"|"${secretCode}"`));
    expect(person.stages.map((s: { to: string }) => s.to)).toEqual(
      expect.arrayContaining(['DOSE1_BOOKED', 'DOSE1_DONE']),
    );
    expect(person.appointments).toEqual([
      expect.objectContaining({ dose: 1, status: 'COMPLETED', sessionDayId: day.id, date: indiaDate() }),
    ]);
    expect(person.doses).toEqual([
      expect.objectContaining({
        dose: 1,
        vaccineCode: 'COVAXIN',
        batch: 'LOOK-1',
        sessionDayId: day.id,
        source: 'ONLINE',
      }),
    ]);
    expect(person.sms.map((m: { template: string }) => m.template)).toContain('DOSE_RECORDED');
    expect(person.certificates).toEqual([expect.objectContaining({ kind: 'PROVISIONAL', doses: 1, revokedAt: null })]);

    const byReference = await lookUp(officer.token, { referenceId });
    expect(byReference.statusCode, byReference.body).toBe(200);
    expect(byReference.json().people.map((p: { referenceId: string }) => p.referenceId)).toEqual([referenceId]);

    // The state's officer sees the state's people; officers of another district or state get the same 404 as for
    // a mobile nobody has, so a lookup tells them nothing.
    const stateOfficer = await createActor(env, 'STATE_OFFICER', HOME);
    expect((await lookUp(stateOfficer.token, { mobile })).statusCode).toBe(200);
    const outsiders: string[] = [];
    for (const place of [MUMBAI, DELHI]) {
      const elsewhere = await createActor(env, 'DISTRICT_OFFICER', place);
      outsiders.push(elsewhere.staffId);
      const refused = await lookUp(elsewhere.token, { mobile });
      expect(refused.statusCode, refused.body).toBe(404);
      expect(refused.json().message).toMatch(/in your jurisdiction/);
      expect(refused.body).not.toContain('Savitri');
    }
    expect((await lookUp(officer.token, { mobile: uniqueMobile() })).statusCode).toBe(404);

    // Desk staff: at a session day they are on, its people only.
    const noDay = await lookUp(vaccinator.token, { referenceId });
    expect(noDay.statusCode).toBe(400);
    expect(noDay.json().code).toBe('SESSION_DAY_REQUIRED');
    const atDesk = await lookUp(vaccinator.token, { referenceId, sessionDayId: day.id });
    expect(atDesk.statusCode, atDesk.body).toBe(200);
    expect(atDesk.json().people[0].doses).toHaveLength(1);
    const otherDay = await insertSessionDay(db, { district: HOME });
    const offTeam = await lookUp(vaccinator.token, { referenceId, sessionDayId: otherDay.id });
    expect(offTeam.statusCode).toBe(403);
    const otherVaccinator = await vaccinatorFor(app, db, otherDay.id, HOME);
    // On a team, but of a day this person never came to.
    expect((await lookUp(otherVaccinator.token, { referenceId, sessionDayId: otherDay.id })).statusCode).toBe(404);

    // Not for beneficiaries, and one key at a time.
    expect((await lookUp(token, { mobile })).statusCode).toBe(403);
    expect((await lookUp(officer.token, { mobile, referenceId })).statusCode).toBe(400);
    expect((await lookUp(officer.token, {})).statusCode).toBe(400);
    expect((await lookUp(officer.token, { mobile: '12345' })).statusCode).toBe(400);

    // Audited: who looked at this person, how, and never the mobile itself.
    const { id: beneficiaryId } = await db
      .selectFrom('beneficiary')
      .select('id')
      .where('reference_id', '=', referenceId)
      .executeTakeFirstOrThrow();
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'PERSON_LOOKED_UP')
      .where('entity_type', '=', 'beneficiary')
      .where('entity_id', '=', beneficiaryId)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.actor_id)).toEqual([
      officer.staffId,
      officer.staffId,
      stateOfficer.staffId,
      vaccinator.staffId,
    ]);
    expect(audit[0]!.details).toMatchObject({ by: 'mobile', mobileMasked: `******${mobile.slice(-4)}`, shown: 1 });
    expect(audit[3]!.details).toMatchObject({ by: 'referenceId', sessionDayId: day.id });
    expect(JSON.stringify(audit)).not.toContain(mobile);
    const refusedLookups = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'PERSON_LOOKED_UP')
      .where('entity_id', '=', 'nobody-shown')
      .where('actor_id', 'in', outsiders)
      .orderBy('id')
      .execute();
    expect(refusedLookups.map((a) => a.actor_id)).toEqual(outsiders);
    expect(refusedLookups.map((a) => a.details)).toEqual(
      outsiders.map(() => expect.objectContaining({ by: 'mobile', shown: 0, withheld: 1 })),
    );
  });
});
