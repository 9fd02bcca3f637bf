/**
 * A national admin brings the district list up to date from the Planning page: Ladakh's districts created in 2024
 * are added, the war-room map draws their approximate areas at once, and officers pick them where they pick a
 * district. Screens at 1280×720 and 390×844, the war room in English and Hindi (test-results/screenshots/).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
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

/** Ladakh: GeoNames has Leh and Kargil; five districts were created in 2024. No other test touches it. */
const LADAKH = 37;
const FILE = [
  'state_id,district_id,name,name_hi,lat,lng,target_population,pincodes',
  '37,,Nubra,,34.6,77.55,,',
  '37,,Zanskar,,33.47,76.88,,',
  '',
].join('\n');

describe('importing the current district list in the browser', () => {
  it('adds the districts, draws their areas on the war-room map and lists them for planning', async () => {
    onTestFailed(() => platform.screenshotAll('failed-district-list'));
    const { db, baseUrl } = platform;
    const before = await db.selectFrom('district').select('id').where('state_id', '=', LADAKH).execute();
    const admin = await createStaff(db, 'NATIONAL_ADMIN');
    const page = await platform.newPage({ viewport: { width: 1280, height: 720 } });
    const errors = watchErrors(page);
    await signInAsStaff(page, baseUrl, admin.username);
    await page.goto(`${baseUrl}/#/planning`);
    const card = page.locator('.districts-import');
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toMatch(/India has about 780 today/);

    await card.locator('textarea').fill(FILE);
    await card.getByRole('button', { name: 'Check only' }).click();
    await expect.poll(() => card.getByRole('status').textContent(), { timeout: 10_000 }).toMatch(/Would add 2: Nubra/);
    expect(await db.selectFrom('district').select('id').where('state_id', '=', LADAKH).execute()).toEqual(before);
    await card.getByRole('button', { name: /^Import/ }).click();
    await expect.poll(() => card.getByRole('status').textContent(), { timeout: 10_000 }).toMatch(/Added 2: Nubra/);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'district-list-import-1280x720');

    const added = await db
      .selectFrom('district')
      .select(['id', 'name'])
      .where('state_id', '=', LADAKH)
      .where('name', 'in', ['Nubra', 'Zanskar'])
      .orderBy('id')
      .execute();
    expect(added.map((d) => d.name)).toEqual(['Nubra', 'Zanskar']);

    // The planning page's district picker lists them.
    const picker = page.locator('.planning > label.inline-field select');
    await expect.poll(() => picker.locator('option').allTextContents(), { timeout: 10_000 }).toContain('Nubra');

    // The war room of Ladakh draws an area for each of its four districts, the new ones included, and names none
    // as unplaced.
    await page.goto(`${baseUrl}/#/war-room/state/${LADAKH}`);
    await expect
      .poll(() => page.locator('path.district-area').count(), { timeout: 15_000 })
      .toBe(before.length + added.length);
    for (const district of added) expect(await page.locator(`path.district-${district.id}`).count()).toBe(1);
    expect(await page.getByTestId('map-unplaced').count()).toBe(0);
    expect(await page.locator('.map-credits').textContent()).toMatch(/any an admin has imported since/);
    await screenshot(page, 'war-room-imported-districts-1280x720');
    await page.getByTestId('language-switch').selectOption('hi');
    await expect.poll(() => page.locator('.map-credits').textContent(), { timeout: 10_000 }).toMatch(/आयात/);
    await screenshot(page, 'war-room-imported-districts-1280x720-hi');

    const phone = await platform.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await signInAsStaff(phone, baseUrl, admin.username);
    await phone.goto(`${baseUrl}/#/planning`);
    await expect.poll(() => phone.locator('.districts-import').count(), { timeout: 10_000 }).toBe(1);
    await phone.locator('.districts-import').scrollIntoViewIfNeeded();
    await screenshot(phone, 'district-list-import-390x844');
    expect(errors).toEqual([]);
  }, 180_000);
});
