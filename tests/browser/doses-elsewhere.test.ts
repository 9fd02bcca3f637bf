/**
 * A dose given elsewhere, added in the browser: a district officer finds a person booked for dose 1, opens "Add a
 * dose given elsewhere", enters the dose with its evidence, and the person's history shows it — where it was given,
 * the evidence and who added it — while their journey moves on to dose 1 done. For a person not yet booked or
 * vaccinated anywhere, the form also asks for the district that records the dose (the officer's own, chosen for
 * them). Screens in English and Hindi at 1280×720 and 390×844 (test-results/screenshots/).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { insertSessionDay, uniqueMobile } from '../support/fixtures.js';
import { book, loginBeneficiary, registerPerson, uniqueIp, waitFor } from '../support/journey.js';
import { HOME } from '../support/route-matrix.js';
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

describe('adding a dose given elsewhere in the browser', () => {
  it('adds the dose with its evidence from Find a person and shows it in the history', async () => {
    onTestFailed(() => platform.screenshotAll('failed-doses-elsewhere'));
    const { app, db, baseUrl } = platform;
    const token = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
    const registered = await registerPerson(app, token, { name: 'Meera Joshi', birthYear: 1979, gender: 'F' });
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId } = registered.json();
    const day = await insertSessionDay(db);
    expect((await book(app, token, referenceId, day.id)).statusCode).toBe(201);
    const givenOn = addDays(indiaDate(), -35);
    const officer = await createStaff(db, 'DISTRICT_OFFICER');

    for (const viewport of VIEWPORTS) {
      const page = await platform.newPage({ viewport, isMobile: viewport.width < 500 });
      const errors = watchErrors(page);
      await signInAsStaff(page, baseUrl, officer.username);
      await page.goto(`${baseUrl}/#/lookup`);
      await page.getByRole('radio', { name: 'Reference id' }).check({ timeout: 15_000 });
      await page.getByRole('textbox', { name: 'Reference id' }).fill(referenceId);
      await page.getByRole('button', { name: 'Find' }).click();
      const person = page.getByTestId('lookup-person');
      await expect.poll(() => person.locator('h2').textContent(), { timeout: 10_000 }).toBe('Meera Joshi');
      const form = person.getByTestId('dose-elsewhere-form');
      await form.getByText('Add a dose given elsewhere', { exact: true }).click();
      const size = `${viewport.width}x${viewport.height}`;
      if (viewport.width === 1280) {
        expect(await form.locator('select[name="dose"]').inputValue()).toBe('1');
        await form.locator('select[name="vaccineCode"]').selectOption('COVAXIN');
        await form.getByLabel('Date given').fill(givenOn);
        await form.getByLabel('Batch (if known)').fill('ext-2041');
        await form.getByLabel('Where it was given').fill('Civil Hospital, Nashik');
        await form.getByLabel('Evidence reference (card or document number)').fill('CARD-88412');
        await form.getByLabel('Note (what you saw)').fill('Vaccination card seen at the district office');
        await form.scrollIntoViewIfNeeded();
        await screenshot(page, `dose-elsewhere-form-${size}`);
        await form.getByRole('button', { name: 'Add the dose' }).click();
        await expect
          .poll(() => page.locator('.lookup-page .notice').textContent(), { timeout: 15_000 })
          .toBe("Dose 1 is added to Meera Joshi's record; the certificate is issued again.");
        const row = person.getByTestId('dose-elsewhere');
        await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
        const text = (await row.textContent()) ?? '';
        expect(text).toContain('(given elsewhere)');
        expect(text).toContain('Covaxin · EXT-2041');
        expect(text).toContain('Civil Hospital, Nashik');
        expect(text).toContain('Evidence CARD-88412: Vaccination card seen at the district office');
        expect(text).toContain('Added by Test DISTRICT_OFFICER');
        // The journey hears of it: dose 1 done, the booking for dose 1 released.
        await waitFor(
          async () =>
            (
              await db
                .selectFrom('beneficiary')
                .select('stage')
                .where('reference_id', '=', referenceId)
                .executeTakeFirstOrThrow()
            ).stage === 'DOSE1_DONE',
          'dose 1 done',
        );
        await row.scrollIntoViewIfNeeded();
        await screenshot(page, `dose-elsewhere-history-${size}`);
      } else {
        await expect.poll(() => person.getByTestId('dose-elsewhere').count(), { timeout: 10_000 }).toBe(1);
        // The next dose to add is offered: dose 2.
        expect(await form.locator('select[name="dose"]').inputValue()).toBe('2');
        await person.getByTestId('dose-elsewhere').scrollIntoViewIfNeeded();
        await screenshot(page, `dose-elsewhere-history-${size}`);
        await form.scrollIntoViewIfNeeded();
        await screenshot(page, `dose-elsewhere-form-${size}`);
      }
      await page.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => form.locator('summary').textContent(), { timeout: 10_000 }).toBe('कहीं और दी गई खुराक जोड़ें');
      expect(await person.getByTestId('dose-elsewhere').textContent()).toContain('(कहीं और दी गई)');
      await person.getByTestId('dose-elsewhere').scrollIntoViewIfNeeded();
      await screenshot(page, `dose-elsewhere-history-${size}-hi`);
      await form.scrollIntoViewIfNeeded();
      await screenshot(page, `dose-elsewhere-form-${size}-hi`);
      expect(errors).toEqual([]);
    }
  });

  it('asks for the district that records the dose when the person is in no district yet', async () => {
    onTestFailed(() => platform.screenshotAll('failed-doses-elsewhere-no-district'));
    const { app, db, baseUrl } = platform;
    const officer = await createStaff(db, 'DISTRICT_OFFICER', HOME);
    const givenOn = addDays(indiaDate(), -20);

    for (const viewport of VIEWPORTS) {
      // Someone registered and never booked: one per screen size, since adding the dose gives them a district.
      const token = await loginBeneficiary(app, uniqueMobile(), uniqueIp());
      const registered = await registerPerson(app, token, { name: 'Kiran Patil', birthYear: 1984, gender: 'M' });
      expect(registered.statusCode, registered.body).toBe(201);
      const { referenceId } = registered.json();
      const page = await platform.newPage({ viewport, isMobile: viewport.width < 500 });
      const errors = watchErrors(page);
      await signInAsStaff(page, baseUrl, officer.username);
      await page.goto(`${baseUrl}/#/lookup`);
      await page.getByRole('radio', { name: 'Reference id' }).check({ timeout: 15_000 });
      await page.getByRole('textbox', { name: 'Reference id' }).fill(referenceId);
      await page.getByRole('button', { name: 'Find' }).click();
      const person = page.getByTestId('lookup-person');
      await expect.poll(() => person.locator('h2').textContent(), { timeout: 10_000 }).toBe('Kiran Patil');
      const form = person.getByTestId('dose-elsewhere-form');
      await form.getByText('Add a dose given elsewhere', { exact: true }).click();
      const district = form.locator('select[name="districtId"]');
      // A district officer records it in their own district, the only one offered.
      await expect.poll(() => district.inputValue(), { timeout: 10_000 }).toBe(String(HOME.districtId));
      expect(await district.locator('option:not([disabled])').count()).toBe(1);
      await form.locator('select[name="vaccineCode"]').selectOption('COVISHIELD');
      await form.getByLabel('Date given').fill(givenOn);
      await form.getByLabel('Where it was given').fill('Sassoon Hospital camp');
      await form.getByLabel('Evidence reference (card or document number)').fill('PAPER-5521');
      await form.getByLabel('Note (what you saw)').fill('Paper register of the camp seen');
      const size = `${viewport.width}x${viewport.height}`;
      await form.scrollIntoViewIfNeeded();
      await screenshot(page, `dose-elsewhere-no-district-${size}`);
      await page.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => form.getByText('दर्ज करने वाला ज़िला').count(), { timeout: 10_000 }).toBe(1);
      await form.scrollIntoViewIfNeeded();
      await screenshot(page, `dose-elsewhere-no-district-${size}-hi`);
      await page.getByTestId('language-switch').selectOption('en');
      if (viewport.width === 1280) {
        await form.getByRole('button', { name: 'Add the dose' }).click();
        await expect
          .poll(() => page.locator('.lookup-page .notice').textContent(), { timeout: 15_000 })
          .toBe("Dose 1 is added to Kiran Patil's record; the certificate is issued again.");
        const stored = await db
          .selectFrom('dose')
          .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
          .select('dose.district_id')
          .where('beneficiary.reference_id', '=', referenceId)
          .execute();
        expect(stored).toEqual([{ district_id: HOME.districtId }]);
        // Now in a district: the form no longer asks for one.
        await expect.poll(() => form.locator('select[name="districtId"]').count(), { timeout: 10_000 }).toBe(0);
      }
      expect(errors).toEqual([]);
    }
  });
});
