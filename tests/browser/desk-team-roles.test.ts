/**
 * The desk per team role, in Chromium: the verifier checks identity at the door (and is never offered a dose),
 * the vaccinator sees only verified people and records the dose against the door check, the observer sees a
 * running timer, reports an adverse event, and releases the person once the observation is over.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Db } from '../../db/connection.js';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
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

async function assign(db: Db, sessionDayId: string, staffId: string, teamRole: 'VACCINATOR' | 'VERIFIER' | 'OBSERVER') {
  const { date } = await db
    .selectFrom('session_day')
    .select('date')
    .where('id', '=', sessionDayId)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('session_assignment')
    .values({
      session_day_id: sessionDayId,
      staff_id: staffId,
      session_date: date,
      team_role: teamRole,
      assigned_by: null,
    })
    .execute();
}

describe('the desk of each team role', () => {
  it('door check, vaccinator list, observation timer with AEFI and release', async () => {
    const { app, db, baseUrl } = platform;
    onTestFailed(() => platform.screenshotAll('failed-desk-roles'));
    const day = await insertSessionDay(db, { vaccine: 'COVAXIN', dose1: 10, slotMinutes: 1439 });
    const verifier = await createStaff(db, 'VACCINATOR', PUNE);
    const vaccinator = await createStaff(db, 'VACCINATOR', PUNE);
    const observer = await createStaff(db, 'VACCINATOR', PUNE);
    await assign(db, day.id, verifier.id, 'VERIFIER');
    await assign(db, day.id, vaccinator.id, 'VACCINATOR');
    await assign(db, day.id, observer.id, 'OBSERVER');
    const token = await loginBeneficiary(app, uniqueMobile());
    const { referenceId, secretCode } = (await registerPerson(app, token, { name: 'Lata Pawar' })).json();
    const booked = await app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: { authorization: `Bearer ${token}` },
      payload: { referenceId, sessionDayId: day.id },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true };

    // The door: a check, and no dose button anywhere.
    const door = await platform.newPage(phone);
    const doorErrors = watchErrors(door);
    await signInAsStaff(door, baseUrl, verifier.username);
    await door.goto(`${baseUrl}/#/vaccinator`);
    await expect.poll(() => door.getByTestId('team-role').textContent(), { timeout: 15_000 }).toBe('Door check');
    expect(await door.locator('.desk-tabs button').allTextContents()).toEqual(['Door check', 'Walk-in', 'Records']);
    await door.locator('.person-row').filter({ hasText: 'Lata Pawar' }).click();
    const wrong = String((Number(secretCode) + 1) % 10_000).padStart(4, '0');
    await door.getByLabel(/Secret code/).fill(wrong);
    await door.getByRole('button', { name: 'Check identity' }).click();
    await expect.poll(() => door.getByTestId('identity-notice').textContent()).toContain('does not match');
    await door.getByLabel(/Secret code/).fill(secretCode);
    await door.getByRole('button', { name: 'Check identity' }).click();
    await expect
      .poll(() => door.getByTestId('verified-card').textContent())
      .toContain('Send the person to the vaccinator');
    expect(await door.getByTestId('record-dose').count()).toBe(0);
    await screenshot(door, 'desk-role-door');
    expect(doorErrors).toEqual([]);

    // The vaccinator: only verified people, a dose against the door check.
    const desk = await platform.newPage(phone);
    const deskErrors = watchErrors(desk);
    await signInAsStaff(desk, baseUrl, vaccinator.username);
    await desk.goto(`${baseUrl}/#/vaccinator`);
    await expect.poll(() => desk.getByTestId('team-role').textContent(), { timeout: 15_000 }).toBe('Vaccinator');
    expect(await desk.locator('.desk-tabs button').allTextContents()).toEqual([
      'To vaccinate',
      'Verify & record',
      'Records',
    ]);
    await desk.getByTestId('people-vaccinate').locator('.person-row').filter({ hasText: 'Lata Pawar' }).click();
    await desk.getByLabel('Batch number').fill('ROLE-1');
    await desk.getByTestId('record-dose').click();
    await expect
      .poll(() => desk.getByTestId('desk-message').textContent(), { timeout: 10_000 })
      .toContain('Dose 1 recorded');
    const dose = await db
      .selectFrom('dose')
      .select(['id', 'verification_id'])
      .where('session_day_id', '=', day.id)
      .executeTakeFirstOrThrow();
    expect(dose.verification_id).not.toBeNull();
    await screenshot(desk, 'desk-role-vaccinator');
    expect(deskErrors).toEqual([]);

    // The observer: a running timer, an adverse event, and the release once the period is over.
    const watch = await platform.newPage(phone);
    const watchErrorsList = watchErrors(watch);
    await signInAsStaff(watch, baseUrl, observer.username);
    await watch.goto(`${baseUrl}/#/vaccinator`);
    await expect.poll(() => watch.getByTestId('team-role').textContent(), { timeout: 15_000 }).toBe('Observer');
    const timer = watch.getByTestId('observation-timer');
    await expect.poll(() => timer.textContent(), { timeout: 15_000 }).toMatch(/^(29|30):\d\d left$/);
    const first = await timer.textContent();
    await expect.poll(() => timer.textContent(), { timeout: 10_000 }).not.toBe(first);
    await screenshot(watch, 'desk-role-observer');
    await watch.getByRole('button', { name: 'Report adverse event' }).click();
    const dialog = watch.getByRole('dialog');
    await dialog.getByLabel('Fever').check();
    await dialog.getByRole('button', { name: 'Report' }).click();
    await expect.poll(() => watch.getByTestId('desk-message').textContent()).toContain('Adverse event reported');
    const reports = await db
      .selectFrom('aefi_report')
      .select(['severity', 'symptoms'])
      .where('dose_id', '=', dose.id)
      .execute();
    expect(reports).toEqual([{ severity: 'MINOR', symptoms: ['FEVER'] }]);

    // The observation period ends (the dose moved 31 minutes into the past): the person may be released.
    await sql`update dose set administered_at = administered_at - interval '31 minutes' where id = ${dose.id}`.execute(
      db,
    );
    await watch.reload();
    await watch.getByRole('button', { name: 'Release' }).click({ timeout: 15_000 });
    await expect.poll(() => watch.getByTestId('desk-message').textContent()).toContain('Lata Pawar may leave');
    const released = await db
      .selectFrom('observation_release')
      .select('released_by')
      .where('dose_id', '=', dose.id)
      .execute();
    expect(released).toEqual([{ released_by: observer.id }]);
    expect(watchErrorsList).toEqual([]);
  }, 180_000);
});
