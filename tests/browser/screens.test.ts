/**
 * The main screens on a busy day, saved to test-results/screenshots/ for design review, with what each must
 * show: the national map coloured by state coverage and drilling down by click, the district console, the CSV
 * upload's per-row errors, the portal in Hindi, and the certificate verifier (offline signature check + server).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import { loginBeneficiary, registerPerson, vaccinatorFor, waitFor } from '../support/journey.js';
import { busyDayDatabase, type BusyDayDatabase } from './busy-day-scene.js';
import {
  clickInside,
  createStaff,
  screenshot,
  signInAsStaff,
  startBrowserPlatform,
  watchErrors,
  type BrowserPlatform,
} from './support.js';

let platform: BrowserPlatform;
// The war room on a busy day, in a database of its own; the other screens need the suite's worker, so the shared one.
let busyDay: BusyDayDatabase;
let busy: BrowserPlatform;

beforeAll(async () => {
  platform = await startBrowserPlatform();
  busyDay = await busyDayDatabase();
  busy = await startBrowserPlatform({ databaseUrl: busyDay.databaseUrl });
});

afterAll(async () => {
  await platform?.close();
  await busy?.close();
  await busyDay?.drop();
});

describe('main screens', () => {
  it('drills down from India to a state and a district by clicking the map', async () => {
    const { db, baseUrl } = busy;
    onTestFailed(() => busy.screenshotAll('failed-war-room'));
    const admin = await createStaff(db, 'NATIONAL_ADMIN');
    const wall = await busy.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors = watchErrors(wall);
    await signInAsStaff(wall, baseUrl, admin.username);
    await wall.goto(`${baseUrl}/#/war-room`);
    await expect
      .poll(async () => Number(await wall.getByTestId('kpi-doses-today').getAttribute('data-value')), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    const fills = await wall
      .locator('path.state-shape')
      .evaluateAll((paths) => new Set(paths.map((p) => p.getAttribute('fill'))).size);
    expect(fills).toBeGreaterThan(3);
    await wall.waitForTimeout(500);
    await screenshot(wall, 'war-room-national');

    await clickInside(wall.locator('path.state-mh'));
    await expect.poll(() => wall.url(), { timeout: 10_000 }).toContain('#/war-room/state/27');
    await expect.poll(() => wall.locator('path.district-area').count(), { timeout: 10_000 }).toBeGreaterThan(20);
    await wall.waitForTimeout(500);
    await screenshot(wall, 'war-room-state');

    await wall.locator(`path.district-${PUNE.districtId}`).dispatchEvent('click');
    await expect.poll(() => wall.url(), { timeout: 10_000 }).toContain(`#/war-room/district/${PUNE.districtId}`);
    await expect.poll(() => wall.locator('.breadcrumb').textContent(), { timeout: 10_000 }).toContain('Pune');
    await wall.waitForTimeout(500);
    await screenshot(wall, 'war-room-district');
    expect(errors).toEqual([]);
  }, 120_000);

  it('lists every problem of a bad CSV upload by row and saves nothing', async () => {
    const { db, baseUrl } = platform;
    onTestFailed(() => platform.screenshotAll('failed-planning'));
    const officer = await createStaff(db, 'DISTRICT_OFFICER', PUNE);
    const { siteId } = await insertSessionDay(db, { vaccine: 'COVAXIN' });
    const page = await platform.newPage({ viewport: { width: 1440, height: 1100 } });
    const errors = watchErrors(page);
    await signInAsStaff(page, baseUrl, officer.username);
    await page.goto(`${baseUrl}/#/planning`);
    const csv = [
      'site_id,date,vaccine,min_age,max_age,dose1_capacity,dose2_capacity,walkin_capacity,opens_at,closes_at,slot_minutes',
      `${siteId},2099-01-10,COVAXIN,18,,100,50,10,09:00,17:00,60`,
      `${siteId},2020-01-01,COVAXIN,18,,100,50,10,09:00,17:00,60`,
      `${siteId},2099-01-11,COVAXIN,eighteen,,100,50,10,17:00,09:00,60`,
    ].join('\n');
    await page.locator('textarea[name="csv"]').fill(csv, { timeout: 15_000 });
    await page.getByRole('button', { name: /^Import/ }).click();
    const table = page.getByTestId('import-errors');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    const rows = await table.locator('tbody tr td:first-child').allTextContents();
    expect(rows).toContain('2');
    expect(rows).toContain('3');
    expect(rows).not.toContain('1');
    const planned = await db
      .selectFrom('session_day')
      .select('id')
      .where('site_id', '=', siteId)
      .where('date', '>', '2098-12-31')
      .execute();
    expect(planned).toEqual([]);
    await page.locator('.csv-import').scrollIntoViewIfNeeded();
    await screenshot(page, 'planning-csv-errors', true);
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the portal in Hindi', async () => {
    const page = await platform.newPage({ viewport: { width: 420, height: 860 }, isMobile: true });
    await page.goto(`${platform.baseUrl}/#/beneficiary`);
    await page.getByTestId('language-switch').selectOption('hi', { timeout: 15_000 });
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('अपना टीका बुक करें');
    expect(await page.getByLabel('मोबाइल नंबर').count()).toBe(1);
    await screenshot(page, 'portal-hindi');
  });

  it('verifies a certificate offline with the cached keys and shows the server check when online', async () => {
    const { app, db, baseUrl } = platform;
    onTestFailed(() => platform.screenshotAll('failed-verify'));
    const day = await insertSessionDay(db, { vaccine: 'COVAXIN', walkin: 5 });
    const vaccinator = await vaccinatorFor(app, db, day.id);
    const token = await loginBeneficiary(app, uniqueMobile());
    const { referenceId, secretCode } = (await registerPerson(app, token, { name: 'Farida Khan' })).json();
    const dose = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: { authorization: `Bearer ${vaccinator.token}` },
      payload: { referenceId, secretCode, sessionDayId: day.id, vaccineCode: 'COVAXIN', batch: 'V-1' },
    });
    expect(dose.statusCode, dose.body).toBe(201);
    const certificate = await waitFor(
      () =>
        db
          .selectFrom('certificate')
          .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
          .select('certificate.jws')
          .where('beneficiary.reference_id', '=', referenceId)
          .executeTakeFirst(),
      'the certificate',
    );

    const context = await platform.newContext({ viewport: { width: 720, height: 1100 } });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = watchErrors(page);
    await page.goto(`${baseUrl}/#/verify`);
    // The keys are fetched once the page's code has loaded, after the load event: over a second when the other
    // test file beside this one keeps both cores busy (the poll's default is one second).
    await expect
      .poll(() => page.locator('.verify-page').textContent(), { timeout: 10_000 })
      .toContain('Keys on this device');
    await page.locator('textarea[name="payload"]').fill(certificate.jws);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('local-result').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('VALID');
    await expect
      .poll(() => page.getByTestId('server-answer').textContent(), { timeout: 10_000 })
      .toContain('Not revoked');
    expect(await page.getByTestId('local-result').textContent()).toContain('Farida Khan');
    await screenshot(page, 'verify-online', true);

    // In Hindi, nothing of the page left in English (the name and the vaccine are the certificate's own).
    await page.getByTestId('language-switch').selectOption('hi');
    await expect.poll(() => page.getByTestId('server-answer').textContent()).toContain('रद्द नहीं');
    // The photo ID as the certificate carries it, masked: XXXXXXXX and its last 4 digits.
    const hindi = (await page.locator('.verify-page').innerText())
      .replaceAll('Farida Khan', '')
      .replace(/X{8}\d{4}/, '');
    expect(hindi.match(/[A-Za-z]{2,}/g)?.filter((w) => !['COVAXIN', 'Covaxin'].includes(w)) ?? []).toEqual([]);
    await screenshot(page, 'verify-online-hi', true);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'verify-online-hi-390', true);
    await page.setViewportSize({ width: 720, height: 1100 });
    await page.getByTestId('language-switch').selectOption('en');
    await expect.poll(() => page.getByTestId('server-answer').textContent()).toContain('Not revoked');

    await context.setOffline(true);
    const tampered = certificate.jws.slice(0, -6) + (certificate.jws.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
    await page.locator('textarea[name="payload"]').fill(tampered);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('local-result').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('INVALID');
    await page.locator('textarea[name="payload"]').fill(certificate.jws);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('local-result').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('VALID');
    await expect.poll(() => page.getByTestId('server-answer').textContent(), { timeout: 10_000 }).toContain('Offline');
    await screenshot(page, 'verify-offline', true);
    expect(errors).toEqual([]);
  }, 120_000);
});
