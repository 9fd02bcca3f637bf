/**
 * The war room as a state officer and a national admin read it: a state choropleth with district areas nationally,
 * district areas filled inside a state, the whole page on a 1280×720 screen, and every screen in English and Hindi
 * at 1280×720 and on a 390×844 phone (screenshots in test-results/screenshots/).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { PUNE } from '../support/fixtures.js';
import { busyDayDatabase, type BusyDayDatabase } from './busy-day-scene.js';
import {
  createStaff,
  screenshot,
  signInAsStaff,
  startBrowserPlatform,
  watchErrors,
  type BrowserPlatform,
} from './support.js';

let busyDay: BusyDayDatabase;
let platform: BrowserPlatform;

beforeAll(async () => {
  busyDay = await busyDayDatabase();
  platform = await startBrowserPlatform({ databaseUrl: busyDay.databaseUrl });
});

afterAll(async () => {
  await platform?.close();
  await busyDay?.drop();
});

const WALL = { width: 1280, height: 720 };
const PHONE = { width: 390, height: 844 };

async function openWarRoom(page: Page, path = '/war-room') {
  await page.goto(`${platform.baseUrl}/#${path}`);
  await expect
    .poll(async () => Number(await page.getByTestId('kpi-doses-today').getAttribute('data-value')), {
      timeout: 15_000,
    })
    .toBeGreaterThan(0);
}

async function inHindi(page: Page) {
  await page.getByTestId('language-switch').selectOption('hi');
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('hi');
}

/** Whether an element lies wholly inside the viewport, as it is now (nothing scrolled). */
async function whollyVisible(page: Page, testId: string): Promise<boolean> {
  return page.getByTestId(testId).evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
  });
}

