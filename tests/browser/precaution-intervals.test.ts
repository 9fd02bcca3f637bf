/**
 * The precaution dose interval on the vaccine batches page: a state officer changes a vaccine's interval with a
 * reason and sees it saved; English and Hindi at 1280×720 and 390×844 (test-results/screenshots/).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { quietDistrict } from '../support/fixtures.js';
import { ensureTestVaccine } from '../support/journey.js';
import {
  createStaff,
  screenshot,
  signInAsStaff,
  startBrowserPlatform,
  watchErrors,
  type BrowserPlatform,
} from './support.js';

let platform: BrowserPlatform;
beforeAll(async () => {
  platform = await startBrowserPlatform();
});
afterAll(async () => {
  await platform?.close();
});

const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 390, height: 844 },
];

describe('precaution dose interval on screen', () => {
  it("a state officer changes a vaccine's interval with a reason", async () => {
    onTestFailed(() => platform.screenshotAll('failed-precaution-intervals'));
    const { db, baseUrl } = platform;
    for (const viewport of VIEWPORTS) {
      const size = `${viewport.width}x${viewport.height}`;
      const code = await ensureTestVaccine(db, `PS${randomBytes(2).toString('hex').toUpperCase()}${viewport.width}`);
      const officer = await createStaff(db, 'STATE_OFFICER', await quietDistrict(db));
      const page = await platform.newPage({ viewport, isMobile: viewport.width < 500 });
      const errors = watchErrors(page);
      await signInAsStaff(page, baseUrl, officer.username);
      await page.goto(`${baseUrl}/#/batches`);
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 15_000 }).toBe('Vaccine batches');
      const panel = page.getByTestId('precaution-intervals');
      const row = panel.locator(`li[data-vaccine="${code}"]`);
      await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('No precaution dose');
      await row.getByLabel('Days after dose 2').fill('180');
      await row.getByLabel('Reason').fill('Advisory group: 6 months');
      await row.getByRole('button', { name: 'Save' }).click();
      await expect
        .poll(() => panel.getByRole('status').textContent(), { timeout: 10_000 })
        .toBe(`${code}: the precaution dose is now due 180 days after dose 2.`);
      await expect.poll(() => row.textContent()).toContain('180 days after dose 2');
      const stored = await db
        .selectFrom('precaution_interval')
        .select('after_days')
        .where('vaccine_code', '=', code)
        .executeTakeFirstOrThrow();
      expect(stored.after_days).toBe(180);
      await row.scrollIntoViewIfNeeded();
      await screenshot(page, `precaution-interval-${size}`);
      await page.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('दूसरी खुराक के 180 दिन बाद');
      await row.scrollIntoViewIfNeeded();
      await screenshot(page, `precaution-interval-${size}-hi`);
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});
