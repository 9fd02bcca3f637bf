/**
 * Slot searches share one answer per search and language for the cache window (api/services/availability-cache.ts):
 * every caller in the window gets the same bytes, and they are the bytes a live answer would be, with the same
 * headers. A change within the window is seen only after it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { insertSessionDay, insertSite, insertTestState, type District } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

let live: TestPlatform;
let cached: TestPlatform;
let district: District;
let siteId: number;
const tomorrow = addDays(indiaDate(), 1);
const cowinDate = tomorrow.split('-').reverse().join('-');

beforeAll(async () => {
  // The window is longer than the file runs, so what the cache serves does not depend on how fast it runs.
  [live, cached] = await Promise.all([startTestPlatform(), startTestPlatform({ availabilityCacheMs: 600_000 })]);
  district = await insertTestState(live.db);
  siteId = (await insertSite(live.db, district)).id;
  await live.db.updateTable('site').set({ name_hi: 'परीक्षण केंद्र' }).where('id', '=', siteId).execute();
  await insertSessionDay(live.db, { siteId, date: tomorrow, vaccine: 'COVISHIELD' });
});
afterAll(async () => {
  await Promise.all([live?.close(), cached?.close()]);
});

const searches = () => [
  `/api/v2/appointment/sessions/public/findByPin?pincode=${district.pincode}&date=${cowinDate}`,
  `/api/v2/appointment/sessions/public/findByDistrict?district_id=${district.districtId}&date=${cowinDate}`,
  `/api/v2/appointment/sessions/public/calendarByPin?pincode=${district.pincode}&date=${cowinDate}`,
  `/api/v2/appointment/sessions/public/calendarByDistrict?district_id=${district.districtId}&date=${cowinDate}`,
];

const search = (platform: TestPlatform, url: string, language?: string) =>
  platform.app.inject({ method: 'GET', url, headers: language ? { 'accept-language': language } : {} });

describe('shared slot search answers', () => {
  it('send every caller the bytes and headers of the live answer, in each language', async () => {
    for (const url of searches()) {
      const bodies: Buffer[] = [];
      for (const language of [undefined, 'hi_IN']) {
        const first = await search(cached, url, language);
        const again = await search(cached, url, language);
        const fresh = await search(live, url, language);
        for (const answer of [first, again, fresh]) {
          expect(answer.statusCode, url).toBe(200);
          expect(answer.headers['content-type'], url).toBe('application/json; charset=utf-8');
          expect(answer.headers['content-length'], url).toBe(String(answer.rawPayload.length));
          expect(answer.headers['cache-control'], url).toBe('public, max-age=30');
          expect(String(answer.headers.vary), url).toMatch(/accept-language/);
        }
        expect(first.rawPayload.equals(again.rawPayload), url).toBe(true);
        expect(first.rawPayload.equals(fresh.rawPayload), url).toBe(true);
        bodies.push(first.rawPayload);
      }
      // Each language has its own shared answer: the Hindi one names the centre in Hindi.
      expect(bodies[0].toString('utf8'), url).not.toContain('परीक्षण केंद्र');
      expect(bodies[1].toString('utf8'), url).toContain('परीक्षण केंद्र');
    }
  });

  it('serve the shared answer until the window ends, while a live search sees a new session at once', async () => {
    const url = searches()[3];
    const before = await search(cached, url);
    const added = await insertSessionDay(live.db, { siteId, date: addDays(tomorrow, 1), vaccine: 'COVAXIN' });
    const during = await search(cached, url);
    const fresh = await search(live, url);
    expect(during.rawPayload.equals(before.rawPayload)).toBe(true);
    expect(during.body).not.toContain(added.id);
    expect(fresh.body).toContain(added.id);
  });
});
