/** A district officer sees a stalled session highlighted in the console, and extends it through the confirmation step. */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { insertSessionDay, quietDistrict } from '../support/fixtures.js';
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

describe('district console', () => {
  it('shows a stalled session with an alert and extends it after confirmation', async () => {
    const { db, baseUrl } = platform;
    onTestFailed(() => platform.screenshotAll('failed-stalled-session'));
    // A district of its own: the console lists all of today's sessions in the district, and most test files add
    // theirs to Pune's.
    const district = await quietDistrict(db);
    const place = await db
      .selectFrom('district')
      .select(['name', 'lat', 'lng'])
      .where('id', '=', district.districtId)
      .executeTakeFirstOrThrow();
    const siteName = `Stalled Test Centre ${Date.now().toString(36)}`;
    const site = await db
      .insertInto('site')
      .values({
        name: siteName,
        name_hi: null,
        address: `${siteName}, ${place.name}`,
        block: 'Sadar',
        pincode: district.pincode,
        district_id: district.districtId,
        lat: place.lat,
        lng: place.lng,
        ownership: 'GOVERNMENT',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const day = await insertSessionDay(db, {
      siteId: site.id,
      vaccine: 'COVISHIELD',
      dose1: 40,
      opensAt: '00:00:00',
      closesAt: '23:00:00',
      slotMinutes: 60,
    });
    // What the session workflow records when a session goes quiet: status STALLED, last dose long ago.
    await db
      .updateTable('session_day')
      .set({ status: 'STALLED', doses_recorded: 3, last_dose_at: new Date(Date.now() - 47 * 60_000) })
      .where('id', '=', day.id)
      .execute();
    const officer = await createStaff(db, 'DISTRICT_OFFICER', district);

    const page = await platform.newPage({ viewport: { width: 1440, height: 1000 } });
    const errors = watchErrors(page);
    await signInAsStaff(page, baseUrl, officer.username);
    await page.goto(`${baseUrl}/#/district`);
    const alert = page.getByTestId('stalled-alert');
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toContain(siteName);
    const card = page.locator(`[data-session-day-id="${day.id}"]`);
    expect(await card.getAttribute('data-status')).toBe('STALLED');
    await screenshot(page, 'district-console-stalled', true);

    const before = await db
      .selectFrom('session_day')
      .select(['closes_at', 'extended_until'])
      .where('id', '=', day.id)
      .executeTakeFirstOrThrow();
    await card.getByRole('button', { name: 'Extend' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Extend by').selectOption('30');
    await screenshot(page, 'district-console-confirm-extend');
    await dialog.getByRole('button', { name: /Confirm/ }).click();
    await expect.poll(() => page.locator('.notice').textContent(), { timeout: 20_000 }).toContain('Extend');
    expect(await page.getByRole('dialog').count()).toBe(0);

    const after = await db
      .selectFrom('session_day')
      .select(['closes_at', 'extended_until'])
      .where('id', '=', day.id)
      .executeTakeFirstOrThrow();
    expect(after.extended_until).not.toBeNull();
    expect(after.extended_until!.getTime()).toBeGreaterThan(before.extended_until?.getTime() ?? 0);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', day.id)
      .where('actor_id', '=', officer.id)
      .execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
