/**
 * Dry runs in Chromium: a drill's test person checked and vaccinated at the real desk by a vaccinator; two
 * simulations (one vaccinator against two) finishing on their own and read side by side on the dry-runs page, in
 * English and Hindi, on a laptop and a phone.
 */
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { insertSite, PUNE } from '../support/fixtures.js';
import { staffWithToken, type StaffMember } from '../support/staff.js';
import {
  createStaff,
  screenshot,
  signInAsStaff,
  startBrowserPlatform,
  watchErrors,
  type BrowserPlatform,
} from './support.js';

let platform: BrowserPlatform;
let officer: StaffMember;

beforeAll(async () => {
  platform = await startBrowserPlatform({ dryRunStepsTaskQueue: `${inject('taskQueue')}-dry-run-steps-browser` });
  officer = await staffWithToken(platform.db, platform.config.tokenSecret, 'DISTRICT_OFFICER', PUNE, {
    password: true,
  });
});

afterAll(async () => {
  await platform?.close();
});

const post = (url: string, payload: unknown) =>
  platform.app.inject({ method: 'POST', url, headers: officer.headers, payload: payload as object });
const get = (url: string) => platform.app.inject({ method: 'GET', url, headers: officer.headers });

describe('dry runs', () => {
  it("records a drill's dose at the real desk, by a vaccinator, against a test person's slip", async () => {
    const { db, baseUrl } = platform;
    onTestFailed(() => platform.screenshotAll('failed-drill'));
    const site = await insertSite(db, PUNE, 'Drill PHC');
    const vaccinator = await createStaff(db, 'VACCINATOR', PUNE);
    const created = await post('/api/v1/dry-runs', {
      name: 'Morning drill',
      mode: 'DRILL',
      siteIds: [site.id],
      parameters: { opensAt: '00:00', closesAt: '23:59', slotMinutes: 720, people: 3, seats: 10, walkinSeats: 0 },
      team: [{ staffId: vaccinator.id, teamRole: 'VACCINATOR' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const run = created.json();
    expect(run).toMatchObject({ mode: 'DRILL', status: 'RUNNING', dayMs: null });
    const people = (await get(`/api/v1/dry-runs/${run.id}/people`)).json().people;
    expect(people).toHaveLength(3);
    const slip = people[0];
    expect(slip).toMatchObject({
      name: 'Test Person 1',
      sessionDayId: run.sessionDayIds[0],
      appointmentStatus: 'BOOKED',
    });

    const phone = await platform.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    const errors = watchErrors(phone);
    await signInAsStaff(phone, baseUrl, vaccinator.username);
    await phone.goto(`${baseUrl}/#/vaccinator`);
    const row = phone.locator('.person-row').filter({ hasText: 'Test Person 1' });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    // The desk says plainly that this is a rehearsal.
    expect(await phone.getByTestId('dry-run-banner').textContent()).toContain('Dry run');
    await row.click();
    await phone.getByLabel(/Secret code/).fill(slip.secretCode);
    await phone.getByRole('button', { name: 'Check identity' }).click();
    await phone.getByLabel('Batch number').fill('DRILL-1');
    await phone.getByTestId('record-dose').click();
    await expect
      .poll(() => phone.getByTestId('desk-message').textContent(), { timeout: 10_000 })
      .toContain('Dose 1 recorded');
    await screenshot(phone, 'dry-run-drill-desk');
    expect(errors).toEqual([]);

    const dose = await db
      .selectFrom('dose')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .innerJoin('session_day', 'session_day.id', 'dose.session_day_id')
      .select(['dose.vaccinator_id', 'dose.batch', 'beneficiary.reference_id', 'session_day.dry_run_id'])
      .where('dose.session_day_id', '=', run.sessionDayIds[0])
      .execute();
    expect(dose).toEqual([
      { vaccinator_id: vaccinator.id, batch: 'DRILL-1', reference_id: slip.referenceId, dry_run_id: run.id },
    ]);
    const findings = (await get(`/api/v1/dry-runs/${run.id}/findings`)).json();
    expect(findings.totals).toMatchObject({ booked: 3, doses: 1 });
    expect(
      (await platform.app.inject({ method: 'DELETE', url: `/api/v1/dry-runs/${run.id}`, headers: officer.headers }))
        .statusCode,
    ).toBe(200);
  });

  it('sets two simulations side by side: one vaccinator against two', { timeout: 180_000 }, async () => {
    const { db, baseUrl } = platform;
    onTestFailed(() => platform.screenshotAll('failed-dry-runs-page'));
    const site = await insertSite(db, PUNE, 'Rehearsal UPHC');
    const simulate = (name: string, vaccinators: number) =>
      post('/api/v1/dry-runs', {
        name,
        mode: 'SIMULATION',
        siteIds: [site.id],
        dayMs: 120_000,
        parameters: {
          opensAt: '09:00',
          closesAt: '12:00',
          slotMinutes: 60,
          people: 30,
          seats: 40,
          walkIns: 4,
          walkinSeats: 4,
          team: { verifiers: 1, vaccinators, observers: 1 },
          serviceMinutes: { verify: 2, vaccinate: 6, release: 1 },
          seed: 3,
        },
      });
    const [one, two] = await Promise.all([simulate('One vaccinator', 1), simulate('Two vaccinators', 2)]);
    expect(one.statusCode, one.body).toBe(201);
    expect(two.statusCode, two.body).toBe(201);
    const finished = async (id: string) => (await get(`/api/v1/dry-runs/${id}`)).json().status;
    await expect.poll(() => finished(one.json().id), { timeout: 150_000, interval: 1000 }).toBe('FINISHED');
    await expect.poll(() => finished(two.json().id), { timeout: 150_000, interval: 1000 }).toBe('FINISHED');

    for (const [viewport, size] of [
      [{ width: 1280, height: 720 }, 'laptop'],
      [{ width: 390, height: 844 }, 'phone'],
    ] as const) {
      const page = await platform.newPage({ viewport, isMobile: size === 'phone' });
      const errors = watchErrors(page);
      await signInAsStaff(page, baseUrl, officer.username);
      await page.goto(`${baseUrl}/#/dry-runs`);
      await page.getByLabel('Show the findings of One vaccinator').check({ timeout: 15_000 });
      await page.getByLabel('Show the findings of Two vaccinators').check();
      const table = page.locator('table.findings');
      await expect
        .poll(() => table.locator('thead th').allTextContents(), { timeout: 15_000 })
        .toEqual(['', 'One vaccinator', 'Two vaccinators']);
      // Both charts draw both runs.
      await expect
        .poll(() => page.locator('.dry-run-findings .recharts-bar-rectangle').count(), { timeout: 10_000 })
        .toBeGreaterThan(4);
      const doses = await table.locator('tr', { hasText: 'Doses per vaccinator-hour' }).locator('td').allTextContents();
      expect(doses).toHaveLength(2);
      await screenshot(page, `dry-runs-side-by-side-${size}`, true);

      await page.getByTestId('language-switch').selectOption('hi');
      await expect
        .poll(() => page.locator('h1').textContent(), { timeout: 10_000 })
        .toBe('ड्राई रन: टीकाकरण दिवस का अभ्यास');
      await expect.poll(() => page.locator('.dry-run-findings h2').first().textContent()).toBe('दो ड्राई रन साथ-साथ');
      await screenshot(page, `dry-runs-side-by-side-${size}-hi`, true);
      await page.getByTestId('language-switch').selectOption('en');
      expect(errors).toEqual([]);
    }
  });

  it(
    'is watched in the district console and the war room when the officer picks it, marked, apart from real sessions',
    { timeout: 120_000 },
    async () => {
      const { db, baseUrl } = platform;
      onTestFailed(() => platform.screenshotAll('failed-dry-run-watch'));
      const site = await insertSite(db, PUNE, 'Watched drill CHC');
      const vaccinator = await createStaff(db, 'VACCINATOR', PUNE);
      const created = await post('/api/v1/dry-runs', {
        name: 'Console drill',
        mode: 'DRILL',
        siteIds: [site.id],
        parameters: { opensAt: '00:00', closesAt: '23:59', slotMinutes: 720, people: 5, seats: 10, walkinSeats: 0 },
        team: [{ staffId: vaccinator.id, teamRole: 'VACCINATOR' }],
      });
      expect(created.statusCode, created.body).toBe(201);
      const run = created.json();
      const dayId = run.sessionDayIds[0];

      for (const [viewport, size] of [
        [{ width: 1280, height: 720 }, 'laptop'],
        [{ width: 390, height: 844 }, 'phone'],
      ] as const) {
        const page = await platform.newPage({ viewport, isMobile: size === 'phone' });
        const errors = watchErrors(page);
        await signInAsStaff(page, baseUrl, officer.username);
        await page.goto(`${baseUrl}/#/district/${PUNE.districtId}`);
        // The real console: no card of the dry run's day, nothing marked as a dry run.
        await expect.poll(() => page.getByTestId('dry-run-picker').count(), { timeout: 15_000 }).toBe(1);
        // Once the real sessions are read: none of them is the dry run's day.
        await expect
          .poll(() => page.locator('.console-header .muted').textContent(), { timeout: 15_000 })
          .toContain('updated');
        expect(await page.locator(`[data-session-day-id="${dayId}"]`).count()).toBe(0);
        expect(await page.getByTestId('dry-run-watch').count()).toBe(0);

        // On a busy machine the page may take longer than an action's 5 s to settle.
        await page.getByTestId('dry-run-picker').selectOption(run.id, { timeout: 15_000 });
        const panel = page.getByTestId('dry-run-watch');
        await expect.poll(() => panel.locator(`[data-session-day-id="${dayId}"]`).count(), { timeout: 15_000 }).toBe(1);
        expect(await page.getByTestId('dry-run-watch-banner').textContent()).toContain('DRY RUN — Console drill');
        expect(await panel.getByTestId('session-card').first().textContent()).toContain('Watched drill CHC');
        // Its card sits in its own panel only, never among the real cards.
        expect(await page.locator(`[data-session-day-id="${dayId}"]`).count()).toBe(1);
        expect(await page.locator(`section.console > .session-cards [data-session-day-id="${dayId}"]`).count()).toBe(0);
        await screenshot(page, `dry-run-watch-console-${size}`);
        await page.getByTestId('language-switch').selectOption('hi');
        await expect
          .poll(() => page.getByTestId('dry-run-watch-banner').textContent(), { timeout: 10_000 })
          .toContain('ड्राई रन — Console drill');
        await screenshot(page, `dry-run-watch-console-${size}-hi`);
        await page.getByTestId('language-switch').selectOption('en');

        // The war room of the district: the same choice, its own marked panel, the real KPIs untouched.
        await page.goto(`${baseUrl}/#/war-room/district/${PUNE.districtId}`);
        await expect.poll(() => page.getByTestId('dry-run-picker').count(), { timeout: 15_000 }).toBe(1);
        expect(await page.getByTestId('dry-run-watch').count()).toBe(0);
        // On a busy machine the page may take longer than an action's 5 s to settle.
        await page.getByTestId('dry-run-picker').selectOption(run.id, { timeout: 15_000 });
        const wall = page.getByTestId('dry-run-watch');
        await expect.poll(() => wall.getByTestId('dry-run-session').count(), { timeout: 15_000 }).toBe(1);
        expect(await wall.getByTestId('dry-run-session').textContent()).toContain('Watched drill CHC');
        expect(await page.locator('.sessions-panel').textContent()).not.toContain('Watched drill CHC');
        await screenshot(page, `dry-run-watch-war-room-${size}`);
        await page.getByTestId('language-switch').selectOption('hi');
        await expect
          .poll(() => page.getByTestId('dry-run-watch-banner').textContent(), { timeout: 10_000 })
          .toContain('ड्राई रन — Console drill');
        await screenshot(page, `dry-run-watch-war-room-${size}-hi`);
        await page.getByTestId('language-switch').selectOption('en');
        expect(errors).toEqual([]);
      }
      expect(
        (await platform.app.inject({ method: 'DELETE', url: `/api/v1/dry-runs/${run.id}`, headers: officer.headers }))
          .statusCode,
      ).toBe(200);
    },
  );

  it(
    'plans a simulation of several sites on the page and reports each site and the whole run',
    { timeout: 180_000 },
    async () => {
      const { db, baseUrl } = platform;
      onTestFailed(() => platform.screenshotAll('failed-dry-run-sites'));
      const first = await insertSite(db, PUNE, 'District hospital A');
      const second = await insertSite(db, PUNE, 'District hospital B');
      const page = await platform.newPage({ viewport: { width: 1280, height: 720 } });
      const errors = watchErrors(page);
      await signInAsStaff(page, baseUrl, officer.username);
      await page.goto(`${baseUrl}/#/dry-runs`);
      const form = page.getByRole('form', { name: 'Plan a simulation' });
      await form.getByLabel('Name').fill('Two hospitals', { timeout: 15_000 });
      await form.getByLabel('District hospital A').check();
      await form.getByLabel('District hospital B').check();
      await expect
        .poll(() => page.getByTestId('dry-run-sites').locator('legend').textContent())
        .toBe('Sites: 2 chosen');
      await form.getByLabel('People booked').fill('12');
      await form.getByLabel('Online seats').fill('20');
      await form.getByLabel('Walk-ins who come').fill('2');
      await form.getByLabel('A day lasts (real minutes)').fill('1');
      await form.getByLabel(/Drill SMS to these staff numbers/).fill('9876500001');
      await page.getByTestId('dry-run-sites').scrollIntoViewIfNeeded();
      await screenshot(page, 'dry-runs-plan-sites-laptop');
      await form.getByRole('button', { name: 'Start the simulation' }).click();

      type Listed = { name: string; id: string; sessionDayIds: string[]; smsNumbers: string[] };
      let run: Listed | undefined;
      await expect
        .poll(
          async () => {
            run = ((await get('/api/v1/dry-runs')).json().dryRuns as Listed[]).find((r) => r.name === 'Two hospitals');
            return run !== undefined;
          },
          { timeout: 15_000 },
        )
        .toBe(true);
      if (!run) throw new Error('the run was not planned');
      const planned: Listed = run;
      expect(planned.sessionDayIds).toHaveLength(2);
      expect(planned.smsNumbers).toEqual(['9876500001']);
      await expect
        .poll(async () => (await get(`/api/v1/dry-runs/${planned.id}`)).json().status, {
          timeout: 150_000,
          interval: 1000,
        })
        .toBe('FINISHED');

      await page.reload();
      await page.getByLabel('Show the findings of Two hospitals').check({ timeout: 15_000 });
      const perSite = page.getByTestId('findings-per-site');
      await expect
        .poll(() => perSite.locator('tbody th').allTextContents(), { timeout: 15_000 })
        .toEqual(['District hospital A', 'District hospital B']);
      const findings = (await get(`/api/v1/dry-runs/${planned.id}/findings`)).json();
      const doses = await perSite
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.children[2]!.textContent));
      expect(doses).toEqual(findings.sites.map((s: { doses: number }) => String(s.doses)));
      expect(findings.totals.doses).toBe(findings.sites.reduce((n: number, s: { doses: number }) => n + s.doses, 0));
      await perSite.scrollIntoViewIfNeeded();
      await screenshot(page, 'dry-runs-per-site-laptop');
      await page.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => page.locator('.dry-run-findings h3').textContent(), { timeout: 10_000 }).toBe('हर केंद्र');
      await perSite.scrollIntoViewIfNeeded();
      await screenshot(page, 'dry-runs-per-site-laptop-hi');
      await page.getByTestId('language-switch').selectOption('en');

      const phone = await platform.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
      await signInAsStaff(phone, baseUrl, officer.username);
      await phone.goto(`${baseUrl}/#/dry-runs`);
      await phone.getByLabel('Show the findings of Two hospitals').check({ timeout: 15_000 });
      await expect
        .poll(() => phone.getByTestId('findings-per-site').locator('tbody tr').count(), { timeout: 15_000 })
        .toBe(2);
      await phone.getByTestId('findings-per-site').scrollIntoViewIfNeeded();
      await screenshot(phone, 'dry-runs-per-site-phone');
      await phone.getByTestId('language-switch').selectOption('hi');
      await expect.poll(() => phone.locator('.dry-run-findings h3').textContent(), { timeout: 10_000 }).toBe('हर केंद्र');
      await phone.getByTestId('findings-per-site').scrollIntoViewIfNeeded();
      await screenshot(phone, 'dry-runs-per-site-phone-hi');
      expect(errors).toEqual([]);
    },
  );
});