describe('war-room map and layout', () => {
  it('shows India as a state choropleth with approximate district areas, and fits a 1280×720 screen', async () => {
    onTestFailed(() => platform.screenshotAll('failed-war-room-map'));
    const admin = await createStaff(platform.db, 'NATIONAL_ADMIN');
    const wall = await platform.newPage({ viewport: WALL });
    const errors = watchErrors(wall);
    await signInAsStaff(wall, platform.baseUrl, admin.username);
    await openWarRoom(wall);

    // State fills: the busy day gives states different coverage, so the choropleth uses several colours.
    const fills = await wall
      .locator('path.state-shape')
      .evaluateAll((paths) => new Set(paths.map((p) => p.getAttribute('fill'))).size);
    expect(fills).toBeGreaterThan(3);
    // District areas: one drawn area per district, outlined over the state colours, said to be approximate.
    expect(await wall.locator('path.district-area').count()).toBeGreaterThan(600);
    expect(await wall.getByTestId('approximate-areas').textContent()).toMatch(/approximate/);
    expect(await wall.locator('.map-credits summary').textContent()).toMatch(/approximate \(Voronoi\)/);
    expect(await wall.locator('.map-credits').textContent()).toMatch(/nearest to its GeoNames district centre/);
    // Throughput: small markers on top, none bigger than a few pixels, so the fill under them still shows.
    const radii = await wall
      .locator('path.throughput-marker')
      .evaluateAll((paths) => paths.map((p) => (p as SVGPathElement).getBBox().width / 2));
    expect(radii.length).toBeGreaterThan(100);
    expect(Math.max(...radii)).toBeLessThanOrEqual(5);

    // The whole war room on one 1280×720 screen: no scrolling, the 30-day chart and stalled sessions in view.
    const overflow = await wall.evaluate(() => ({
      vertical: document.documentElement.scrollHeight - window.innerHeight,
      horizontal: document.documentElement.scrollWidth - window.innerWidth,
    }));
    expect(overflow.vertical).toBeLessThanOrEqual(0);
    expect(overflow.horizontal).toBeLessThanOrEqual(0);
    for (const panel of ['chart-coverage-30-days', 'chart-doses-per-hour', 'stalled-panel', 'kpi-registrations'])
      expect(await whollyVisible(wall, panel), panel).toBe(true);

    // Dates as dd MMM, and a percent axis without a string of zeros.
    const tickLabels = wall.getByTestId('chart-coverage-30-days').locator('.recharts-cartesian-axis-tick-value');
    await expect.poll(() => tickLabels.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const ticks = await tickLabels.allTextContents();
    expect(ticks.some((tick) => /^\d{2} [A-Z][a-z]{2}$/.test(tick))).toBe(true);
    expect(ticks.filter((tick) => tick.endsWith('%')).every((tick) => !/0\.0\d/.test(tick))).toBe(true);
    await screenshot(wall, 'war-room-national-1280x720');

    // The "as of" time moves while the feed is live.
    await expect.poll(() => wall.locator('.live-badge').textContent(), { timeout: 15_000 }).toContain('LIVE');
    const asOf = await wall.getByTestId('as-of').getAttribute('data-as-of');
    await expect
      .poll(async () => Date.parse((await wall.getByTestId('as-of').getAttribute('data-as-of'))!), { timeout: 15_000 })
      .toBeGreaterThan(Date.parse(asOf!));

    await inHindi(wall);
    await expect
      .poll(() => wall.getByTestId('approximate-areas').textContent(), { timeout: 10_000 })
      .toMatch(/अनुमानित/);
    await screenshot(wall, 'war-room-national-1280x720-hi');
    expect(errors).toEqual([]);
  }, 120_000);

  it("fills a state's district areas by coverage and gives its officer the state's own registrations figure", async () => {
    onTestFailed(() => platform.screenshotAll('failed-war-room-state'));
    const officer = await createStaff(platform.db, 'STATE_OFFICER', PUNE);
    const wall = await platform.newPage({ viewport: WALL });
    const errors = watchErrors(wall);
    await signInAsStaff(wall, platform.baseUrl, officer.username);
    await openWarRoom(wall);
    expect(await wall.locator('.breadcrumb').textContent()).toContain('Maharashtra');

    const maharashtra = await platform.db
      .selectFrom('district')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state_id', '=', PUNE.stateId)
      .executeTakeFirstOrThrow();
    await expect
      .poll(() => wall.locator('path.district-area').count(), { timeout: 10_000 })
      .toBe(Number(maharashtra.n));
    const fills = await wall
      .locator('path.district-area')
      .evaluateAll((paths) => new Set(paths.map((p) => p.getAttribute('fill'))).size);
    expect(fills).toBeGreaterThan(1);
    const registrations = wall.getByTestId('kpi-registrations');
    expect(await registrations.getAttribute('data-value')).toMatch(/^\d+$/);
    expect(await registrations.textContent()).toMatch(/counted where people book/);
    expect(await whollyVisible(wall, 'chart-coverage-30-days')).toBe(true);
    expect(await whollyVisible(wall, 'stalled-panel')).toBe(true);
    await screenshot(wall, 'war-room-state-1280x720');

    await wall.locator(`path.district-${PUNE.districtId}`).dispatchEvent('click');
    await expect.poll(() => wall.url(), { timeout: 10_000 }).toContain(`#/war-room/district/${PUNE.districtId}`);
    await expect.poll(() => wall.locator('.breadcrumb').textContent(), { timeout: 10_000 }).toContain('Pune');
    await screenshot(wall, 'war-room-district-1280x720');
    await inHindi(wall);
    await screenshot(wall, 'war-room-district-1280x720-hi');
    expect(errors).toEqual([]);
  }, 120_000);

  it('reads on a phone, in English and Hindi', async () => {
    onTestFailed(() => platform.screenshotAll('failed-war-room-phone'));
    const officer = await createStaff(platform.db, 'DISTRICT_OFFICER', PUNE);
    const phone = await platform.newPage({ viewport: PHONE, isMobile: true });
    const errors = watchErrors(phone);
    await signInAsStaff(phone, platform.baseUrl, officer.username);
    await openWarRoom(phone);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(width).toBeLessThanOrEqual(0);
    await screenshot(phone, 'war-room-district-390x844', true);
    await inHindi(phone);
    await screenshot(phone, 'war-room-district-390x844-hi', true);
    expect(errors).toEqual([]);
  }, 120_000);
});
