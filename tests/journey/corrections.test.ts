/**
 * Corrections end to end through the API: a vaccinated person corrects their name and year of birth once from the
 * portal, and their certificate is revoked and issued again with the corrected details (the new QR carries the new
 * name; the old one verifies as revoked); a second request is refused. A district officer corrects the photo ID
 * with a reason — never to an ID someone else holds — and the certificate is issued again; officers elsewhere,
 * desk staff and requests without a reason are refused; every correction is audited and shown in the lookup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialFromJws } from '../../certificates/certificate-format.js';
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
import { createActor, DELHI, HOME } from '../support/route-matrix.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

describe("correcting a person's details", () => {
  it('reissues the certificate with the corrected details, once for the person, with a reason for an officer', async () => {
    const { app, db, config } = platform;
    const env = { app, db, config };
    const mobile = uniqueMobile();
    const firstId = aadhaar();
    const token = await loginBeneficiary(app, mobile, uniqueIp());
    const registered = await registerPerson(app, token, { name: 'Sunil Kumbar', birthYear: 1968, idNumber: firstId });
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId, secretCode } = registered.json();
    const day = await insertSessionDay(db, { district: HOME });
    expect((await book(app, token, referenceId, day.id)).statusCode).toBe(201);
    const vaccinator = await vaccinatorFor(app, db, day.id, HOME);
    const dose = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: bearer(vaccinator.token),
      payload: { referenceId, secretCode, sessionDayId: day.id, vaccineCode: 'COVAXIN', batch: 'COR-1' },
    });
    expect(dose.statusCode, dose.body).toBe(201);
    const liveCertificate = () =>
      db
        .selectFrom('certificate')
        .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
        .select(['certificate.id', 'certificate.jws'])
        .where('beneficiary.reference_id', '=', referenceId)
        .where('certificate.revoked_at', 'is', null)
        .executeTakeFirst();
    const first = await waitFor(liveCertificate, 'the provisional certificate');
    expect(credentialFromJws(first.jws).credentialSubject.name).toBe('Sunil Kumbar');
    const verify = async (jws: string) =>
      (await app.inject({ method: 'POST', url: '/api/v1/certificates/verify', payload: { payload: jws } })).json();

    // The person corrects their name and year of birth from the portal.
    const correct = (payload: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/beneficiaries/${referenceId}/correction`,
        headers: bearer(token),
        payload,
      });
    const mine = await correct({ name: 'Sunil Kumbhar', birthYear: 1967 });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toMatchObject({
      fields: ['name', 'birthYear'],
      person: { name: 'Sunil Kumbhar', birthYear: 1967, idNumberMasked: `XXXXXXXX${firstId.slice(-4)}` },
      certificates: { revoked: [first.id] },
    });
    const [secondId] = mine.json().certificates.reissued;
    const second = (await liveCertificate())!;
    expect(second.id).toBe(secondId);
    // The new QR carries the corrected details; the old one verifies as revoked.
    expect(credentialFromJws(second.jws).credentialSubject).toMatchObject({ name: 'Sunil Kumbhar' });
    expect(await verify(second.jws)).toMatchObject({ status: 'VALID', holder: { name: 'Sunil Kumbhar', doses: 1 } });
    expect(await verify(first.jws)).toMatchObject({ status: 'REVOKED', holder: { name: 'Sunil Kumbar' } });
    // The certificate the portal downloads is the new one.
    const pdf = await app.inject({
      method: 'GET',
      url: `/api/v1/beneficiaries/${referenceId}/certificate`,
      headers: bearer(token),
    });
    expect(pdf.headers['content-disposition']).toContain(secondId);

    // Once only; the portal knows it.
    const again = await correct({ name: 'Sunil K Kumbhar' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CORRECTION_USED');
    const listed = await app.inject({ method: 'GET', url: '/api/v1/beneficiaries', headers: bearer(token) });
    expect(listed.json().beneficiaries[0]).toMatchObject({ name: 'Sunil Kumbhar', canCorrectDetails: false });

    // An officer corrects the photo ID, never to one someone else holds (no proxies).
    const officer = await createActor(env, 'DISTRICT_OFFICER', HOME);
    const officerCorrects = (actorToken: string, payload: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/people/${referenceId}/correction`,
        headers: bearer(actorToken),
        payload,
      });
    const takenId = aadhaar();
    const otherToken = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    expect((await registerPerson(app, otherToken, { idNumber: takenId })).statusCode).toBe(201);
    const proxy = await officerCorrects(officer.token, { idType: 1, idNumber: takenId, reason: 'Aadhaar card seen' });
    expect(proxy.statusCode).toBe(409);
    expect(proxy.json().code).toBe('IDENTITY_ALREADY_REGISTERED');
    expect(
      (await officerCorrects(officer.token, { idType: 1, idNumber: '123456789012', reason: 'typo' })).statusCode,
    ).toBe(400);
    expect((await officerCorrects(officer.token, { idType: 1, idNumber: aadhaar() })).statusCode).toBe(400);
    expect((await officerCorrects(officer.token, { gender: 'F' /* no reason */ })).statusCode).toBe(400);
    expect((await officerCorrects(officer.token, { name: 'Sunil Kumbhar', reason: 'same' })).statusCode).toBe(422);
    const elsewhere = await createActor(env, 'DISTRICT_OFFICER', DELHI);
    expect((await officerCorrects(elsewhere.token, { gender: 'F', reason: 'not mine' })).statusCode).toBe(404);
    expect((await officerCorrects(vaccinator.token, { gender: 'F', reason: 'desk' })).statusCode).toBe(403);
    expect((await officerCorrects(token, { gender: 'F', reason: 'myself' })).statusCode).toBe(403);

    const rightId = aadhaar();
    const byOfficer = await officerCorrects(officer.token, {
      idType: 1,
      idNumber: rightId,
      reason: 'Aadhaar card seen at the district office; two digits were swapped',
    });
    expect(byOfficer.statusCode, byOfficer.body).toBe(200);
    expect(byOfficer.json()).toMatchObject({
      fields: ['photoId'],
      person: { name: 'Sunil Kumbhar', idNumberMasked: `XXXXXXXX${rightId.slice(-4)}` },
      certificates: { revoked: [secondId] },
    });
    const third = (await liveCertificate())!;
    expect(credentialFromJws(third.jws).credentialSubject.photoId).toBe(`XXXXXXXX${rightId.slice(-4)}`);
    expect((await verify(second.jws)).status).toBe('REVOKED');
    // The corrected ID is this person's now: nobody registers it again; the wrong one is free for its holder.
    const newcomer = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    expect((await registerPerson(app, newcomer, { idNumber: rightId })).statusCode).toBe(409);
    expect((await registerPerson(app, newcomer, { idNumber: firstId })).statusCode).toBe(201);

    // Audited, with the officer's reason; the ID number is nowhere in the audit log.
    const { id: beneficiaryId } = await db
      .selectFrom('beneficiary')
      .select('id')
      .where('reference_id', '=', referenceId)
      .executeTakeFirstOrThrow();
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_type', 'actor_id', 'details'])
      .where('action', '=', 'PERSON_CORRECTED')
      .where('entity_id', '=', beneficiaryId)
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      expect.objectContaining({
        actor_type: 'BENEFICIARY',
        details: expect.objectContaining({ fields: ['name', 'birthYear'] }),
      }),
      expect.objectContaining({
        actor_type: 'STAFF',
        actor_id: officer.staffId,
        details: expect.objectContaining({ fields: ['photoId'], reason: expect.stringMatching(/two digits/) }),
      }),
    ]);
    const revocations = await db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'CERTIFICATE_REVOKED')
      .where('entity_id', 'in', [first.id, secondId])
      .execute();
    expect(revocations).toHaveLength(2);
    const everything = JSON.stringify(
      await db.selectFrom('audit_log').select('details').where('entity_id', '=', beneficiaryId).execute(),
    );
    expect(everything).not.toContain(rightId);
    expect(everything).not.toContain(firstId);

    // The officer's lookup shows both corrections, masked.
    const lookup = await app.inject({
      method: 'POST',
      url: '/api/v1/people/lookup',
      headers: bearer(officer.token),
      payload: { referenceId },
    });
    expect(lookup.statusCode, lookup.body).toBe(200);
    expect(lookup.json().people[0].corrections).toEqual([
      expect.objectContaining({
        by: 'PERSON',
        before: expect.objectContaining({ name: 'Sunil Kumbar', birthYear: 1968 }),
        after: expect.objectContaining({ name: 'Sunil Kumbhar', birthYear: 1967 }),
      }),
      expect.objectContaining({
        by: 'OFFICER',
        fields: ['photoId'],
        after: expect.objectContaining({ idNumberMasked: `XXXXXXXX${rightId.slice(-4)}` }),
      }),
    ]);
    expect(lookup.body).not.toContain(rightId);
  });
});
