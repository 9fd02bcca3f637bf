/**
 * The vaccinator desk with the network off: three doses are captured on the phone (IndexedDB), the network comes
 * back, the desk syncs by itself, and exactly three doses are stored — no more on a second sync. A walk-in
 * registered offline, their dose and an adverse event reported offline wait on the phone the same way, and the
 * "Saved on this phone" banner clears once they are stored.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import { aadhaar } from '../support/journey.js';
import { loginBeneficiary, registerPerson } from '../support/journey.js';
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

/** A session day open all day in Pune, with a vaccinator on its team. */
async function dayWithVaccinator({ walkin }: { walkin: number }) {
  const { db } = platform;
  const day = await insertSessionDay(db, { vaccine: 'COVAXIN', dose1: 10, walkin, slotMinutes: 1439 });
  const vaccinator = await createStaff(db, 'VACCINATOR', PUNE);
  const { date } = await db.selectFrom('session_day').select('date').where('id', '=', day.id).executeTakeFirstOrThrow();
  await db
    .insertInto('session_assignment')
    .values({
      session_day_id: day.id,
      staff_id: vaccinator.id,
      session_date: date,
      team_role: 'VACCINATOR',
      assigned_by: null,
    })
    .execute();
  return { day, vaccinator };
}

describe('vaccinator desk offline', () => {
  it('queues three doses with the network off and stores exactly three when it returns', async () => {
    const { app, db, baseUrl } = platform;
    onTestFailed(() => platform.screenshotAll('failed-offline-desk'));
    const { day, vaccinator } = await dayWithVaccinator({ walkin: 0 });

    // Three people, each booked at this session (through the API: the portal is covered elsewhere).
    const people: Array<{ referenceId: string; secretCode: string; name: string }> = [];
    for (const name of ['Anil Kulkarni', 'Bhavna Shah', 'Chetan Rao']) {
      const token = await loginBeneficiary(app, uniqueMobile());
      const registered = await registerPerson(app, token, { name });
      expect(registered.statusCode, registered.body).toBe(201);
      const { referenceId, secretCode } = registered.json();
      const booked = await app.inject({
        method: 'POST',
        url: '/api/v1/appointments',
        headers: { authorization: `Bearer ${token}` },
        payload: { referenceId, sessionDayId: day.id },
      });
      expect(booked.statusCode, booked.body).toBe(201);
      people.push({ referenceId, secretCode, name });
    }

    const context = await platform.newContext({ viewport: { width: 400, height: 860 }, isMobile: true });
    const phone = context.pages()[0] ?? (await context.newPage());
    const errors = watchErrors(phone);
    await signInAsStaff(phone, baseUrl, vaccinator.username);
    await phone.goto(`${baseUrl}/#/vaccinator`);
    for (const person of people)
      await expect
        .poll(() => phone.locator('.person-row').filter({ hasText: person.name }).count(), { timeout: 10_000 })
        .toBe(1);

    // The phone told the server it holds this session's list: the session's no-shows wait until it reports.
    const contacts = () =>
      db
        .selectFrom('desk_device_contact')
        .select(['device_id', 'staff_id', 'last_contact_at'])
        .where('session_day_id', '=', day.id)
        .execute();
    const [listTaken] = await contacts();
    expect(listTaken).toMatchObject({ device_id: expect.stringMatching(/^desk-/), staff_id: vaccinator.id });

    await context.setOffline(true);
    await expect.poll(() => phone.getByTestId('network-status').textContent()).toContain('Offline');
    const summary = phone.getByTestId('queue-summary');
    for (const [i, person] of people.entries()) {
      await phone.getByRole('button', { name: "Today's list" }).click();
      await phone.locator('.person-row').filter({ hasText: person.name }).click();
      await phone.getByLabel(/Secret code/).fill(person.secretCode);
      await phone.getByRole('button', { name: 'Continue (offline)' }).click();
      await phone.getByLabel('Batch number').fill('OFF-42');
      await phone.getByTestId('record-dose').click();
      await expect.poll(() => phone.getByTestId('desk-message').textContent()).toContain(`(${person.name})`);
      await expect.poll(() => summary.getAttribute('data-pending')).toBe(String(i + 1));
    }
    await phone.getByRole('button', { name: /Records/ }).click();
    await screenshot(phone, 'desk-offline-queue');
    const stored = () =>
      db
        .selectFrom('dose')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('session_day_id', '=', day.id)
        .executeTakeFirstOrThrow();
    expect(Number((await stored()).n)).toBe(0);

    // Back online: the desk syncs by itself.
    await context.setOffline(false);
    await expect.poll(() => summary.getAttribute('data-synced'), { timeout: 20_000 }).toBe('3');
    expect(await summary.getAttribute('data-pending')).toBe('0');
    expect(await summary.getAttribute('data-rejected')).toBe('0');
    await screenshot(phone, 'desk-synced');
    // Its sync counts as its report, by the same device.
    const [reported] = await contacts();
    expect(reported!.device_id).toBe(listTaken!.device_id);
    expect(reported!.last_contact_at.getTime()).toBeGreaterThan(listTaken!.last_contact_at.getTime());

    // A second, manual sync replays nothing new.
    await phone.getByRole('button', { name: 'Sync now' }).click();
    const doses = await db
      .selectFrom('dose')
      .select(['client_event_id', 'source'])
      .where('session_day_id', '=', day.id)
      .execute();
    expect(doses).toHaveLength(3);
    expect(new Set(doses.map((d) => d.client_event_id)).size).toBe(3);
    expect(doses.every((d) => d.source === 'OFFLINE')).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);

  it('registers a walk-in, records their dose and reports an adverse event with the network off, and stores each once when it returns', async () => {
    const { app, db, baseUrl } = platform;
    onTestFailed(() => platform.screenshotAll('failed-offline-walk-in'));
    const { day, vaccinator } = await dayWithVaccinator({ walkin: 5 });
    const token = await loginBeneficiary(app, uniqueMobile());
    const registered = await registerPerson(app, token, { name: 'Deepa Joshi' });
    const booked = registered.json() as { referenceId: string; secretCode: string };
    const booking = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: { authorization: `Bearer ${token}` },
      payload: { referenceId: booked.referenceId, sessionDayId: day.id },
    });
    expect(booking.statusCode, booking.body).toBe(201);

    const context = await platform.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const phone = context.pages()[0] ?? (await context.newPage());
    const errors = watchErrors(phone);
    await signInAsStaff(phone, baseUrl, vaccinator.username);
    await phone.goto(`${baseUrl}/#/vaccinator`);
    // Deepa's dose online: she is then under observation, on the observer's list the phone keeps.
    await phone.locator('.person-row').filter({ hasText: 'Deepa Joshi' }).click({ timeout: 15_000 });
    await phone.getByLabel(/Secret code/).fill(booked.secretCode);
    await phone.getByRole('button', { name: 'Check identity' }).click();
    await phone.getByLabel('Batch number').fill('WALK-7');
    await phone.getByTestId('record-dose').click();
    await expect.poll(() => phone.getByTestId('desk-message').textContent()).toContain('Dose 1');
    await phone.getByRole('button', { name: 'Observation' }).click();
    await expect.poll(() => phone.getByTestId('observed-person').count(), { timeout: 15_000 }).toBe(1);

    await context.setOffline(true);
    await expect.poll(() => phone.getByTestId('network-status').textContent()).toContain('Offline');
    const summary = phone.getByTestId('queue-summary');

    // An adverse event for Deepa, from the list on the phone.
    await phone.getByRole('button', { name: 'Report adverse event' }).click();
    const dialog = phone.getByRole('dialog');
    await dialog.getByLabel('Fever').check();
    await dialog.getByRole('button', { name: 'Report' }).click();
    await expect.poll(() => summary.getAttribute('data-pending')).toBe('1');

    // A walk-in: registered on the phone, then vaccinated (the photo ID stands for the secret code).
    await phone.getByRole('button', { name: 'Walk-in' }).click();
    await screenshot(phone, 'desk-walk-in-offline');
    await phone.getByLabel('Mobile').fill(uniqueMobile());
    await phone.getByLabel('Full name').fill('Kiran Offline');
    await phone.getByLabel('Year of birth').fill('1984');
    const idNumber = aadhaar();
    await phone.getByLabel('ID number').fill(idNumber);
    await phone.getByRole('button', { name: 'Register walk-in (offline)' }).click();
    await expect.poll(() => phone.getByTestId('desk-message').textContent()).toContain('Saved on this phone');
    await expect.poll(() => phone.locator('.desk-person-name').textContent()).toBe('Kiran Offline');
    await phone.getByTestId('record-dose').click();
    const banner = phone.getByTestId('desk-message');
    // The registration's banner also begins "Saved on this phone": wait for the dose's own.
    await expect.poll(() => banner.textContent()).toContain('it syncs by itself when the network is back');
    await expect.poll(() => summary.getAttribute('data-pending')).toBe('3');
    await phone.getByRole('button', { name: /Records/ }).click();
    await expect.poll(() => phone.locator('.queue-item').count()).toBe(4); // Deepa's online dose too
    await screenshot(phone, 'desk-walk-in-offline-queue');
    const walkIns = () =>
      db.selectFrom('beneficiary').select(['id', 'reference_id']).where('name', '=', 'Kiran Offline').execute();
    expect(await walkIns()).toEqual([]);

    // Back online: the desk syncs by itself and the banner says the dose is stored.
    await context.setOffline(false);
    await expect.poll(() => summary.getAttribute('data-synced'), { timeout: 30_000 }).toBe('4');
    expect(await summary.getAttribute('data-pending')).toBe('0');
    expect(await summary.getAttribute('data-rejected')).toBe('0');
    await expect.poll(() => banner.textContent()).toContain('Synced: the dose for Kiran Offline is stored');
    await screenshot(phone, 'desk-walk-in-synced');

    const [kiran] = await walkIns();
    expect(kiran).toBeDefined();
    const doses = await db
      .selectFrom('dose')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .select(['beneficiary.name', 'dose.source', 'dose.batch'])
      .where('dose.session_day_id', '=', day.id)
      .orderBy('dose.administered_at')
      .execute();
    expect(doses).toEqual([
      { name: 'Deepa Joshi', source: 'ONLINE', batch: 'WALK-7' },
      { name: 'Kiran Offline', source: 'OFFLINE', batch: 'WALK-7' },
    ]);
    const reports = await db
      .selectFrom('aefi_report')
      .innerJoin('dose', 'dose.id', 'aefi_report.dose_id')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .select(['beneficiary.name', 'aefi_report.symptoms'])
      .where('dose.session_day_id', '=', day.id)
      .execute();
    expect(reports).toEqual([{ name: 'Deepa Joshi', symptoms: ['FEVER'] }]);
    // The queue list names the walk-in by the reference id the server gave them.
    await expect.poll(() => phone.getByTestId('queue-list').textContent()).toContain(kiran!.reference_id);

    // A second sync stores nothing new.
    await phone.getByRole('button', { name: 'Sync now' }).click();
    expect(await walkIns()).toHaveLength(1);

    // The same desk in Hindi, at 390 px: nothing runs off the screen and no English is left but the data.
    await phone.getByTestId('language-switch').selectOption('hi');
    await phone.getByRole('button', { name: 'वॉक-इन' }).click();
    const site = await db
      .selectFrom('session_day')
      .innerJoin('site', 'site.id', 'session_day.site_id')
      .select('site.name')
      .where('session_day.id', '=', day.id)
      .executeTakeFirstOrThrow();
    const data = [site.name, 'Test VACCINATOR', 'Covaxin', 'Deepa Joshi', 'Kiran Offline', 'WALK-7', 'COVAXIN'];
    for (const tab of ['वॉक-इन', 'रिकॉर्ड']) {
      await phone
        .locator('.desk-tabs')
        .getByRole('button', { name: new RegExp(`^${tab}`) })
        .click();
      let text = await phone.locator('main').innerText();
      for (const value of data) text = text.replaceAll(value, '');
      expect(text.match(/[A-Za-z]{2,}/g)?.filter((word) => !['Teeka', 'English'].includes(word)) ?? []).toEqual([]);
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    }
    await screenshot(phone, 'desk-records-hi-390');
    expect(await db.selectFrom('dose').select('id').where('session_day_id', '=', day.id).execute()).toHaveLength(2);
    expect(errors).toEqual([]);
  }, 120_000);

  it("tells the vaccinator when an offline walk-in's photo ID was registered meanwhile with other details, which an officer reviews", async () => {
    const { app, db, baseUrl } = platform;
    onTestFailed(() => platform.screenshotAll('failed-offline-walk-in-matched'));
    const { day, vaccinator } = await dayWithVaccinator({ walkin: 5 });

    const context = await platform.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const phone = context.pages()[0] ?? (await context.newPage());
    const errors = watchErrors(phone);
    await signInAsStaff(phone, baseUrl, vaccinator.username);
    await phone.goto(`${baseUrl}/#/vaccinator`);
    // The day is on the phone (its session, the walk-in form) before the network goes.
    await phone.getByRole('button', { name: 'Walk-in' }).waitFor({ timeout: 15_000 });
    await context.setOffline(true);
    await expect.poll(() => phone.getByTestId('network-status').textContent()).toContain('Offline');

    await phone.getByRole('button', { name: 'Walk-in' }).click();
    await phone.getByLabel('Mobile').fill(uniqueMobile());
    await phone.getByLabel('Full name').fill('Farhan Desk');
    await phone.getByLabel('Year of birth').fill('1979');
    const idNumber = aadhaar();
    await phone.getByLabel('ID number').fill(idNumber);
    await phone.getByRole('button', { name: 'Register walk-in (offline)' }).click();
    await expect.poll(() => phone.locator('.desk-person-name').textContent()).toBe('Farhan Desk');
    await phone.getByLabel('Batch number').fill('OFF-WALK');
    await phone.getByTestId('record-dose').click();
    const summary = phone.getByTestId('queue-summary');
    await expect.poll(() => summary.getAttribute('data-pending')).toBe('2');

    // Meanwhile the same photo ID is registered on the portal, under another name.
    const token = await loginBeneficiary(app, uniqueMobile());
    const online = await registerPerson(app, token, { name: 'Farhan Portal', birthYear: 1979, idNumber });
    expect(online.statusCode, online.body).toBe(201);
    const { referenceId } = online.json() as { referenceId: string };

    await context.setOffline(false);
    await expect.poll(() => summary.getAttribute('data-synced'), { timeout: 30_000 }).toBe('2');
    expect(await summary.getAttribute('data-rejected')).toBe('0');
    await phone.getByRole('button', { name: /Records/ }).click();
    const note = phone.getByTestId('walk-in-matched');
    await expect.poll(() => note.textContent()).toContain(`already registered with this photo ID (${referenceId})`);
    expect(await note.textContent()).toContain('with a different name');
    expect(await note.textContent()).toContain('a district officer reviews the identity');
    await screenshot(phone, 'desk-walk-in-matched-390');
    // The dose is the portal registration's, stored once, and the officer has a dispute to review.
    const doses = await db
      .selectFrom('dose')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .select(['beneficiary.reference_id', 'dose.batch'])
      .where('dose.session_day_id', '=', day.id)
      .execute();
    expect(doses).toEqual([{ reference_id: referenceId, batch: 'OFF-WALK' }]);
    const disputes = await db
      .selectFrom('identity_dispute')
      .innerJoin('beneficiary', 'beneficiary.id', 'identity_dispute.holder_beneficiary_id')
      .select('identity_dispute.claimant_name')
      .where('beneficiary.reference_id', '=', referenceId)
      .execute();
    expect(disputes).toEqual([{ claimant_name: 'Farhan Desk' }]);

    await phone.getByTestId('language-switch').selectOption('hi');
    await expect.poll(() => note.textContent()).toContain('ज़िला अधिकारी पहचान की समीक्षा करेंगे');
    await screenshot(phone, 'desk-walk-in-matched-390-hi');
    await phone.setViewportSize({ width: 1280, height: 720 });
    await screenshot(phone, 'desk-walk-in-matched-1280-hi');
    await phone.getByTestId('language-switch').selectOption('en');
    await expect.poll(() => note.textContent()).toContain('a district officer reviews the identity');
    await screenshot(phone, 'desk-walk-in-matched-1280');
    expect(errors).toEqual([]);
  }, 120_000);
});
