/**
 * The citizen portal on a phone in Hindi: OTP resend after the cool-down and change of number, log-in with the
 * resent OTP, registering a person, with no English word left on these screens; at 390 px nothing runs off the
 * screen, the navigation is all visible and the 4-digit secret code sits on one line.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { uniqueMobile } from '../support/fixtures.js';
import { aadhaar, readSms } from '../support/journey.js';
import { screenshot, startBrowserPlatform, watchErrors, type BrowserPlatform } from './support.js';

let platform: BrowserPlatform;

beforeAll(async () => {
  platform = await startBrowserPlatform();
});

afterAll(async () => {
  await platform?.close();
});

/** Latin words on the page's main content and header, apart from what the person typed or the data itself. */
async function englishWords(page: Page, allowed: readonly string[]): Promise<string[]> {
  const text = await page.evaluate(
    () => `${document.querySelector('header')?.innerText} ${document.querySelector('main')?.innerText}`,
  );
  const words = text.match(/[A-Za-z]{2,}/g) ?? [];
  // The brand and the other language's own name in the switch are meant to be Latin.
  return words.filter((word) => !['Teeka', 'English', ...allowed].includes(word));
}

async function otps(mobile: string): Promise<string[]> {
  return (await readSms(platform.app, mobile))
    .filter((m) => m.template === 'OTP')
    .map((m) => m.body.match(/\b(\d{6})\b/)![1]!);
}

async function assertFitsPhone(page: Page) {
  const layout = await page.evaluate(() => ({
    pageWidth: document.documentElement.scrollWidth,
    nav: [...document.querySelectorAll('.nav-link')].map((link) => link.getBoundingClientRect().right),
  }));
  expect(layout.pageWidth).toBeLessThanOrEqual(390);
  for (const right of layout.nav) expect(right).toBeLessThanOrEqual(390);
}

describe('the portal on a phone in Hindi', () => {
  it('resends the OTP after the cool-down, changes the number, logs in and registers with no English left', async () => {
    onTestFailed(() => platform.screenshotAll('failed-portal'));
    const page = await platform.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    const errors = watchErrors(page);
    await page.goto(`${platform.baseUrl}/#/beneficiary`, { timeout: 30_000 });
    await page.getByTestId('language-switch').selectOption('hi', { timeout: 15_000 });
    await expect.poll(() => page.locator('h1').textContent()).toBe('अपना टीका बुक करें');
    await assertFitsPhone(page);

    // A wrong number first: change it.
    const wrongNumber = uniqueMobile();
    await page.getByLabel('मोबाइल नंबर').fill(wrongNumber);
    await page.getByRole('button', { name: 'ओटीपी पाएँ' }).click();
    await page.getByRole('button', { name: 'नंबर बदलें' }).click();
    const mobile = uniqueMobile();
    await page.getByLabel('मोबाइल नंबर').fill(mobile);
    await page.getByRole('button', { name: 'ओटीपी पाएँ' }).click();
    const resend = page.locator('.otp-actions button').first();
    await expect.poll(() => resend.textContent()).toMatch(/में फिर भेजें$/);
    expect(await resend.isDisabled()).toBe(true);
    expect(await englishWords(page, [])).toEqual([]);
    await screenshot(page, 'portal-otp-hi-390');
    await expect.poll(() => otps(mobile), { timeout: 10_000 }).toHaveLength(1);

    // After the cool-down, a second OTP; the new one logs in.
    await expect.poll(() => resend.isEnabled(), { timeout: 60_000 }).toBe(true);
    await resend.click();
    await expect.poll(async () => (await otps(mobile)).length, { timeout: 10_000 }).toBe(2);
    const [latest] = await otps(mobile);
    await page.getByLabel('ओटीपी (6 अंक)').fill(latest!);
    await page.getByRole('button', { name: 'सत्यापित करें और लॉग-इन करें' }).click();
    await expect.poll(() => page.getByText('इस मोबाइल पर पंजीकृत लोग').count(), { timeout: 15_000 }).toBe(1);

    await page.getByLabel('पूरा नाम (फ़ोटो पहचान पत्र के अनुसार)').fill('सुनीता देशमुख');
    await page.getByLabel('जन्म वर्ष').fill('1978');
    await page.getByLabel('पहचान पत्र संख्या').fill(aadhaar());
    await page.getByRole('button', { name: 'पंजीकरण करें' }).click();
    const card = page.getByTestId('person-card').filter({ hasText: 'सुनीता देशमुख' });
    await expect.poll(() => card.getAttribute('data-stage'), { timeout: 20_000 }).toBe('VERIFIED');
    expect(await englishWords(page, [])).toEqual([]);
    await assertFitsPhone(page);
    // The secret code reads on one line.
    const code = card.locator('.secret-code');
    const box = await code.boundingBox();
    const lineHeight = await code.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight));
    expect(box!.height).toBeLessThan(lineHeight * 1.5);
    await screenshot(page, 'portal-account-hi-390', true);
    expect(errors).toEqual([]);
  }, 180_000);
});
