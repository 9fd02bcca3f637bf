/**
 * The Content-Security-Policy (api/plugins/security.ts) fits the dashboard as a browser runs it: every screen —
 * the portal, certificate verification, the staff sign-in; signed in as a national admin the war room (Leaflet map,
 * charts, live socket), a state, a district console, planning and status; and the vaccinator's desk — renders
 * without a single CSP violation, in Debian's Chromium.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStaff,
  signInAsStaff,
  startBrowserPlatform,
  watchErrors,
  type BrowserPlatform,
} from '../browser/support.js';

let platform: BrowserPlatform;
beforeAll(async () => {
  platform = await startBrowserPlatform();
}, 240_000);
afterAll(() => platform?.close());

/** Records every securitypolicyviolation event and every CSP console message of the page. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const fromConsole: string[] = [];
  page.on('console', (message) => {
    if (/content security policy/i.test(message.text())) fromConsole.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  return async () => [
    ...fromConsole,
    ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)),
  ];
}

describe('the dashboard under our Content-Security-Policy', () => {
  it('renders every screen, the war-room map included, without a CSP violation', async () => {
    const page = await platform.newPage();
    const errors = watchErrors(page);
    const violations = await watchViolations(page);

    for (const screen of ['/', '/#/beneficiary', '/#/verify', '/#/login']) {
      const response = await page.goto(`${platform.baseUrl}${screen}`);
      // Only the first load is a document request; the others change the hash of the same page.
      if (screen === '/') expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
      await page.waitForLoadState('networkidle');
      expect(await violations(), screen).toEqual([]);
    }

    const admin = await createStaff(platform.db, 'NATIONAL_ADMIN');
    await signInAsStaff(page, platform.baseUrl, admin.username);
    await page.goto(`${platform.baseUrl}/#/war-room`);
    // The map has drawn (Leaflet styles its panes) and the live socket is up.
    await expect.poll(() => page.locator('.leaflet-container').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(1_500);
    expect(await violations(), '/#/war-room').toEqual([]);
    for (const screen of ['/#/war-room/state/27', '/#/district/27024', '/#/planning', '/#/identity', '/#/status']) {
      await page.goto(`${platform.baseUrl}${screen}`);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(1_000);
      expect(await violations(), screen).toEqual([]);
    }
    // The status page (the last one above) reads the public /ready, which says ready and names no dependency.
    await expect.poll(() => page.getByTestId('readiness').getAttribute('data-ready')).toBe('true');
    expect(await page.locator('.status-page [role="status"]').textContent()).toContain('All systems operational');

    const desk = await platform.newPage();
    const deskViolations = await watchViolations(desk);
    const vaccinator = await createStaff(platform.db, 'VACCINATOR');
    await signInAsStaff(desk, platform.baseUrl, vaccinator.username);
    await desk.goto(`${platform.baseUrl}/#/vaccinator`);
    await desk.waitForLoadState('networkidle');
    await desk.waitForTimeout(1_000);
    expect(await deskViolations(), '/#/vaccinator').toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
