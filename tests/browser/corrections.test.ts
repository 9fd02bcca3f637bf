/**
 * Corrections in the browser. A vaccinated person corrects their name once from the portal: the certificate is
 * issued again with it and the form gives way to "ask a district officer". A district officer corrects the year of
 * birth from Find a person with a reason, and both corrections are listed. Screens in English and Hindi at 1280×720
 * and 390×844 (test-results/screenshots/).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { credentialFromJws } from '../../certificates/certificate-format.js';
import { insertSessionDay, uniqueMobile } from '../support/fixtures.js';
import {
  bearer,
  book,
  loginBeneficiary,
  readSms,
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

const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 390, height: 844 },
];

async function portalLogin(page: Page, mobile: string) {
  await page.goto(`${platform.baseUrl}/#/beneficiary`, { timeout: 30_000 });
  await page.getByLabel('Mobile number').fill(mobile, { timeout: 15_000 });
  const otps = async () => (await readSms(platform.app, mobile)).filter((m) => m.template === 'OTP');
  const earlier = (await otps()).length;
  await page.getByRole('button', { name: 'Get OTP' }).click();
  // The newest first: the one this screen asked for.
  const otp = await waitFor(async () => {
    const sms = await otps();
    return sms.length > earlier ? sms[0]!.body.match(/\b(\d{6})\b/)?.[1] : undefined;
  }, 'the login OTP');
  await page.getByLabel('OTP (6 digits)').fill(otp);
  await page.getByRole('button', { name: 'Verify and log in' }).click();
  await expect.poll(() => page.getByTestId('person-card').count(), { timeout: 15_000 }).toBeGreaterThan(0);
}

describe('correcting details in the browser', () => {
  it('lets the person correct once from the portal and an officer with a reason from Find a person', async () => {
    onTestFailed(() => platform.screenshotAll('failed-corrections'));
    const { app, db, baseUrl } = platform;
    const mobile = uniqueMobile();
    const token = await loginBeneficiary(app, mobile, uniqueIp());
    const registered = await registerPerson(app, token, { name: 'Ramesh Pawr', birthYear: 1972, gender: 'M' });
    expect(registered.statusCode, registered.body).toBe(201);
    const { referenceId, secretCode } = registered.json();
    // A second person on the mobile, whose correction form stays open for the screenshots.
    expect((await registerPerson(app, token, { name: 'Asha Pawar', birthYear: 1975 })).statusCode).toBe(201);
    const day = await insertSessionDay(db);
    expect((await book(app, token, referenceId, day.id)).statusCode).toBe(201);
    const vaccinator = await vaccinatorFor(app, db, day.id);
    const dose = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: bearer(vaccinator.token),
      payload: { referenceId, secretCode, sessionDayId: day.id, vaccineCode: 'COVAXIN', batch: 'CRB-5' },
    });
    expect(dose.statusCode, dose.body).toBe(201);
    const liveCertificate = () =>
      db
        .selectFrom('certificate')
        .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
        .select(['certificate.id', 'certificate.jws'])
        .where('beneficiary.reference_id', '=', referenceId)
        .where('certificate.revoked_at', 'is', null)
        .executeTakeFirst();
    const before = await waitFor(liveCertificate, 'the provisional certificate');

    // The portal, on a desktop: the person's one correction.
    const desk = await platform.newPage({ viewport: VIEWPORTS[0] });
    const deskErrors = watchErrors(desk);
    await portalLogin(desk, mobile);
    const card = desk.getByTestId('person-card').filter({ hasText: 'Ramesh Pawr' });
    await card.getByText('Correct the details', { exact: true }).first().click();
    await card.getByLabel('Full name (as on the photo ID)').fill('Ramesh Pawar');
    await screenshot(desk, 'correction-portal-1280x720', true);
    await card.getByRole('button', { name: 'Save the correction' }).click();
    await expect
      .poll(() => desk.getByTestId('portal-notice').textContent(), { timeout: 15_000 })
      .toMatch(/Ramesh Pawr's details are corrected, and the certificate has been issued again/);
    const corrected = desk.getByTestId('person-card').filter({ hasText: 'Ramesh Pawar' });
    await expect
      .poll(() => corrected.textContent(), { timeout: 10_000 })
      .toContain('The details were corrected once already');
    expect(await corrected.getByTestId('correction').count()).toBe(0);
    const after = (await liveCertificate())!;
    expect(after.id).not.toBe(before.id);
    expect(credentialFromJws(after.jws).credentialSubject.name).toBe('Ramesh Pawar');
    await desk.getByTestId('language-switch').selectOption('hi');
    await expect.poll(() => corrected.textContent(), { timeout: 10_000 }).toContain('विवरण एक बार सुधारा जा चुका है');
    await screenshot(desk, 'correction-portal-done-1280x720-hi', true);
    expect(deskErrors).toEqual([]);

    // The portal on a phone: the other person's form, in English and Hindi.
    const phone = await platform.newPage({ viewport: VIEWPORTS[1], isMobile: true });
    const phoneErrors = watchErrors(phone);
    await portalLogin(phone, mobile);
    const other = phone.getByTestId('person-card').filter({ hasText: 'Asha Pawar' });
    await other.getByText('Correct the details', { exact: true }).first().click();
    await other.getByTestId('correction').scrollIntoViewIfNeeded();
    await screenshot(phone, 'correction-portal-390x844');
    await phone.getByTestId('language-switch').selectOption('hi');
    await expect.poll(() => other.getByTestId('correction').textContent(), { timeout: 10_000 }).toContain('विवरण सुधारें');
    await other.getByTestId('correction').scrollIntoViewIfNeeded();
    await screenshot(phone, 'correction-portal-390x844-hi');
    expect(phoneErrors).toEqual([]);

    // The officer: Find a person, then correct the year of birth with a reason.
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
      await expect.poll(() => person.locator('h2').textContent(), { timeout: 10_000 }).toBe('Ramesh Pawar');
      const form = person.getByTestId('officer-correction');
      await form.getByText('Correct the details', { exact: true }).click();
      const size = `${viewport.width}x${viewport.height}`;
      if (viewport.width === 1280) {
        await form.getByLabel('Year of birth').fill('1971');
        await form.getByLabel('Reason (the document you saw)').fill('Aadhaar card seen: born 1971');
        await form.getByRole('button', { name: 'Correct and reissue the certificate' }).click();
        await expect
          .poll(() => page.locator('.lookup-page .notice').textContent(), { timeout: 15_000 })
          .toMatch(/Ramesh Pawar's details are corrected; the certificate is issued again/);
        await expect.poll(() => person.locator('.lookup-corrections li').count(), { timeout: 10_000 }).toBe(2);
        const history = (await person.locator('.lookup-corrections').textContent()) ?? '';
        expect(history).toMatch(/by the person: Ramesh Pawr, 1972.*→ Ramesh Pawar, 1972/);
        expect(history).toMatch(/by an officer: Ramesh Pawar, 1972.*→ Ramesh Pawar, 1971.*Aadhaar card seen/);
        const reissued = (await liveCertificate())!;
        expect(reissued.id).not.toBe(after.id);
        expect(credentialFromJws(reissued.jws).credentialSubject.name).toBe('Ramesh Pawar');
        await screenshot(page, `correction-officer-${size}`, true);
      } else {
        await form.scrollIntoViewIfNeeded();
        await screenshot(page, `correction-officer-${size}`);
      }
      await page.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => form.locator('summary').textContent(), { timeout: 10_000 }).toBe('विवरण सुधारें');
      await form.scrollIntoViewIfNeeded();
      await screenshot(page, `correction-officer-${size}-hi`, viewport.width === 1280);
      expect(errors).toEqual([]);
    }
  });
});
