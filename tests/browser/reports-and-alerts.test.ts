/**
 * A district officer's day with the new tools: downloading the dose-2 due list for the ASHA workers (the rows are
 * the people the database says are due), and a serious adverse event reaching the district console live.
 * Screens in English and Hindi at 1280×720 and 390×844 (test-results/screenshots/).
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { addDays } from '../../domain/time.js';
import { MANIPUR, recordDose, todaySession } from '../live/support.js';
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

const HOME = MANIPUR(4);
const DAY_MS = 86_400_000;

describe('reports and alerts in the browser', () => {
  it('downloads the due list, whose rows are the people the database has due for dose 2', async () => {
    onTestFailed(() => platform.screenshotAll('failed-due-list'));
    const { db, baseUrl } = platform;
    const session = await todaySession(platform, HOME);
    for (const daysAgo of [30, 33, 50, 5]) {
      const { referenceId } = await recordDose(platform, session);
      await db
        .updateTable('dose')
        .set({ administered_at: new Date(Date.now() - daysAgo * DAY_MS) })
        .where('beneficiary_id', '=', (eb) =>
          eb.selectFrom('beneficiary').select('id').where('reference_id', '=', referenceId),
        )
        .execute();
    }
    const officer = await createStaff(db, 'DISTRICT_OFFICER', HOME);
    const page = await platform.newPage({ viewport: { width: 1280, height: 720 } });
    const errors = watchErrors(page);
    await signInAsStaff(page, baseUrl, officer.username);
    await page.goto(`${baseUrl}/#/reports`);
    await expect
      .poll(() => page.getByTestId('due-block').locator('option').count(), { timeout: 10_000 })
      .toBeGreaterThan(1);
    await screenshot(page, 'reports-1280x720');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-due-list-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^due-list-district-14004-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parse(readFileSync((await download.path())!, 'utf8'), { bom: true, columns: true }) as Record<
      string,
      string
    >[];

    // What the database says: first doses in the district, COVAXIN window open (28 days), no second dose.
    const expected = await db
      .selectFrom('dose as d1')
      .innerJoin('beneficiary as b', 'b.id', 'd1.beneficiary_id')
      .select(['b.reference_id', 'b.name', 'd1.administered_at'])
      .where('d1.district_id', '=', HOME.districtId)
      .where('d1.dose_number', '=', 1)
      .where('d1.administered_at', '<=', new Date(Date.now() - 28 * DAY_MS))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('dose as d2')
              .select('d2.id')
              .whereRef('d2.beneficiary_id', '=', 'd1.beneficiary_id')
              .where('d2.dose_number', '=', 2),
          ),
        ),
      )
      .execute();
    expect(expected).toHaveLength(3);
    expect(rows.map((r) => r.reference_id).sort()).toEqual(
      expected.map((e) => `XXXXXXXXXX${e.reference_id.slice(-4)}`).sort(),
    );
    expect(rows.map((r) => r.name).sort()).toEqual(expected.map((e) => e.name).sort());
    for (const row of rows) expect(row.due_from).toBe(addDays(row.dose1_on!, 28));
    expect(rows.filter((r) => r.status === 'OVERDUE')).toHaveLength(1);

    await page.getByTestId('language-switch').selectOption('hi');
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('रिपोर्ट');
    await screenshot(page, 'reports-1280x720-hi');
    const phone = await platform.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await signInAsStaff(phone, baseUrl, officer.username);
    await phone.goto(`${baseUrl}/#/reports`);
    await expect.poll(() => phone.getByTestId('report-due-list').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(phone, 'reports-390x844', true);
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows a serious adverse event on the district console the moment it is reported', async () => {
    onTestFailed(() => platform.screenshotAll('failed-aefi-console'));
    const { db, baseUrl, app } = platform;
    const officer = await createStaff(db, 'DISTRICT_OFFICER', HOME);
    const session = await todaySession(platform, HOME);
    const { referenceId } = await recordDose(platform, session);
    const dose = await db
      .selectFrom('dose')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .select('dose.id')
      .where('beneficiary.reference_id', '=', referenceId)
      .executeTakeFirstOrThrow();

    const page = await platform.newPage({ viewport: { width: 1280, height: 720 } });
    const errors = watchErrors(page);
    await signInAsStaff(page, baseUrl, officer.username);
    await page.goto(`${baseUrl}/#/district`);
    await expect
      .poll(() => page.locator('.console-header').textContent(), { timeout: 15_000 })
      .toContain('live feed: live');
    const reloads: string[] = [];
    page.on('framenavigated', (frame) => frame === page.mainFrame() && reloads.push(frame.url()));

    const reported = await app.inject({
      method: 'POST',
      url: '/api/v1/aefi',
      headers: { authorization: `Bearer ${session.vaccinatorToken}` },
      payload: { doseId: dose.id, severity: 'SEVERE', symptoms: ['ANAPHYLAXIS'], clientEventId: randomUUID() },
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const alert = page.getByTestId('aefi-alert');
    await expect.poll(() => alert.count(), { timeout: 5_000 }).toBe(1);
    expect(await alert.getAttribute('data-aefi-id')).toBe(reported.json().aefiId);
    expect(await alert.textContent()).toMatch(/Severe adverse event reported.*anaphylaxis/s);
    expect(reloads).toEqual([]);
    await screenshot(page, 'district-console-aefi-alert-1280x720');
    await page.getByTestId('language-switch').selectOption('hi');
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toMatch(/अति गंभीर/);
    await screenshot(page, 'district-console-aefi-alert-1280x720-hi');
    await alert.getByRole('button').click();
    await expect.poll(() => alert.count(), { timeout: 10_000 }).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the public vaccination figures without a login, in English and Hindi', async () => {
    onTestFailed(() => platform.screenshotAll('failed-public-figures'));
    const page = await platform.newPage({ viewport: { width: 1280, height: 720 } });
    const errors = watchErrors(page);
    await page.goto(`${platform.baseUrl}/#/figures`);
    await expect.poll(() => page.getByTestId('figure-total').textContent(), { timeout: 15_000 }).toMatch(/^[\d,]+$/);
    // A responsive chart draws its surface only once it has measured its box, a frame or more after the figures.
    for (const block of ['figures-by-age', 'figures-by-gender', 'figures-by-time', 'figures-last-30', 'figures-aefi'])
      await expect
        .poll(() => page.getByTestId(block).locator('.recharts-surface').count(), { message: block, timeout: 10_000 })
        .toBeGreaterThan(0);
    await screenshot(page, 'public-figures-1280x720', true);
    await page.getByTestId('language-switch').selectOption('hi');
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('टीकाकरण आँकड़े');
    await screenshot(page, 'public-figures-1280x720-hi', true);
    const phone = await platform.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.goto(`${platform.baseUrl}/#/figures`);
    await expect.poll(() => phone.getByTestId('figure-total').count(), { timeout: 15_000 }).toBe(1);
    await screenshot(phone, 'public-figures-390x844', true);
    expect(errors).toEqual([]);
  }, 120_000);

  it("shows a state officer their state's audit entries", async () => {
    onTestFailed(() => platform.screenshotAll('failed-audit'));
    const officer = await createStaff(platform.db, 'STATE_OFFICER', HOME);
    const page = await platform.newPage({ viewport: { width: 1280, height: 720 } });
    const errors = watchErrors(page);
    await signInAsStaff(page, platform.baseUrl, officer.username);
    await page.goto(`${platform.baseUrl}/#/audit`);
    // The doses recorded in the state by the tests above are the state's entries.
    await expect
      .poll(() => page.getByTestId('audit-table').locator('tbody tr').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await page.getByTestId('audit-table').textContent()).toContain('DOSE_RECORDED');
    await screenshot(page, 'audit-1280x720');

    // The export buttons download what the viewer shows, as CSV and XLSX, and the export is itself audited.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export-csv').click()]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const exported = parse(readFileSync((await csv.path())!, 'utf8'), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    expect(exported.length).toBeGreaterThan(0);
    expect(exported.map((row) => row.action)).toContain('DOSE_RECORDED');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    expect(
      readFileSync((await xlsx.path())!)
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    await expect
      .poll(
        async () =>
          (
            await platform.db
              .selectFrom('audit_log')
              .select('details')
              .where('action', '=', 'REPORT_EXPORTED')
              .where('entity_id', '=', 'audit-log')
              .where('actor_id', '=', officer.id)
              .execute()
          ).map((row) => (row.details as { format?: string }).format),
        { timeout: 10_000 },
      )
      .toEqual(expect.arrayContaining(['csv', 'xlsx']));
    await page.getByTestId('language-switch').selectOption('hi');
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 10_000 }).toBe('ऑडिट लॉग');
    await screenshot(page, 'audit-1280x720-hi');
    expect(errors).toEqual([]);
  }, 120_000);
});
