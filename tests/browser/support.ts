/**
 * Browser end-to-end support: the real app listening on a free port (serving the built dashboard), and Debian's
 * Chromium driven by playwright-core with every request to anywhere but 127.0.0.1 aborted. Never downloads a browser.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Config } from '../../config/env.js';
import type { Db } from '../../db/connection.js';
import type { StaffRole } from '../../db/schema.js';
import { ensureDashboardBuilt } from '../../stack/dashboard-build.js';
import { dataDir, projectRoot } from '../../stack/layout.js';
import { PUNE } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { staffWithPassword, TEST_STAFF_PASSWORD } from '../support/staff.js';

export const CHROMIUM_PATH = process.env.TEEKA_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(projectRoot, 'test-results', 'screenshots');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Builds dashboard/dist when older than its sources; a lock directory keeps parallel test files from building twice. */
export async function buildDashboardOnce(): Promise<void> {
  const lock = path.join(dataDir(), 'dashboard-build.lock');
  mkdirSync(dataDir(), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than 5 minutes was left by a killed run.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (waited > 300_000) throw new Error('timed out waiting for another dashboard build');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    ensureDashboardBuilt(() => {});
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface BrowserPlatform extends TestPlatform {
  baseUrl: string;
  /** A fresh browser profile (own user-data-dir, own storage) — one per person in a scenario. */
  newContext(options?: { viewport?: { width: number; height: number }; isMobile?: boolean }): Promise<BrowserContext>;
  /** The one page of a fresh context: one person at one screen. */
  newPage(options?: { viewport?: { width: number; height: number }; isMobile?: boolean }): Promise<Page>;
  /** Screenshots of every open page (for a failing test's report). */
  screenshotAll(prefix: string): Promise<void>;
}

/** `overrides`: a `databaseUrl` of its own (tests/browser/busy-day-scene.ts), for instance. */
export async function startBrowserPlatform(overrides: Partial<Config> = {}): Promise<BrowserPlatform> {
  await buildDashboardOnce();
  // Real-length days: a person's journey timers (no-show after the slot, reminders) run on the wall clock, as a
  // person at the screen would see them; the suite's compressed days would mark a morning booking a no-show at once.
  const platform = await startTestPlatform({ rateLimitsEnabled: false, dayMs: 86_400_000, ...overrides });
  await platform.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = platform.app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const contexts: Array<{ context: BrowserContext; dir: string }> = [];

  async function newContext(
    options: { viewport?: { width: number; height: number }; isMobile?: boolean } = {},
  ): Promise<BrowserContext> {
    const dir = mkdtempSync(path.join(tmpdir(), 'teeka-chromium-'));
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1600, height: 1000 },
      isMobile: options.isMobile,
      hasTouch: options.isMobile,
      timezoneId: 'Asia/Kolkata',
      locale: 'en-IN',
    });
    // Short waits inside expect.poll, so a missing element fails the poll's own timeout, not a 30 s one.
    context.setDefaultTimeout(5_000);
    // Nothing may leave the machine: every request not to 127.0.0.1 is aborted.
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1') return route.continue();
      return route.abort('blockedbyclient');
    });
    contexts.push({ context, dir });
    return context;
  }

  return {
    ...platform,
    baseUrl,
    newContext,
    async newPage(options = {}) {
      const context = await newContext(options);
      return context.pages()[0] ?? (await context.newPage());
    },
    async screenshotAll(prefix: string) {
      let n = 0;
      for (const { context } of contexts)
        for (const page of context.pages()) await screenshot(page, `${prefix}-${++n}`).catch(() => {});
    },
    async close() {
      for (const { context, dir } of contexts) {
        await context.close().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      }
      await platform.close();
    },
  };
}

export const STAFF_PASSWORD = TEST_STAFF_PASSWORD;

/** A staff account with a real password (STAFF_PASSWORD), to sign in through the UI (tests/support/staff.ts). */
export function createStaff(db: Db, role: StaffRole, district = PUNE): Promise<{ id: string; username: string }> {
  return staffWithPassword(db, role, district);
}

export async function signInAsStaff(page: Page, baseUrl: string, username: string): Promise<void> {
  // A first visit also installs the service worker (it precaches the app): allow a loaded machine its time.
  await page.goto(`${baseUrl}/#/login`, { timeout: 30_000 });
  await page.getByLabel('Username').fill(username, { timeout: 15_000 });
  await page.getByLabel('Password').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => page.getByTestId('signed-in-as').count(), { timeout: 10_000 }).toBe(1);
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // The pointer parks in a corner, so no hover tooltip covers what the screenshot is for.
  await page.mouse.move(2, 2).catch(() => {});
  // Not one of the short waits for an element (the context's 5 s): capturing a long page takes Chromium a few
  // seconds more when the other test file running beside this one keeps both cores busy.
  await page.screenshot({ path: file, fullPage, timeout: 30_000 });
  return file;
}

/**
 * Clicks an element where a person would: at a point of the screen where the element itself is on top, as deep
 * inside it as the element allows. A map shape's bounding box holds its neighbours too, so a fixed offset into it
 * lands on whatever shape is there once the geometry changes.
 */
export async function clickInside(locator: Locator): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  const point = await locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const steps = 32;
    // hit[i][j]: a click at this grid point reaches the element; the grid's border counts as outside.
    const hit = Array.from({ length: steps + 1 }, (_, i) =>
      Array.from(
        { length: steps + 1 },
        (_, j) =>
          i > 0 &&
          j > 0 &&
          i < steps &&
          j < steps &&
          document.elementFromPoint(box.left + (box.width * i) / steps, box.top + (box.height * j) / steps) === element,
      ),
    );
    let best: { i: number; j: number; depth: number } | undefined;
    for (let i = 0; i <= steps; i++)
      for (let j = 0; j <= steps; j++) {
        if (!hit[i]![j]) continue;
        // Depth: the distance, in grid steps, to the nearest point where the click would miss.
        let depth = Infinity;
        for (let k = 0; k <= steps; k++)
          for (let l = 0; l <= steps; l++) if (!hit[k]![l]) depth = Math.min(depth, Math.hypot(i - k, j - l));
        if (!best || depth > best.depth) best = { i, j, depth };
      }
    return best && { x: box.left + (box.width * best.i) / steps, y: box.top + (box.height * best.j) / steps };
  });
  expect(point, 'a point of the screen where a click reaches the element').toBeTruthy();
  await locator.page().mouse.click(point!.x, point!.y);
}

/** Collects page errors so a test can assert the page never threw. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => {
    errors.push(error.message);
    if (process.env.TEEKA_VERBOSE) console.error(`[page error] ${error.stack ?? error.message}`);
  });
  if (process.env.TEEKA_VERBOSE)
    page.on('console', (message) => console.log(`[console] ${message.text().slice(0, 300)}`));
  return errors;
}
