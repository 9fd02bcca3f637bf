/**
 * The precaution dose interval on the vaccine batches page: a state officer changes a vaccine's interval with a
 * reason and sees it saved, then gives health-care workers an interval of their own; English and Hindi at 1280×720
 * and 390×844 (test-results/screenshots/).
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
  it("a state officer changes a vaccine's interval, and a priority group's own, with a reason", async () => {
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
      const own = row.getByTestId('vaccine-interval');
      await own.getByLabel('Days after dose 2').fill('180');
      await own.getByLabel('Reason').fill('Advisory group: 6 months');
      await own.getByRole('button', { name: 'Save' }).click();
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

      // Health-care workers get theirs sooner; front-line workers stay with the vaccine's.
      const hcw = row.locator('li[data-group="HCW"]');
      await expect.poll(() => row.locator('li[data-group="FLW"]').textContent()).toContain('as the vaccine');
      await hcw.getByLabel("Group's days").fill('120');
      await hcw.getByLabel('Reason').fill('Health workers first');
      await hcw.getByRole('button', { name: 'Save' }).click();
      await expect
        .poll(() => panel.getByRole('status').textContent(), { timeout: 10_000 })
        .toBe(`${code}, Health-care workers: the precaution dose is now due 120 days after dose 2.`);
      await expect.poll(() => hcw.textContent()).toContain('120 days after dose 2');
      const group = await db
        .selectFrom('precaution_group_interval')
        .select('after_days')
        .where('vaccine_code', '=', code)
        .where('priority_group', '=', 'HCW')
        .executeTakeFirstOrThrow();
      expect(group.after_days).toBe(120);
      // The intervals' card, the groups' lines included, fits the screen's width.
      const card = await panel.evaluate((el) => ({
        right: el.getBoundingClientRect().right,
        overflow: el.scrollWidth - el.clientWidth,
      }));
      expect(card.right).toBeLessThanOrEqual(viewport.width);
      expect(card.overflow).toBeLessThanOrEqual(0);
      await row.scrollIntoViewIfNeeded();
      await screenshot(page, `precaution-interval-${size}`);
      await page.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('दूसरी खुराक के 180 दिन बाद');
      await expect.poll(() => hcw.textContent()).toContain('स्वास्थ्य');
      await expect.poll(() => hcw.textContent()).toContain('दूसरी खुराक के 120 दिन बाद');
      await expect.poll(() => row.locator('li[data-group="FLW"]').textContent()).toContain('टीके के अनुसार');
      await row.scrollIntoViewIfNeeded();
      await screenshot(page, `precaution-interval-${size}-hi`);
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});
