/**
 * The state officer's priority-groups screen: phases written on the page and saved (what the bookings then meet),
 * in English and Hindi at 1280×720 and 390×844 (test-results/screenshots/).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { insertTestState, uniqueMobile } from '../support/fixtures.js';
import { aadhaar } from '../support/journey.js';
import {
  createStaff,
  screenshot,
  signInAsStaff,
  startBrowserPlatform,
  watchErrors,
  type BrowserPlatform,
} from './support.js';

const WORKER_LIST_HEADER = 'name,birth_year,gender,mobile,id_type,id_number,comorbidity';

let platform: BrowserPlatform;
beforeAll(async () => {
  platform = await startBrowserPlatform();
});
afterAll(async () => {
  await platform?.close();
});

describe('eligibility phases on the priority-groups screen', () => {
  it('are written and saved by the state officer, in English and Hindi', async () => {
    onTestFailed(() => platform.screenshotAll('failed-priority-groups'));
    const { db, baseUrl } = platform;
    for (const viewport of [
      { width: 1280, height: 720 },
      { width: 390, height: 844 },
    ]) {
      const place = await insertTestState(db);
      const officer = await createStaff(db, 'STATE_OFFICER', place);
      const page = await platform.newPage({ viewport, isMobile: viewport.width < 500 });
      const errors = watchErrors(page);
      await signInAsStaff(page, baseUrl, officer.username);
      await page.goto(`${baseUrl}/#/priority-groups`);
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('Priority groups and phases');
      await expect.poll(() => page.locator('.priority-page').textContent()).toContain('No phases');

      const opens = addDays(indiaDate(), 7);
      await page.getByRole('button', { name: 'Add a phase' }).click();
      await page.getByTestId('phase-name-0').fill('Phase 1');
      await page.getByTestId('phase-opens-0').fill(indiaDate());
      const first = page.locator('.phase-row').nth(0);
      await first.getByLabel('Everyone').uncheck();
      await first.getByLabel('Health-care workers').check();
      await first.getByLabel('Front-line workers').check();
      await page.getByRole('button', { name: 'Add a phase' }).click();
      await page.getByTestId('phase-name-1').fill('Phase 2');
      await page.getByTestId('phase-opens-1').fill(opens);
      const second = page.locator('.phase-row').nth(1);
      await second.getByLabel('From age').fill('60');
      await page.getByTestId('phases-save').click();
      await expect
        .poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 })
        .toBe('Saved: 2 phases.');

      const stored = await db
        .selectFrom('eligibility_phase')
        .select(['name', 'opens_on', 'groups', 'min_age', 'max_age'])
        .where('state_id', '=', place.stateId)
        .orderBy('opens_on')
        .execute();
      expect(stored).toEqual([
        { name: 'Phase 1', opens_on: indiaDate(), groups: ['HCW', 'FLW'], min_age: 18, max_age: null },
        { name: 'Phase 2', opens_on: opens, groups: ['GENERAL'], min_age: 60, max_age: null },
      ]);

      // A worker list with a problem: refused whole, the row's problem shown; then a good one registered.
      const mobile = uniqueMobile();
      const good = `Anita Sharma,1988,F,${mobile},1,${aadhaar()},N`;
      await page
        .locator('textarea[name="worker-list"]')
        .fill([WORKER_LIST_HEADER, good, `Rahul Verma,1975,X,${uniqueMobile()},1,${aadhaar()},N`].join('\n'));
      await page.getByRole('button', { name: 'Register the list' }).click();
      await expect
        .poll(() => page.getByTestId('list-errors').textContent(), { timeout: 10_000 })
        .toContain('gender must be M, F or O');
      expect(await page.getByRole('alert').first().textContent()).toContain(
        '1 row has problems; nobody was registered.',
      );
      const size = `${viewport.width}x${viewport.height}`;
      await screenshot(page, `priority-groups-list-refused-${size}`, true);
      await page.locator('textarea[name="worker-list"]').fill([WORKER_LIST_HEADER, good].join('\n'));
      await page.getByRole('button', { name: 'Register the list' }).click();
      await expect
        .poll(() => page.getByTestId('list-result').textContent(), { timeout: 10_000 })
        .toBe('1 worker registered and invited by SMS; 0 already listed.');

      await screenshot(page, `priority-groups-${size}`, true);
      await page.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('प्राथमिकता समूह और चरण');
      await expect.poll(() => page.getByRole('status').first().textContent()).toBe('सहेजा गया: 2 चरण।');
      await expect
        .poll(() => page.getByTestId('list-result').textContent())
        .toBe('1 कर्मी पंजीकृत हुए और उन्हें SMS भेजा गया; 0 पहले से सूचीबद्ध।');
      await screenshot(page, `priority-groups-${size}-hi`, true);
      expect(errors).toEqual([]);
    }
  }, 120_000);
});
