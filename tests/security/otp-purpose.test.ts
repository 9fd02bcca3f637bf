/**
 * An OTP is good for the one thing it was sent for. The desk's "verify by OTP" code, which the person reads out to
 * the vaccinator, must never log the vaccinator into that person's account (on /api/v1 or the Co-WIN API), nor
 * verify a registration (which also hands out tokens); and a login OTP verifies no check at the door.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../domain/codes.js';
import { insertSessionDay, uniqueMobile } from '../support/fixtures.js';
import {
  aadhaar,
  bearer,
  ensureTestVaccine,
  latestOtp,
  requestOtp,
  uniqueIp,
  vaccinatorFor,
} from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { bookedPerson } from '../desk/helpers.js';

let platform: TestPlatform;
let vaccine: string;
beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 864_000 });
  vaccine = await ensureTestVaccine(platform.db);
});
afterAll(() => platform.close());

describe('an OTP sent for a check at the desk', () => {
  it('cannot log the vaccinator into the person’s account, on /api/v1 or the Co-WIN API, and still verifies the person', async () => {
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
    // The person reads the code out at the desk.
    const otp = await latestOtp(app, person.mobile);

    const portalLogin = await app.inject({ method: 'POST', url: '/api/v1/auth/otp/verify', payload: { txnId, otp } });
    expect(portalLogin.statusCode, portalLogin.body).toBeGreaterThanOrEqual(400);
    expect(portalLogin.json()).not.toHaveProperty('token');
    expect(portalLogin.json().code).toBe('OTP_UNKNOWN');

    const cowinLogin = await app.inject({
      method: 'POST',
      url: '/api/v2/auth/public/confirmOTP',
      payload: { txnId, otp: sha256Hex(otp) },
    });
    expect(cowinLogin.statusCode, cowinLogin.body).toBeGreaterThanOrEqual(400);
    expect(cowinLogin.body).not.toContain('token');

    // Nor through a registration's verification, which also issues tokens.
    const registrationVerify = await app.inject({
      method: 'POST',
      url: `/api/v1/beneficiaries/${person.referenceId}/verify`,
      payload: { txnId, otp },
    });
    expect(registrationVerify.statusCode, registrationVerify.body).toBeGreaterThanOrEqual(400);
    expect(registrationVerify.body).not.toContain('token');

    // The refused uses spent none of its tries: the check at the door still works with it.
    const verified = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: bearer(vaccinator.token),
      payload: { sessionDayId: session.id, referenceId: person.referenceId, mobile: person.mobile, txnId, otp },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ method: 'OTP', person: { referenceId: person.referenceId } });
  });

  it('is not verified by a login OTP: the desk check needs the OTP sent for it', async () => {
    const { app, db } = platform;
    const session = await insertSessionDay(db, { vaccine });
    const person = await bookedPerson(app, session.id);
    const vaccinator = await vaccinatorFor(app, db, session.id);

    // The person logs in on their own phone; the vaccinator somehow learns that txnId and code.
    const login = await requestOtp(app, person.mobile, uniqueIp());
    expect(login.statusCode).toBe(200);
    const otp = await latestOtp(app, person.mobile);
    const atDesk = await app.inject({
      method: 'POST',
      url: '/api/v1/desk/verify',
      headers: bearer(vaccinator.token),
      payload: {
        sessionDayId: session.id,
        referenceId: person.referenceId,
        mobile: person.mobile,
        txnId: login.json().txnId,
        otp,
      },
    });
    expect(atDesk.statusCode, atDesk.body).toBe(403);
    expect(atDesk.json().code).toBe('OTP_UNKNOWN');
  });

  it('keeps a registration OTP for its registration: it does not log in', async () => {
    const { app } = platform;
    const mobile = uniqueMobile();
    const registered = await app.inject({
      method: 'POST',
      url: '/api/v1/registrations',
      remoteAddress: uniqueIp(),
      payload: {
        mobile,
        person: { name: 'Kavita Rao', birthYear: 1990, gender: 'F', idType: 1, idNumber: aadhaar() },
      },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const { txnId, referenceId } = registered.json();
    const otp = await latestOtp(app, mobile);
    const asLogin = await app.inject({ method: 'POST', url: '/api/v1/auth/otp/verify', payload: { txnId, otp } });
    expect(asLogin.statusCode).toBe(401);
    expect(asLogin.json().code).toBe('OTP_UNKNOWN');
    const verified = await app.inject({
      method: 'POST',
      url: `/api/v1/beneficiaries/${referenceId}/verify`,
      payload: { txnId, otp },
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json().tokens.token).toEqual(expect.any(String));
  });
});
