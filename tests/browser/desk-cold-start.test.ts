/**
 * The vaccinator desk installed as a PWA: after one visit online, the phone opens the desk with no network at all
 * (a reload, and a new tab) from the service worker's cache, with today's list from the device, and a dose given
 * then is queued and stored once the network returns.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import { loginBeneficiary, registerPerson } from '../support/journey.js';
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

describe('vaccinator desk cold start offline', () => {
  it('opens from the service worker with no network, shows the saved list and queues a dose', async () => {
    const { app, db, baseUrl } = platform;
    onTestFailed(() => platform.screenshotAll('failed-desk-cold-start'));
    const day = await insertSessionDay(db, { vaccine: 'COVAXIN', dose1: 10, slotMinutes: 1439 });
    const vaccinator = await createStaff(db, 'VACCINATOR', PUNE);
    const { date } = await db
      .selectFrom('session_day')
      .select('date')
      .where('id', '=', day.id)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('session_assignment')
      .values({
        session_day_id: day.id,
        staff_id: vaccinator.id,
        session_date: date,
        team_role: 'VACCINATOR',
        assigned_by: null,
      })
      .execute();
    const token = await loginBeneficiary(app, uniqueMobile());
    const registered = await registerPerson(app, token, { name: 'Kavita Joshi' });
    const { referenceId, secretCode } = registered.json();
    const booked = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: { authorization: `Bearer ${token}` },
      payload: { referenceId, sessionDayId: day.id },
    });
    expect(booked.statusCode, booked.body).toBe(201);

    const context = await platform.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const phone = context.pages()[0] ?? (await context.newPage());
    const errors = watchErrors(phone);
    await signInAsStaff(phone, baseUrl, vaccinator.username);
    await phone.goto(`${baseUrl}/#/vaccinator`);
    const row = () => phone.locator('.person-row').filter({ hasText: 'Kavita Joshi' });
    await expect.poll(() => row().count(), { timeout: 15_000 }).toBe(1);
    // The service worker has installed and controls the page: the app shell is on the phone.
    await expect
      .poll(() => phone.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'), { timeout: 30_000 })
      .toBe('activated');
    const manifest = await phone.evaluate(() => document.querySelector('link[rel="manifest"]')?.getAttribute('href'));
    expect(manifest).toBeTruthy();

    await context.setOffline(true);
    await phone.reload();
    await expect
      .poll(() => phone.getByTestId('network-status').textContent(), { timeout: 15_000 })
      .toContain('Offline');
    await expect.poll(() => row().count(), { timeout: 15_000 }).toBe(1);
    expect(await phone.getByTestId('list-saved-at').count()).toBe(1);
    await screenshot(phone, 'desk-cold-start-offline');

    // A new tab with no network opens the desk too.
    const tab = await context.newPage();
    watchErrors(tab);
    await tab.goto(`${baseUrl}/#/vaccinator`);
    await expect
      .poll(() => tab.locator('.person-row').filter({ hasText: 'Kavita Joshi' }).count(), { timeout: 15_000 })
      .toBe(1);
    await tab.close();

    await row().click();
    await phone.getByLabel(/Secret code/).fill(secretCode);
    await phone.getByRole('button', { name: 'Continue (offline)' }).click();
    await phone.getByLabel('Batch number').fill('OFF-77');
    await phone.getByTestId('record-dose').click();
    await expect.poll(() => phone.getByTestId('desk-message').textContent()).toContain('Saved on this phone');

    await context.setOffline(false);
    const summary = phone.getByTestId('queue-summary');
    await expect.poll(() => summary.getAttribute('data-synced'), { timeout: 30_000 }).toBe('1');
    const doses = await db
      .selectFrom('dose')
      .select(['source', 'batch'])
      .where('session_day_id', '=', day.id)
      .execute();
    expect(doses).toEqual([{ source: 'OFFLINE', batch: 'OFF-77' }]);
    expect(errors).toEqual([]);
  }, 180_000);
});
