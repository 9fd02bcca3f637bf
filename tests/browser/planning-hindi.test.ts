/**
 * The district's planning page in Hindi: every label, heading, button, status and message is Hindi; what is left
 * in Latin letters is data (site names, vaccine codes, CSV column names). At 1280×720 and 390×844 in English and
 * Hindi (test-results/screenshots/), and at phone width nothing is wider than the screen (wide tables scroll inside their card).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { insertSessionDay, PUNE } from '../support/fixtures.js';
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

/** Words in Latin letters on the page (form values and code left out), less the data the page shows. */
async function englishLeft(page: import('playwright-core').Page, data: string[]): Promise<string[]> {
  const text = await page.locator('.page.planning').evaluate((root) => {
    const parts: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement!;
      if (parent.closest('code, textarea, .mono, select') || !parent.checkVisibility()) continue;
      parts.push(node.textContent ?? '');
    }
    return parts.join(' ');
  });
  let rest = text;
  for (const d of data) rest = rest.split(d).join(' ');
  return rest.match(/[A-Za-z]{2,}/g) ?? [];
}

describe('the planning page', () => {
  it('is all Hindi when the language is Hindi, and fits a phone', async () => {
    onTestFailed(() => platform.screenshotAll('failed-planning-hindi'));
    const { db, baseUrl } = platform;
    const day = await insertSessionDay(db, { vaccine: 'COVAXIN' });
    const site = await db.selectFrom('site').select('name').where('id', '=', day.siteId).executeTakeFirstOrThrow();
    const officer = await createStaff(db, 'DISTRICT_OFFICER', PUNE);
    for (const viewport of [
      { width: 1280, height: 720 },
      { width: 390, height: 844 },
    ]) {
      const size = `${viewport.width}x${viewport.height}`;
      const page = await platform.newPage({ viewport, isMobile: viewport.width < 500 });
      const errors = watchErrors(page);
      await signInAsStaff(page, baseUrl, officer.username);
      await page.goto(`${baseUrl}/#/planning`);
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 15_000 }).toBe('Planning');
      await expect.poll(() => page.locator('.planning-grid').textContent(), { timeout: 15_000 }).toContain(site.name);
      // The forms too (adding a site, planning a day), opened.
      await page
        .locator('.page.planning details')
        .evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      await screenshot(page, `planning-${size}`, true);

      await page.getByTestId('language-switch').selectOption('hi', { timeout: 15_000 });
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('योजना');
      const grid = page.locator('.planning-grid');
      expect(await grid.textContent()).toContain('सत्र दिवस');
      expect(await page.getByRole('button', { name: 'केवल जाँचें' }).count()).toBe(1);
      // Data: the district's sites (other tests add theirs to the same district) and the vaccines' codes.
      const sites = await db.selectFrom('site').select('name').where('district_id', '=', PUNE.districtId).execute();
      const vaccines = await db.selectFrom('vaccine').select('code').execute();
      // A file with problems: each row's problems are worded in Hindi too (dates, values and columns are data).
      await page
        .locator('textarea[name="csv"]')
        .fill(
          `site_id,date,vaccine,min_age,max_age,dose1_capacity,dose2_capacity,walkin_capacity,opens_at,closes_at,slot_minutes\n` +
            `${day.siteId},2021-01-16,COVAXIN,18,,10,10,0,09:00,08:00,30\n` +
            `999999999,2099-01-01,COVAXIN,18,,ten,10,0,09:00,17:00,30\n`,
        );
      await page.getByRole('button', { name: 'केवल जाँचें' }).click();
      const problems = page.getByTestId('import-errors');
      await expect.poll(() => problems.locator('tbody tr').count(), { timeout: 15_000 }).toBe(4);
      expect(await problems.textContent()).toContain('2021-01-16 बीत चुकी है');
      expect(await problems.textContent()).toContain('केंद्र 999999999 मौजूद नहीं है');
      await problems.scrollIntoViewIfNeeded();
      await screenshot(page, `planning-problems-${size}-hi`);
      const data = [...sites.map((s) => s.name), ...vaccines.map((v) => v.code), 'CSV', 'dose1_capacity', 'ten'];
      expect(
        await englishLeft(
          page,
          data.sort((a, b) => b.length - a.length),
        ),
      ).toEqual([]);
      await screenshot(page, `planning-${size}-hi`, true);
      // At phone width the page scrolls down, not sideways: wide tables scroll inside their card.
      const wide = await page.evaluate((width) => {
        const out: string[] = [];
        for (const el of document.querySelectorAll('.page.planning *'))
          if (el.getBoundingClientRect().right > width + 1 && !el.closest('.table-scroll'))
            out.push(`${el.tagName.toLowerCase()}.${el.className}`);
        return out.slice(0, 10);
      }, viewport.width);
      expect(wide).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      await page.getByTestId('language-switch').selectOption('en');
      await expect.poll(() => problems.textContent()).toContain('2021-01-16 is in the past');
      await problems.scrollIntoViewIfNeeded();
      await screenshot(page, `planning-problems-${size}`);
      expect(errors).toEqual([]);
    }
  });
});
