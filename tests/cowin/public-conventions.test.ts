/** Conventions of the public endpoints: localised fields on request, cache headers, and the per-IP rate limit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay, insertSite, PUNE } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { cowinClient, cowinDate } from './client.js';

describe('Accept-Language: hi_IN', () => {
  let platform: TestPlatform;
  let site: { id: number };
  let session: { id: string };
  beforeAll(async () => {
    platform = await startTestPlatform();
    site = await insertSite(platform.db, PUNE);
    // A spot and pincode of its own, so other tests' centres never crowd it out of the searches.
    await platform.db
      .updateTable('site')
      .set({ name_hi: 'परीक्षण केंद्र', lat: 18.4321, lng: 73.7654, pincode: 411045 })
      .where('id', '=', site.id)
      .execute();
    session = await insertSessionDay(platform.db, { siteId: site.id });
  });
  afterAll(() => platform.close());

  const hindi = { headers: { 'accept-language': 'hi_IN' } };

  it('adds the *_l fields (Hindi names we have, English where we have none); without it they are absent', async () => {
    const client = cowinClient(platform.app, '10.55.1.1');
    const url = `/v2/appointment/sessions/public/findByPin?pincode=411045&date=${cowinDate()}`;

    const plain = (await client.get(url))
      .json()
      .sessions.find((s: { session_id: string }) => s.session_id === session.id);
    expect(Object.keys(plain).filter((k) => k.endsWith('_l'))).toEqual([]);

    const localised = await client.get(url, hindi);
    expect(localised.headers.vary).toMatch(/accept-language/i);
    const mine = localised.json().sessions.find((s: { session_id: string }) => s.session_id === session.id);
    expect(mine).toMatchObject({
      name: plain.name,
      name_l: 'परीक्षण केंद्र',
      state_name_l: 'महाराष्ट्र',
      district_name_l: 'Pune',
      block_name_l: plain.block_name,
      address_l: plain.address,
    });

    const calendar = (
      await client.get(
        `/v2/appointment/sessions/public/calendarByCenter?center_id=${site.id}&date=${cowinDate()}`,
        hindi,
      )
    ).json();
    expect(calendar.centers).toMatchObject({ name_l: 'परीक्षण केंद्र', state_name_l: 'महाराष्ट्र' });

    const states = (await client.get('/v2/admin/location/states', hindi)).json().states;
    expect(
      states.every((s: { state_name_l?: string }) => typeof s.state_name_l === 'string' && s.state_name_l.length > 0),
    ).toBe(true);
    expect(states.find((s: { state_id: number }) => s.state_id === PUNE.stateId).state_name_l).toBe('महाराष्ट्र');
    expect((await client.get('/v2/admin/location/states')).json().states.some((s: object) => 'state_name_l' in s)).toBe(
      false,
    );

    const districts = (await client.get(`/v2/admin/location/districts/${PUNE.stateId}`, hindi)).json().districts;
    expect(districts.find((d: { district_id: number }) => d.district_id === PUNE.districtId)).toEqual({
      district_id: PUNE.districtId,
      district_name: 'Pune',
      district_name_l: 'Pune',
    });

    const near = (
      await client.get('/v2/appointment/centers/public/findByLatLong?lat=18.4321&long=73.7654', hindi)
    ).json().centers;
    expect(near.find((c: { center_id: number }) => c.center_id === site.id)).toMatchObject({
      name_l: 'परीक्षण केंद्र',
      district_name_l: 'Pune',
    });
  });
});

describe('the per-IP limit on public endpoints', () => {
  const publicCalls = [
    '/v2/admin/location/states',
    `/v2/admin/location/districts/${PUNE.stateId}`,
    '/v2/registration/beneficiary/genders',
    `/v2/appointment/sessions/public/findByDistrict?district_id=${PUNE.districtId}&date=${cowinDate()}`,
    `/v2/appointment/sessions/public/calendarByPin?pincode=${PUNE.pincode}&date=${cowinDate()}`,
  ];

  it('answers the call after the configured number within 5 minutes with 429, counting every public endpoint together, per address', async () => {
    const platform = await startTestPlatform({ publicRateLimitPer5Min: 5 });
    try {
      const client = cowinClient(platform.app, '10.55.2.1');
      for (const url of publicCalls) expect((await client.get(url)).statusCode, url).toBe(200);
      const over = await client.get('/v2/registration/beneficiary/idTypes');
      expect(over.statusCode).toBe(429);
      expect(over.json()).toMatchObject({
        errorCode: 'USRRES9429',
        error: expect.stringContaining('5 calls in 5 minutes'),
      });
      expect(over.headers['retry-after']).toBeDefined();
      // The OTP endpoints are public too.
      expect((await client.post('/v2/auth/public/generateOTP', { mobile: '9000000001' })).statusCode).toBe(429);

      // Another address has its own budget.
      expect((await cowinClient(platform.app, '10.55.2.2').get('/v2/admin/location/states')).statusCode).toBe(200);

      for (let i = 0; i < 5; i++)
        expect(
          (
            await platform.app.inject({
              method: 'GET',
              url: '/api/v1/reports/v2/getPublicReports',
              remoteAddress: '10.55.2.3',
            })
          ).statusCode,
        ).toBe(200);
      const reportOver = await platform.app.inject({
        method: 'GET',
        url: '/api/v1/reports/v2/getPublicReports',
        remoteAddress: '10.55.2.3',
      });
      expect(reportOver.statusCode).toBe(429);
      expect(reportOver.json().errorCode).toBe('USRRES9429');
    } finally {
      await platform.close();
    }
  });

  it('with the default of 100, the 101st public call in the window is refused', async () => {
    const platform = await startTestPlatform({ publicRateLimitPer5Min: 100 });
    try {
      const client = cowinClient(platform.app, '10.55.4.1');
      const statuses = [];
      for (let i = 0; i < 101; i++)
        statuses.push((await client.get('/v2/registration/beneficiary/genders')).statusCode);
      expect(statuses.slice(0, 100).every((s) => s === 200)).toBe(true);
      expect(statuses[100]).toBe(429);
    } finally {
      await platform.close();
    }
  });

  it('is off with RATE_LIMIT_PUBLIC_PER_5MIN=0 and with RATE_LIMITS=off', async () => {
    for (const overrides of [{ publicRateLimitPer5Min: 0 }, { publicRateLimitPer5Min: 2, rateLimitsEnabled: false }]) {
      const platform = await startTestPlatform(overrides);
      try {
        const client = cowinClient(platform.app, '10.55.3.1');
        for (let i = 0; i < 6; i++)
          expect((await client.get('/v2/registration/beneficiary/genders')).statusCode, JSON.stringify(overrides)).toBe(
            200,
          );
      } finally {
        await platform.close();
      }
    }
  });
});
