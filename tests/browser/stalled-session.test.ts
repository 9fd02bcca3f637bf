/**
 * A district officer sees a stalled session highlighted in the console, and extends it through the confirmation
 * step; in Hindi, cancels a session and moves everyone booked on it to the next session with seats.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { randomUUID } from 'node:crypto';
import { addDays, indiaDate, indiaInstant } from '../../domain/time.js';
import { insertSessionDay, quietDistrict, uniqueMobile } from '../support/fixtures.js';
import { ensureTestVaccine, loginBeneficiary, registerPerson } from '../support/journey.js';
import { minutesToMidnight, openNowHours } from '../support/india-day.js';
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
    // Open now, closing at 23:00 (or a few minutes from now late in the evening), so it can be extended.
    const hours = openNowHours({ closesAt: '23:00:00' });
    const day = await insertSessionDay(db, {
      siteId: site.id,
      vaccine: 'COVISHIELD',
      dose1: 40,
      ...hours,
      slotMinutes: 60,
    });
    // What the session workflow records when a session goes quiet: status STALLED, last dose long ago.
    await db
      .updateTable('session_day')
      .set({
        status: 'STALLED',
        stall_reason: 'NO_DOSES',
        doses_recorded: 3,
        last_dose_at: new Date(Date.now() - 47 * 60_000),
      })
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
    // Why it stalled, as the session workflow judged it: no dose for 47 minutes while people wait.
    const reason = card.getByTestId('stall-reason');
    expect(await reason.textContent()).toMatch(/^Stalled: no doses for 4[78] min while people wait$/);
    await screenshot(page, 'district-console-stalled', true);
    await page.getByTestId('language-switch').selectOption('hi');
    await expect.poll(() => reason.textContent()).toMatch(/^ठप: 4[78] मिनट से कोई खुराक नहीं/);
    await screenshot(page, 'district-console-stalled-hi');
    await page.getByTestId('language-switch').selectOption('en');
    await expect.poll(() => reason.textContent()).toContain('while people wait');

    const before = await db
      .selectFrom('session_day')
      .select(['closes_at', 'extended_until'])
      .where('id', '=', day.id)
      .executeTakeFirstOrThrow();
    await card.getByRole('button', { name: 'Extend' }).click();
    const dialog = page.getByRole('dialog');
    // 30 minutes, or what is left until midnight when that is less: the choices offered end by midnight.
    const minutes = Math.min(30, minutesToMidnight(hours));
    await dialog.getByLabel('Extend by').selectOption(String(minutes));
    await screenshot(page, 'district-console-confirm-extend');
    await dialog.getByRole('button', { name: /Confirm/ }).click();
    // The outcome is the console's notice whether the extension was made or refused; this one is made.
    const extendedUntil = new Date(indiaInstant(hours.date, hours.closesAt).getTime() + minutes * 60_000);
    await expect
      .poll(() => page.locator('.notice').textContent(), { timeout: 20_000 })
      .toMatch(/^Extend: .* closing at \d\d:\d\d IST\.$/);
    expect(await page.getByRole('dialog').count()).toBe(0);

    const after = await db
      .selectFrom('session_day')
      .select(['closes_at', 'extended_until'])
      .where('id', '=', day.id)
      .executeTakeFirstOrThrow();
    expect(before.extended_until).toBeNull();
    expect(after.extended_until?.toISOString()).toBe(extendedUntil.toISOString());
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('(extended)');
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', day.id)
      .where('actor_id', '=', officer.id)
      .execute();
    expect(audit.length).toBeGreaterThan(0);

    // An intervention the product refuses ends the step too, with the refusal as the console's notice: this
    // session was cancelled after the console last read it.
    const other = await insertSessionDay(db, { siteId: site.id, vaccine: 'COVISHIELD', dose1: 10 });
    await page.reload();
    const otherCard = page.locator(`[data-session-day-id="${other.id}"]`);
    await expect.poll(() => otherCard.getAttribute('data-status'), { timeout: 10_000 }).toBe('PLANNED');
    // Not open yet: nothing that needs it open is offered, and with nobody to vaccinate it is flagged.
    expect(await otherCard.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    expect(await otherCard.getByRole('button', { name: 'Close' }).count()).toBe(0);
    expect(await otherCard.getByTestId('no-vaccinator').textContent()).toContain('No vaccinator assigned');
    await db.updateTable('session_day').set({ status: 'CANCELLED' }).where('id', '=', other.id).execute();
    await otherCard.getByRole('button', { name: 'Cancel session' }).click();
    await page.getByRole('dialog').locator('input[name="cancel-reason"]').fill('Vaccine did not arrive');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /Cancel the session/ })
      .click();
    await expect
      .poll(() => page.locator('.notice').textContent(), { timeout: 20_000 })
      .toBe('Cancel session refused: This session day is over.');
    expect(await page.locator('.notice').getAttribute('role')).toBe('alert');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await screenshot(page, 'district-console-refused');

    // The stalled session is closed with the doses wasted: a stalled session offers no Resume, and Close asks
    // for the wastage.
    expect(await card.getByRole('button', { name: 'Resume' }).count()).toBe(0);
    await card.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('dialog').getByLabel('Doses wasted (optional)').fill('2');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /Confirm/ })
      .click();
    await expect
      .poll(() => page.locator('.notice').textContent(), { timeout: 20_000 })
      .toMatch(/^Close: .* is now Closed\.$/);
    const closed = await db
      .selectFrom('session_day')
      .select(['status', 'wastage'])
      .where('id', '=', day.id)
      .executeTakeFirstOrThrow();
    expect(closed).toEqual({ status: 'CLOSED', wastage: 2 });
    expect(errors).toEqual([]);
  }, 120_000);

  it('cancels a session in Hindi and moves everyone booked to the next session with seats, the console all in Hindi', async () => {
    const { app, db, baseUrl } = platform;
    onTestFailed(() => platform.screenshotAll('failed-cancel-and-move'));
    const district = await quietDistrict(db);
    // A vaccine of this test's own: only this test's session days can take the people moved.
    const vaccine = await ensureTestVaccine(db, `MB${randomUUID().slice(0, 6).toUpperCase()}`);
    const today = await insertSessionDay(db, { district, vaccine, dose1: 10, dose2: 0 });
    const tomorrow = await insertSessionDay(db, {
      siteId: today.siteId,
      vaccine,
      date: addDays(indiaDate(), 1),
      dose1: 2,
      dose2: 0,
    });
    const people: string[] = [];
    const token = await loginBeneficiary(app, uniqueMobile());
    for (const name of ['Asha Verma', 'Bina Verma', 'Chandra Verma']) {
      const registered = await registerPerson(app, token, { name });
      const { referenceId } = registered.json() as { referenceId: string };
      const booked = await app.inject({
        method: 'POST',
        url: '/api/v1/appointments',
        headers: { authorization: `Bearer ${token}` },
        payload: { referenceId, sessionDayId: today.id },
      });
      expect(booked.statusCode, booked.body).toBe(201);
      people.push(referenceId);
    }
    const officer = await createStaff(db, 'DISTRICT_OFFICER', district);

    const page = await platform.newPage({ viewport: { width: 1280, height: 720 } });
    const errors = watchErrors(page);
    await signInAsStaff(page, baseUrl, officer.username);
    await page.goto(`${baseUrl}/#/district`);
    await page.getByTestId('language-switch').selectOption('hi', { timeout: 15_000 });
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toMatch(/आज के सत्र$/);
    const card = page.locator(`[data-session-day-id="${today.id}"]`);
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    const site = await db.selectFrom('site').select('name').where('id', '=', today.siteId).executeTakeFirstOrThrow();
    // No English left on the card: only the site's name, the vaccine's code, times and figures are not Hindi.
    const cardText = (await card.textContent())!.replaceAll(site.name, '').replaceAll(vaccine, '');
    expect(cardText).not.toMatch(/[A-Za-z]{2,}/);
    expect(cardText).toContain('टीका लगा');
    await screenshot(page, 'district-console-hi');

    await card.getByRole('button', { name: 'सत्र रद्द करें' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByLabel('बुक किए सभी लोगों को सीट वाले अगले सत्र में भेजें').isChecked()).toBe(true);
    expect(await dialog.textContent()).toContain('बुक किए सभी 3 लोग सीट वाले अगले सत्र में भेजे जाएँगे');
    await dialog.locator('input[name="cancel-reason"]').fill('टीके नहीं पहुँचे');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'district-console-cancel-move-hi-phone');
    await page.setViewportSize({ width: 1280, height: 720 });
    await screenshot(page, 'district-console-cancel-move-hi');
    await dialog.getByRole('button', { name: 'सत्र रद्द करें और सबको दूसरे सत्र में भेजें' }).click();
    await expect
      .poll(() => page.locator('.notice').textContent(), { timeout: 30_000 })
      .toMatch(/अब रद्द है। 2 लोग सीट वाले अगले सत्रों में भेजे गए; 1 व्यक्ति को सीट नहीं मिली/);
    await screenshot(page, 'district-console-moved-hi');

    // Two seats tomorrow at the same site: two people moved there, and the third released; nobody booked twice.
    const live = await db
      .selectFrom('appointment')
      .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
      .select(['beneficiary.reference_id', 'appointment.session_day_id'])
      .where('beneficiary.reference_id', 'in', people)
      .where('appointment.status', '=', 'BOOKED')
      .where('appointment.session_day_id', '=', tomorrow.id)
      .execute();
    expect(live).toHaveLength(2);
    const seats = await db
      .selectFrom('session_day')
      .select(['id', 'dose1_booked', 'status'])
      .where('id', 'in', [today.id, tomorrow.id])
      .execute();
    expect(seats.find((d) => d.id === tomorrow.id)).toMatchObject({ dose1_booked: 2 });
    expect(seats.find((d) => d.id === today.id)).toMatchObject({ status: 'CANCELLED' });

    // In English again: the console's words, and the notice written in Hindi gone with its language.
    await page.getByTestId('language-switch').selectOption('en');
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/today's sessions$/);
    expect(await page.locator('.notice').count()).toBe(0);
    await screenshot(page, 'district-console-after-move');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'district-console-after-move-phone');
    expect(errors).toEqual([]);
  }, 120_000);
});
