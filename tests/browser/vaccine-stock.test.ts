/**
 * Vaccine batches on the officers' and the vaccinator's screens: a state officer registers a batch, a district
 * officer issues vials of it to tomorrow's session from the console (bookings against doses issued), and the desk
 * picks the batch issued to its session instead of typing one; English and Hindi at 1280×720 and 390×844
 * (test-results/screenshots/).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { insertSessionDay, quietDistrict, uniqueMobile } from '../support/fixtures.js';
import { loginBeneficiary, registerPerson } from '../support/journey.js';
import { bookPeople, staffLogin } from '../sessions/support.js';
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
const tag = Math.random().toString(36).slice(2, 6).toUpperCase();

describe('vaccine batches and stock on screen', () => {
  it('a state officer registers a batch; a district officer issues it to tomorrow; the desk picks it', async () => {
    onTestFailed(() => platform.screenshotAll('failed-vaccine-stock'));
    const { app, db, baseUrl } = platform;
    for (const viewport of VIEWPORTS) {
      const size = `${viewport.width}x${viewport.height}`;
      const mobile = viewport.width < 500;
      const district = await quietDistrict(db);
      const number = `SCR${tag}${viewport.width}`;

      // The registry: a state officer registers a batch on the page.
      const stateOfficer = await createStaff(db, 'STATE_OFFICER', district);
      const registry = await platform.newPage({ viewport, isMobile: mobile });
      const registryErrors = watchErrors(registry);
      await signInAsStaff(registry, baseUrl, stateOfficer.username);
      await registry.goto(`${baseUrl}/#/batches`);
      await expect.poll(() => registry.locator('h1').textContent(), { timeout: 10_000 }).toBe('Vaccine batches');
      const form = registry.getByTestId('batch-register');
      await form.getByLabel('Vaccine').selectOption('COVAXIN', { timeout: 15_000 });
      await form.getByLabel('Batch number').fill(number.toLowerCase());
      await form.getByLabel('Manufacturer').fill('Bharat Biotech');
      await form.getByLabel('Expires on').fill(addDays(indiaDate(), 120));
      await form.getByLabel('Doses per vial').fill('20');
      await form.getByRole('button', { name: 'Register batch' }).click();
      await expect
        .poll(() => registry.getByRole('status').textContent(), { timeout: 10_000 })
        .toBe(`Batch ${number} registered.`);
      const stored = await db
        .selectFrom('vaccine_batch')
        .select(['id', 'manufacturer', 'doses_per_vial'])
        .where('vaccine_code', '=', 'COVAXIN')
        .where('batch_number', '=', number)
        .executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ manufacturer: 'Bharat Biotech', doses_per_vial: 20 });
      await screenshot(registry, `vaccine-batches-${size}`);
      await registry.getByTestId('batch-filter').selectOption('COVAXIN');
      const listed = registry.getByTestId('batch-table').locator('tr').filter({ hasText: number });
      await expect.poll(() => listed.textContent(), { timeout: 10_000 }).toContain('In date');
      await listed.scrollIntoViewIfNeeded();
      await screenshot(registry, `vaccine-batches-table-${size}`);
      await registry.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => registry.locator('h1').textContent(), { timeout: 10_000 }).toBe('टीका बैच');
      await expect.poll(() => listed.textContent()).toContain('मान्य');
      await screenshot(registry, `vaccine-batches-table-${size}-hi`);
      await registry.evaluate(() => window.scrollTo(0, 0));
      await screenshot(registry, `vaccine-batches-${size}-hi`);
      expect(registryErrors).toEqual([]);

      // The console: tomorrow's session is short until vials are issued to it.
      const tomorrow = await insertSessionDay(db, {
        district,
        vaccine: 'COVAXIN',
        date: addDays(indiaDate(), 1),
        dose1: 40,
        dose2: 0,
      });
      await bookPeople(app, tomorrow.id, 5);
      // The vials issued come from the site's store: the district's delivery is received there first.
      const storeOfficer = await staffLogin(app, db, 'DISTRICT_OFFICER', district);
      const received = await app.inject({
        method: 'POST',
        url: `/api/v1/sites/${tomorrow.siteId}/store/receipts`,
        headers: storeOfficer.headers,
        payload: { clientEventId: `vs-${tag}-${viewport.width}`, batchId: stored.id, vials: 2, deliveryNote: 'DN-1' },
      });
      expect(received.statusCode, received.body).toBe(201);
      const officer = await createStaff(db, 'DISTRICT_OFFICER', district);
      const console = await platform.newPage({ viewport, isMobile: mobile });
      const consoleErrors = watchErrors(console);
      await signInAsStaff(console, baseUrl, officer.username);
      await console.goto(`${baseUrl}/#/district`);
      const row = console.getByTestId(`stock-${tomorrow.id}`);
      await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('5 doses short');
      await row.getByLabel('Batch').selectOption(stored.id);
      await row.getByLabel('Vials').fill('1');
      await row.getByRole('button', { name: 'Issue vials' }).click();
      await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Covered');
      expect(await row.textContent()).toContain(`${number} (1 vial)`);
      await row.scrollIntoViewIfNeeded();
      await screenshot(console, `stock-tomorrow-${size}`);
      await console.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('पूरा');
      await row.scrollIntoViewIfNeeded();
      await screenshot(console, `stock-tomorrow-${size}-hi`);
      expect(consoleErrors).toEqual([]);

      // The desk: today's session has the batch issued; the vaccinator picks it.
      const today = await insertSessionDay(db, { district, vaccine: 'COVAXIN', dose1: 10, slotMinutes: 1439 });
      await db
        .insertInto('session_batch_stock')
        .values({ session_day_id: today.id, batch_id: stored.id, vials_issued: 2 })
        .execute();
      const vaccinator = await createStaff(db, 'VACCINATOR', district);
      await db
        .insertInto('session_assignment')
        .values({
          session_day_id: today.id,
          staff_id: vaccinator.id,
          session_date: indiaDate(),
          team_role: 'VACCINATOR',
        })
        .execute();
      const token = await loginBeneficiary(app, uniqueMobile());
      const { referenceId, secretCode } = (await registerPerson(app, token, { name: 'Meena Kale' })).json();
      const booked = await app.inject({
        method: 'POST',
        url: '/api/v1/appointments',
        headers: { authorization: `Bearer ${token}` },
        payload: { referenceId, sessionDayId: today.id },
      });
      expect(booked.statusCode, booked.body).toBe(201);
      const desk = await platform.newPage({ viewport, isMobile: mobile });
      const deskErrors = watchErrors(desk);
      await signInAsStaff(desk, baseUrl, vaccinator.username);
      await desk.goto(`${baseUrl}/#/vaccinator`);
      await desk.locator('.person-row').filter({ hasText: 'Meena Kale' }).click({ timeout: 15_000 });
      await desk.getByLabel(/Secret code/).fill(secretCode);
      await desk.getByRole('button', { name: 'Check identity' }).click();
      const pick = desk.getByTestId('batch-pick');
      await expect.poll(() => pick.inputValue(), { timeout: 10_000 }).toBe(number);
      await screenshot(desk, `desk-batch-pick-${size}`);
      await desk.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => pick.locator('option').first().textContent(), { timeout: 10_000 }).toContain('समाप्ति');
      await screenshot(desk, `desk-batch-pick-${size}-hi`);
      await desk.getByTestId('language-switch').selectOption('en');
      await desk.getByTestId('record-dose').click();
      await expect
        .poll(() => desk.getByTestId('desk-message').textContent(), { timeout: 10_000 })
        .toContain('Dose 1 recorded');
      const dose = await db
        .selectFrom('dose')
        .select('batch')
        .where('session_day_id', '=', today.id)
        .executeTakeFirstOrThrow();
      expect(dose.batch).toBe(number);
      expect(deskErrors).toEqual([]);
    }
  }, 240_000);
});
