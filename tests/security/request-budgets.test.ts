/**
 * Loops that cost the platform work, and the one budget each spends: slot searches looping dates (past the 2 s
 * shared answer) on every availability path, public or logged in; PDF downloads (each a render on the API's event
 * loop) per account and per address, on /api/v1 and the Co-WIN API alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { PUNE, uniqueMobile } from '../support/fixtures.js';
import { bearer, loginTokens, registerPerson, uniqueIp } from '../support/journey.js';
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
