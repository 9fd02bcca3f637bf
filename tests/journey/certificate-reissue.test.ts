/**
 * A correction whose certificate reissue fails leaves the person with a revoked certificate and no new one: the
 * correction stands and says which kinds were not issued again, the officer's lookup shows the person waiting for
 * them, and an officer of the person's jurisdiction issues them again with a reason (audited) — once; desk staff and
 * officers elsewhere are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialFromJws } from '../../certificates/certificate-format.js';
import { correctPerson } from '../../api/services/corrections.js';
import { insertSessionDay, uniqueMobile } from '../support/fixtures.js';
import {
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

describe('issuing a certificate again after a failed reissue', () => {
  it('lets an officer issue it again, with a reason, when the reissue after a correction failed', async () => {
    const { app, db, config } = platform;
    const env = { app, db, config };
    const token = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    const registered = await registerPerson(app, token, { name: 'Kavita Rao' });
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
    const person = await db
      .selectFrom('beneficiary')
      .select('id')
      .where('reference_id', '=', referenceId)
      .executeTakeFirstOrThrow();
    const liveCertificates = () =>
      db
        .selectFrom('certificate')
        .select(['id', 'kind', 'jws'])
        .where('beneficiary_id', '=', person.id)
        .where('revoked_at', 'is', null)
        .execute();
    const [first] = await waitFor(async () => {
      const live = await liveCertificates();
      return live.length > 0 && live;
    }, 'the provisional certificate');

    // An officer's correction whose reissue fails (the signing step throws): the correction stands.
    const officer = await createActor(env, 'DISTRICT_OFFICER', HOME);
    const failing = {
      ...app.certificates,
      issue: () => Promise.reject(new Error('signing key unavailable')),
    };
    const corrected = await correctPerson(
      { db, config, certificates: failing },
      {
        beneficiaryId: person.id,
        referenceId,
        body: { name: 'Kavita Rao Patil' },
        by: { type: 'STAFF', id: officer.staffId, role: 'DISTRICT_OFFICER' },
        reason: 'married name, as on the Aadhaar card',
      },
    );
    expect(corrected.certificates).toEqual({ revoked: [first!.id], reissued: [], failed: ['PROVISIONAL'] });
    expect(await liveCertificates()).toEqual([]);

    // The lookup shows the person waiting for the certificate.
    const lookup = async (actorToken: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/people/lookup',
        headers: bearer(actorToken),
        payload: { referenceId },
      });
    const seen = await lookup(officer.token);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().people[0]).toMatchObject({ name: 'Kavita Rao Patil', certificatesToReissue: ['PROVISIONAL'] });

    const reissue = (actorToken: string, payload: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/people/${referenceId}/certificates/reissue`,
        headers: bearer(actorToken),
        payload,
      });
    expect((await reissue(vaccinator.token, { reason: 'desk' })).statusCode).toBe(403);
    const delhi = await createActor(env, 'DISTRICT_OFFICER', DELHI);
    expect((await reissue(delhi.token, { reason: 'not mine' })).statusCode).toBe(404);
    expect((await reissue(officer.token, {})).statusCode).toBe(400);

    const done = await reissue(officer.token, { reason: 'the reissue after the correction failed' });
    expect(done.statusCode, done.body).toBe(200);
    const [reissuedId] = done.json().reissued;
    const live = await liveCertificates();
    expect(live.map((c) => [c.id, c.kind])).toEqual([[reissuedId, 'PROVISIONAL']]);
    // Issued from the corrected record.
    expect(credentialFromJws(live[0]!.jws).credentialSubject.name).toBe('Kavita Rao Patil');
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'CERTIFICATE_REISSUE_RETRIED')
      .where('entity_id', '=', person.id)
      .execute();
    expect(audit).toEqual([
      {
        actor_id: officer.staffId,
        details: { kinds: ['PROVISIONAL'], reason: 'the reissue after the correction failed' },
      },
    ]);
    expect((await lookup(officer.token)).json().people[0].certificatesToReissue).toEqual([]);

    // Nothing left to issue again.
    const again = await reissue(officer.token, { reason: 'once more' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('NOTHING_TO_REISSUE');
  });
});
