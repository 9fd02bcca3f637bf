/**
 * A health worker from an uploaded list at the door: the verifier checks their secret code and sees their priority
 * group on the check's card, in English and Hindi at 1280×720 and 390×844 (test-results/screenshots/).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import { aadhaar, bearer, book, loginBeneficiary, uniqueIp } from '../support/journey.js';
import { createActor } from '../support/route-matrix.js';
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

describe('a listed worker at the door', () => {
  it("shows the worker's group on the identity check, in English and Hindi", async () => {
    onTestFailed(() => platform.screenshotAll('failed-priority-door'));
    const { app, db, baseUrl } = platform;
    const day = await insertSessionDay(db, { vaccine: 'COVAXIN', dose1: 10, slotMinutes: 1439 });
    const verifier = await createStaff(db, 'VACCINATOR', PUNE);
    const { date } = await db
      .selectFrom('session_day')
      .select('date')
      .where('id', '=', day.id)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('session_assignment')
      .values({
        session_day_id: day.id,
        staff_id: verifier.id,
        session_date: date,
        team_role: 'VERIFIER',
        assigned_by: null,
      })
      .execute();
    const officer = await createActor(platform, 'DISTRICT_OFFICER', PUNE);

    for (const [i, viewport] of [
      { width: 1280, height: 720 },
      { width: 390, height: 844 },
    ].entries()) {
      const name = ['Kavita Rao', 'Sunil Jadhav'][i]!;
      const mobile = uniqueMobile();
      const listed = await app.inject({
        method: 'POST',
        url: '/api/v1/priority-lists/import?group=HCW',
        headers: { ...bearer(officer.token), 'content-type': 'text/csv' },
        payload: `name,birth_year,gender,mobile,id_type,id_number\n${name},1980,F,${mobile},1,${aadhaar()}\n`,
      });
      expect(listed.statusCode, listed.body).toBe(201);
      const referenceId = listed.json().registered[0].referenceId as string;
      const token = await loginBeneficiary(app, mobile, uniqueIp());
      expect((await book(app, token, referenceId, day.id)).statusCode).toBe(201);
      const { secret_code: secretCode } = await db
        .selectFrom('beneficiary')
        .select('secret_code')
        .where('reference_id', '=', referenceId)
        .executeTakeFirstOrThrow();

      const door = await platform.newPage({ viewport, isMobile: viewport.width < 500 });
      const errors = watchErrors(door);
      await signInAsStaff(door, baseUrl, verifier.username);
      await door.goto(`${baseUrl}/#/vaccinator`);
      await expect.poll(() => door.getByTestId('team-role').textContent(), { timeout: 15_000 }).toBe('Door check');
      await door.locator('.person-row').filter({ hasText: name }).click();
      await door.getByLabel(/Secret code/).fill(secretCode);
      await door.getByRole('button', { name: 'Check identity' }).click();
      await expect
        .poll(() => door.getByTestId('priority-group').textContent(), { timeout: 10_000 })
        .toBe('Priority group: Health-care workers');
      const size = `${viewport.width}x${viewport.height}`;
      await screenshot(door, `priority-door-${size}`, true);
      await door.getByTestId('language-switch').selectOption('hi');
      await expect
        .poll(() => door.getByTestId('priority-group').textContent(), { timeout: 10_000 })
        .toBe('प्राथमिकता समूह: स्वास्थ्य कर्मी');
      await screenshot(door, `priority-door-${size}-hi`, true);
      expect(errors).toEqual([]);
    }
  }, 120_000);
});
