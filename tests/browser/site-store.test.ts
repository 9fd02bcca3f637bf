/**
 * A site's store on screen: the district console warns of a batch in a site's store that expires within 7 days
 * and links to the store; there the officer records vials received (with the delivery note) and vials discarded,
 * and reads the stock by batch with its expiry and the ledger with the balance after each movement. English and
 * Hindi at 1280×720 and 390×844 (test-results/screenshots/).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { insertSite, quietDistrict } from '../support/fixtures.js';
import { staffLogin } from '../sessions/support.js';
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
const tag = randomUUID().slice(0, 4).toUpperCase();

describe("a site's store on screen", () => {
  it('warns of a batch expiring soon, records a receipt and a discard, and shows the stock and the ledger', async () => {
    onTestFailed(() => platform.screenshotAll('failed-site-store'));
    const { app, db, baseUrl } = platform;
    for (const viewport of VIEWPORTS) {
      const size = `${viewport.width}x${viewport.height}`;
      const district = await quietDistrict(db);
      const siteName = `Store Centre ${tag}${viewport.width}`;
      const site = await insertSite(db, district, siteName);
      const soon = `EXP${tag}${viewport.width}`;
      const fresh = `NEW${tag}${viewport.width}`;
      const [soonBatch, freshBatch] = await db
        .insertInto('vaccine_batch')
        .values([
          {
            vaccine_code: 'COVAXIN',
            batch_number: soon,
            manufacturer: 'Bharat Biotech',
            expires_on: addDays(indiaDate(), 3),
            doses_per_vial: 20,
          },
          {
            vaccine_code: 'COVAXIN',
            batch_number: fresh,
            manufacturer: 'Bharat Biotech',
            expires_on: addDays(indiaDate(), 150),
            doses_per_vial: 20,
          },
        ])
        .returning('id')
        .execute();
      const officer = await staffLogin(app, db, 'DISTRICT_OFFICER', district);
      const received = await app.inject({
        method: 'POST',
        url: `/api/v1/sites/${site.id}/store/receipts`,
        headers: officer.headers,
        payload: { clientEventId: `shot-${randomUUID()}`, batchId: soonBatch!.id, vials: 4, deliveryNote: 'DN-77' },
      });
      expect(received.statusCode, received.body).toBe(201);

      const staff = await createStaff(db, 'DISTRICT_OFFICER', district);
      const page = await platform.newPage({ viewport, isMobile: viewport.width < 500 });
      const errors = watchErrors(page);
      await signInAsStaff(page, baseUrl, staff.username);
      await page.goto(`${baseUrl}/#/district`);
      const warning = page.getByTestId('expiring-stock');
      await expect.poll(() => warning.textContent(), { timeout: 15_000 }).toContain(`${soon}, 4 vials, expires`);
      expect(await warning.textContent()).toContain('1 batch in the district');
      await warning.scrollIntoViewIfNeeded();
      await screenshot(page, `store-expiring-console-${size}`);
      await page.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => warning.textContent(), { timeout: 10_000 }).toContain('7 दिन में समाप्त');
      await screenshot(page, `store-expiring-console-${size}-hi`);
      await page.getByTestId('language-switch').selectOption('en');
      await warning.getByRole('link', { name: siteName }).click();

      // The store: the batch held, with its expiry; a receipt of the fresh batch recorded on the form.
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('Site stores');
      const soonRow = page.getByTestId(`store-batch-${soon}`);
      await expect.poll(() => soonRow.textContent(), { timeout: 10_000 }).toContain('Expires within 7 days');
      const receive = page.getByTestId('store-receive');
      await receive.getByLabel('Batch').selectOption(freshBatch!.id);
      await receive.getByLabel('Vials', { exact: true }).fill('12');
      await receive.getByLabel('Delivery note').fill('DN/2026/881');
      await receive.getByRole('button', { name: 'Record receipt' }).click();
      await expect
        .poll(() => page.getByRole('status').textContent(), { timeout: 10_000 })
        .toBe(`12 vials of ${fresh} received.`);
      const freshRow = page.getByTestId(`store-batch-${fresh}`);
      await expect.poll(() => freshRow.textContent(), { timeout: 10_000 }).toContain('In date');
      expect(await freshRow.textContent()).toContain('12');

      // The batch about to expire is discarded.
      const discard = page.getByTestId('store-discard');
      await discard.getByLabel('Batch').selectOption(soonBatch!.id);
      await discard.getByLabel('Vials', { exact: true }).fill('4');
      await discard.locator('select[name="reason"]').selectOption('EXPIRED');
      await discard.getByRole('button', { name: 'Record discard' }).click();
      await expect
        .poll(() => page.getByRole('status').textContent(), { timeout: 10_000 })
        .toBe(`4 vials of ${soon} discarded.`);
      await expect.poll(() => page.getByTestId('expiring-stock').count(), { timeout: 10_000 }).toBe(0);
      const ledger = page.getByTestId('store-ledger').locator('tbody tr');
      await expect.poll(() => ledger.count(), { timeout: 10_000 }).toBe(3);
      expect(await ledger.nth(0).textContent()).toContain('Discarded');
      expect(await ledger.nth(0).textContent()).toContain('−4');
      expect(await ledger.nth(1).textContent()).toContain('DN/2026/881');
      expect(await ledger.nth(2).textContent()).toContain('Delivery note DN-77');
      await screenshot(page, `store-${size}`);
      await page.getByTestId('store-ledger').scrollIntoViewIfNeeded();
      await screenshot(page, `store-ledger-${size}`);
      await page.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('केंद्र स्टोर');
      await expect.poll(() => ledger.nth(0).textContent()).toContain('नष्ट');
      await screenshot(page, `store-ledger-${size}-hi`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, `store-${size}-hi`);

      const movements = await db
        .selectFrom('site_stock_movement')
        .select(['kind', 'vials', 'balance', 'delivery_note', 'discard_reason', 'recorded_by'])
        .where('site_id', '=', site.id)
        .orderBy('seq')
        .execute();
      expect(movements).toEqual([
        expect.objectContaining({ kind: 'RECEIVED', vials: 4, balance: 4, delivery_note: 'DN-77' }),
        expect.objectContaining({ kind: 'RECEIVED', vials: 12, balance: 12, recorded_by: staff.id }),
        expect.objectContaining({ kind: 'DISCARDED', vials: -4, balance: 0, discard_reason: 'EXPIRED' }),
      ]);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 240_000);
});
