/**
 * Loops that cost the platform work, and the one budget each spends: slot searches looping dates (past the 2 s
 * shared answer) on every availability path, public or logged in; PDF downloads (each a render on the API's event
 * loop) per account and per address, on /api/v1 and the Co-WIN API alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { PUNE, uniqueMobile } from '../support/fixtures.js';
import { aadhaar, bearer, loginTokens, registerPerson, uniqueIp } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let capped: TestPlatform;
beforeAll(async () => {
  capped = await startTestPlatform({ publicRateLimitPer5Min: 4, availabilityCacheMs: 2_000 });
});
afterAll(() => capped?.close());

const cowinDate = (iso: string) => iso.split('-').reverse().join('-');

describe('slot searches', () => {
  it('spend one budget per address on every path: /api/v1/sessions, Co-WIN public and Co-WIN logged in', async () => {
    const ip = uniqueIp();
    const { token } = await loginTokens(capped.app, uniqueMobile(), uniqueIp());
    const search = (url: string, headers: Record<string, string> = {}) =>
      capped.app.inject({ method: 'GET', url, remoteAddress: ip, headers });
    const today = indiaDate();
    // Each loop turn asks for another date, so the shared 2 s answer never serves it.
    const answers = [
      await search(`/api/v1/sessions?districtId=${PUNE.districtId}&date=${addDays(today, 1)}`),
      await search(`/api/v1/sessions?districtId=${PUNE.districtId}&date=${addDays(today, 2)}`),
      await search(
        `/api/v2/appointment/sessions/public/findByDistrict?district_id=${PUNE.districtId}&date=${cowinDate(addDays(today, 3))}`,
      ),
      await search(
        `/api/v2/appointment/sessions/findByDistrict?district_id=${PUNE.districtId}&date=${cowinDate(addDays(today, 4))}`,
        bearer(token),
      ),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);

    const overV1 = await search(`/api/v1/sessions?districtId=${PUNE.districtId}&date=${addDays(today, 5)}`);
    expect(overV1.statusCode).toBe(429);
    expect(overV1.json()).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('4 calls') });
    expect(overV1.headers['retry-after']).toBeDefined();
    const overBearer = await search(
      `/api/v2/appointment/sessions/calendarByPin?pincode=${PUNE.pincode}&date=${cowinDate(addDays(today, 6))}`,
      bearer(token),
    );
    expect(overBearer.statusCode).toBe(429);
    expect(overBearer.json().errorCode).toBe('USRRES9429');

    // Another address searches on.
    const other = await capped.app.inject({
      method: 'GET',
      url: `/api/v1/sessions?districtId=${PUNE.districtId}`,
      remoteAddress: uniqueIp(),
    });
    expect(other.statusCode).toBe(200);
  });
});

describe('PDF downloads', () => {
  it('are limited to 10 a minute per account, counted on the portal and the Co-WIN API together', async () => {
    const { token } = await loginTokens(capped.app, uniqueMobile(), uniqueIp());
    const person = await registerPerson(capped.app, token);
    expect(person.statusCode, person.body).toBe(201);
    const { referenceId } = person.json();
    const download = (i: number) =>
      capped.app.inject({
        method: 'GET',
        url:
          i % 2
            ? `/api/v1/beneficiaries/${referenceId}/certificate`
            : `/api/v2/registration/certificate/public/download?beneficiary_reference_id=${referenceId}`,
        headers: bearer(token),
        // A new address each time: the account's own budget is what stops the loop.
        remoteAddress: uniqueIp(),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await download(i)).statusCode);
    // No certificate yet (404), but every request is counted before anything is looked up or rendered.
    expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
    expect(statuses[10]).toBe(429);
    const over = await download(1);
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('PDF downloads') });
    expect(over.headers['retry-after']).toBeDefined();
  });
});

describe('the unauthenticated registration route', () => {
  it('is no free oracle of registered photo IDs: refused registrations spend the address’s and the mobile’s OTP caps', async () => {
    const otpCapped = await startTestPlatform({ otpPerIpPerHour: 3 });
    try {
      const { token } = await loginTokens(otpCapped.app, uniqueMobile(), uniqueIp());
      const idNumber = aadhaar();
      expect((await registerPerson(otpCapped.app, token, { idNumber })).statusCode).toBe(201);
      const probe = (mobile: string, ip: string) =>
        otpCapped.app.inject({
          method: 'POST',
          url: '/api/v1/registrations',
          remoteAddress: ip,
          payload: { mobile, person: { name: 'Asha Devi', birthYear: 1970, gender: 'F', idType: 1, idNumber } },
        });
      // One address asks about the same ID from new mobiles each time.
      const ip = uniqueIp();
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await probe(uniqueMobile(), ip));
      expect(answers.map((a) => a.statusCode)).toEqual([409, 409, 409, 429]);
      expect(answers[3].json().code).toBe('TOO_MANY_OTPS');
      // And one mobile from new addresses: its 5 OTPs an hour.
      const mobile = uniqueMobile();
      const byMobile = [];
      for (let i = 0; i < 6; i++) byMobile.push((await probe(mobile, uniqueIp())).statusCode);
      expect(byMobile).toEqual([409, 409, 409, 409, 409, 429]);
      // The 409 says only that the ID is taken, and how its holder can get it back.
      const { code, message, details } = answers[0].json();
      expect(code).toBe('IDENTITY_ALREADY_REGISTERED');
      expect(message).toContain('a district officer can release it');
      expect(details).toBeUndefined();
    } finally {
      await otpCapped.close();
    }
  });
});
