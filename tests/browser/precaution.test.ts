/**
 * The precaution dose on the portal: a fully vaccinated person whose vaccine has a precaution dose is offered it
 * ("Book the precaution dose"), and once booked it is listed as the precaution dose with its stage. Screens in
 * English and Hindi at 1280×720 and 390×844 (test-results/screenshots/).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import {
  bearer,
  book,
  ensureTestVaccine,
  loginBeneficiary,
  readSms,
  registerPerson,
  stageOf,
  uniqueIp,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
import { screenshot, startBrowserPlatform, watchErrors, type BrowserPlatform } from './support.js';

let platform: BrowserPlatform;
beforeAll(async () => {
  platform = await startBrowserPlatform();
});
afterAll(async () => {
  await platform?.close();
});

const VIEWPORTS = [
  { width: 1280, height: 720, name: '1280x720' },
  { width: 390, height: 844, name: '390x844' },
];

async function portalLogin(page: Page, mobile: string) {
  await page.goto(`${platform.baseUrl}/#/beneficiary`, { timeout: 30_000 });
  await page.getByLabel('Mobile number').fill(mobile, { timeout: 15_000 });
  const otps = async () => (await readSms(platform.app, mobile)).filter((m) => m.template === 'OTP');
  const earlier = (await otps()).length;
  await page.getByRole('button', { name: 'Get OTP' }).click();
  const otp = await waitFor(async () => {
    const sms = await otps();
    return sms.length > earlier ? sms[0]!.body.match(/\b(\d{6})\b/)?.[1] : undefined;
  }, 'the login OTP');
  await page.getByLabel('OTP (6 digits)').fill(otp);
  await page.getByRole('button', { name: 'Verify and log in' }).click();
  await expect.poll(() => page.getByTestId('person-card').count(), { timeout: 15_000 }).toBeGreaterThan(0);
}

describe('the precaution dose on the portal', () => {
  it('offers the precaution dose to a fully vaccinated person and lists it once booked, in English and Hindi', async () => {
    onTestFailed(() => platform.screenshotAll('failed-precaution'));
    const { app, db } = platform;
    const vaccine = await ensureTestVaccine(db, 'TESTPRECB');
    await db
      .insertInto('precaution_interval')
      .values({ vaccine_code: vaccine, after_days: 0 })
      .onConflict((oc) => oc.column('vaccine_code').doNothing())
      .execute();
    const mobile = uniqueMobile();
    const token = await loginBeneficiary(app, mobile, uniqueIp());
    const registered = await registerPerson(app, token, { name: 'Sunita Kale', birthYear: 1958, gender: 'F' });
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId, secretCode } = registered.json();
    for (const dose of [1, 2]) {
      const day = await insertSessionDay(db, { vaccine, walkin: 5, district: PUNE });
      const vaccinator = await vaccinatorFor(app, db, day.id);
      const given = await app.inject({
        method: 'POST',
        url: '/api/v1/doses',
        headers: bearer(vaccinator.token),
        payload: { referenceId, secretCode, sessionDayId: day.id, vaccineCode: vaccine, batch: 'PRE-001' },
      });
      expect(given.json()).toMatchObject({ dose });
    }
    await waitFor(async () => (await stageOf(db, referenceId)) === 'FULLY_VACCINATED', 'FULLY_VACCINATED');

    for (const viewport of VIEWPORTS) {
      const page = await platform.newPage({ viewport, isMobile: viewport.width < 500 });
      const errors = watchErrors(page);
      await portalLogin(page, mobile);
      const card = page.getByTestId('person-card').filter({ hasText: 'Sunita Kale' });
      await expect.poll(() => card.getAttribute('data-stage')).toBe('FULLY_VACCINATED');
      await expect.poll(() => card.getByRole('button', { name: 'Book the precaution dose' }).count()).toBe(1);
      await screenshot(page, `precaution-due-${viewport.name}`, true);
      await page.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => card.getByRole('button', { name: 'एहतियाती खुराक बुक करें' }).count()).toBe(1);
      await screenshot(page, `precaution-due-${viewport.name}-hi`, true);
      await page.getByTestId('language-switch').selectOption('en');
      expect(errors).toEqual([]);
      await page.close();
    }

    const session = await insertSessionDay(db, { vaccine, district: PUNE });
    const booked = await book(app, token, referenceId, session.id);
    expect(booked.statusCode, booked.body).toBe(201);
    for (const viewport of VIEWPORTS) {
      const page = await platform.newPage({ viewport, isMobile: viewport.width < 500 });
      const errors = watchErrors(page);
      await portalLogin(page, mobile);
      const card = page.getByTestId('person-card').filter({ hasText: 'Sunita Kale' });
      await expect.poll(() => card.textContent()).toContain('Precaution dose booked');
      expect(await card.textContent()).toMatch(/Precaution dose: .+ — /);
      await screenshot(page, `precaution-booked-${viewport.name}`, true);
      await page.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => card.textContent()).toContain('एहतियाती खुराक बुक');
      await screenshot(page, `precaution-booked-${viewport.name}-hi`, true);
      await page.getByTestId('language-switch').selectOption('en');
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});
