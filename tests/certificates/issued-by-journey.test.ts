/** Certificates through the platform: issued by the journey after each dose, downloaded, verified, revoked. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import { ensureTestVaccine, loginBeneficiary, registerPerson, vaccinatorFor, waitFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { staffWithToken } from '../support/staff.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 864_000 });
});
afterAll(() => platform.close());

describe('certificates issued by the journey', () => {
  it('issues a provisional certificate after dose 1 that downloads, verifies, and shows revoked after a correction', async () => {
    const { app, db } = platform;
    const vaccine = await ensureTestVaccine(db);
    const session = await insertSessionDay(db, { vaccine });
    const mobile = uniqueMobile();
    const token = await loginBeneficiary(app, mobile);
    const { referenceId, secretCode } = (await registerPerson(app, token, { name: 'Certificate Holder' })).json();
    await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: { authorization: `Bearer ${token}` },
      payload: { referenceId, sessionDayId: session.id },
    });
    const vaccinator = await vaccinatorFor(app, db, session.id);
    const dose = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: { authorization: `Bearer ${vaccinator.token}` },
      payload: { referenceId, secretCode, sessionDayId: session.id, vaccineCode: vaccine, batch: 'CERT-1' },
    });
    expect(dose.statusCode, dose.body).toBe(201);

    const certificate = await waitFor(
      () =>
        db
          .selectFrom('certificate')
          .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
          .select(['certificate.id', 'certificate.jws', 'certificate.kind'])
          .where('beneficiary.reference_id', '=', referenceId)
          .executeTakeFirst(),
      'provisional certificate',
    );
    expect(certificate.kind).toBe('PROVISIONAL');

    const pdf = await app.inject({
      method: 'GET',
      url: `/api/v1/beneficiaries/${referenceId}/certificate`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const jwks = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(jwks.json().keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(jwks.json().keys[0].d).toBeUndefined();

    const valid = await app.inject({
      method: 'POST',
      url: '/api/v1/certificates/verify',
      payload: { payload: certificate.jws },
    });
    expect(valid.json()).toMatchObject({ status: 'VALID', holder: { name: 'Certificate Holder', doses: 1 } });
    const [header, body, signature] = certificate.jws.split('.');
    const tampered = `${header}.${body.slice(0, -2)}${body.slice(-2) === 'AA' ? 'AB' : 'AA'}.${signature}`;
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/certificates/verify', payload: { payload: tampered } })).json()
        .status,
    ).toBe('INVALID');

    const officer = await staffWithToken(db, undefined, 'DISTRICT_OFFICER', PUNE, { login: { app } });
    const revoke = await app.inject({
      method: 'POST',
      url: `/api/v1/certificates/${certificate.id}/revoke`,
      headers: officer.headers,
      payload: { reason: 'name corrected' },
    });
    expect(revoke.statusCode, revoke.body).toBe(200);
    expect(revoke.json().reissued).not.toBe(certificate.id);
    expect(
      (
        await app.inject({ method: 'POST', url: '/api/v1/certificates/verify', payload: { payload: certificate.jws } })
      ).json().status,
    ).toBe('REVOKED');
  });
});
