/**
 * A district officer opens "Find a person" from the district console, finds a vaccinated person by mobile and
 * reads their journey (stage, appointment, dose, SMS, certificate, and that it has ended awaiting their return)
 * with the ID number and mobile masked; the screen
 * in English and Hindi at 1280×720 and 390×844 (test-results/screenshots/).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { projectJourneyInactive } from '../../db/repositories/journey-projection.js';
import { insertSessionDay, uniqueMobile } from '../support/fixtures.js';
import {
  aadhaar,
  bearer,
  book,
  loginBeneficiary,
  registerPerson,
  uniqueIp,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
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

describe('finding a person from the district console', () => {
  it("shows the person's journey, masked, in English and Hindi", async () => {
    onTestFailed(() => platform.screenshotAll('failed-person-lookup'));
    const { app, db, baseUrl } = platform;
    const mobile = uniqueMobile();
    const idNumber = aadhaar();
    const token = await loginBeneficiary(app, mobile, uniqueIp());
    const registered = await registerPerson(app, token, { name: 'Lakshmi Deshpande', birthYear: 1958, idNumber });
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId, secretCode } = registered.json();
    const day = await insertSessionDay(db);
    expect((await book(app, token, referenceId, day.id)).statusCode).toBe(201);
    const vaccinator = await vaccinatorFor(app, db, day.id);
    const dose = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: bearer(vaccinator.token),
      payload: { referenceId, secretCode, sessionDayId: day.id, vaccineCode: 'COVAXIN', batch: 'BRW-77' },
    });
    expect(dose.statusCode, dose.body).toBe(201);
    await waitFor(
      () =>
        db
          .selectFrom('certificate')
          .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
          .select('certificate.id')
          .where('beneficiary.reference_id', '=', referenceId)
          .executeTakeFirst(),
      'the provisional certificate',
    );

    // Months without dose 2 later, the journey ends awaiting the person's return (tests/journey/inactive.test.ts
    // runs that end on a compressed clock); here its projection is written as the journey's last step writes it.
    const person = await db
      .selectFrom('beneficiary')
      .select('id')
      .where('reference_id', '=', referenceId)
      .executeTakeFirstOrThrow();
    await projectJourneyInactive(db, person.id, {
      stage: 'DOSE1_DONE',
      reason: 'journey ended: 180 days without dose 2; a booking or a dose resumes it',
      stepKey: `lookup-test:${referenceId}:inactive`,
    });

    const officer = await createStaff(db, 'DISTRICT_OFFICER');
    for (const viewport of [
      { width: 1280, height: 720 },
      { width: 390, height: 844 },
    ]) {
      const page = await platform.newPage({ viewport, isMobile: viewport.width < 500 });
      const errors = watchErrors(page);
      await signInAsStaff(page, baseUrl, officer.username);
      await page.goto(`${baseUrl}/#/district`);
      await page
        .locator('.console-header-actions')
        .getByRole('link', { name: 'Find a person' })
        .click({ timeout: 15_000 });
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('Find a person');
      await page.getByRole('textbox', { name: 'Mobile number' }).fill(mobile, { timeout: 15_000 });
      await page.getByRole('button', { name: 'Find' }).click({ timeout: 15_000 });
      const card = page.getByTestId('lookup-person');
      await expect.poll(() => card.locator('h2').textContent(), { timeout: 10_000 }).toBe('Lakshmi Deshpande');
      const text = (await card.textContent()) ?? '';
      expect(text).toContain(`XXXXXXXX${idNumber.slice(-4)}`);
      expect(text).toContain(`******${mobile.slice(-4)}`);
      expect(text).toContain('Dose 1 done');
      expect(text).toContain('Covaxin · BRW-77');
      expect(text).toContain('DOSE_RECORDED');
      expect(text).toMatch(/Provisional certificate \d{12}, 1 dose/);
      expect(text).toContain('journey ended');
      expect(text).toContain('awaiting return (a booking or a dose resumes it)');
      // Nothing unmasked anywhere on the screen.
      const screen = (await page.locator('body').textContent()) ?? '';
      expect(screen).not.toContain(idNumber);
      expect(screen.replace(page.url(), '')).not.toMatch(new RegExp(`(?<!\\d)${mobile}(?!\\d)`));
      const size = `${viewport.width}x${viewport.height}`;
      await screenshot(page, `person-lookup-${size}`, true);

      await page.getByTestId('language-switch').selectOption('hi', { timeout: 15_000 });
      await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('व्यक्ति खोजें');
      await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('पहली खुराक लग गई');
      expect(await card.textContent()).toContain('वापसी की प्रतीक्षा');
      await screenshot(page, `person-lookup-${size}-hi`, true);
      expect(errors).toEqual([]);
    }
  });
});
