/**
 * The officers' reports as an officer downloads them: the due list (who to visit for dose 2, masked), the session
 * report, the daily district report and the AEFI line list, in CSV and XLSX, each export audited.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { MANIPUR, recordDose, staffToken, todaySession } from '../live/support.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

const HOME = MANIPUR(13);
const DAY_MS = 86_400_000;

async function get(url: string, token: string) {
  return platform.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
}

function csvRows(body: string): Record<string, string>[] {
  return parse(body, { bom: true, columns: true, skip_empty_lines: true });
}

async function xlsxRows(raw: Buffer): Promise<Record<string, unknown>[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(raw as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    rows.push(Object.fromEntries(header.map((h, i) => [h, (row.values as unknown[])[i + 1] ?? ''])));
  });
  return rows;
}

/** A first dose given `daysAgo` days ago at the session (the dose's time moved back, as if given then). */
async function firstDoseDaysAgo(session: Awaited<ReturnType<typeof todaySession>>, daysAgo: number) {
  const { referenceId } = await recordDose(platform, session);
  await platform.db
    .updateTable('dose')
    .set({ administered_at: new Date(Date.now() - daysAgo * DAY_MS) })
    .where('beneficiary_id', '=', (eb) =>
      eb.selectFrom('beneficiary').select('id').where('reference_id', '=', referenceId),
    )
    .execute();
  return referenceId;
}

describe('due lists', () => {
  it('list people due or overdue for dose 2 by block and site, masked, in CSV and XLSX, and audit the export', async () => {
    const officer = await staffToken(platform, 'DISTRICT_OFFICER', HOME);
    const session = await todaySession(platform, HOME); // COVAXIN: dose 2 from day 28, overdue after day 42
    const due = await firstDoseDaysAgo(session, 30);
    const overdue = await firstDoseDaysAgo(session, 50);
    const notYet = await firstDoseDaysAgo(session, 10);
    const done = await firstDoseDaysAgo(session, 35);
    await recordDose(platform, await todaySession(platform, HOME), { referenceId: done });

    const response = await get(`/api/v1/reports/due-list?districtId=${HOME.districtId}`, officer.token);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="due-list-district-14013-.*\.csv"/);
    const rows = csvRows(response.body);
    const mine = (ref: string) => rows.filter((r) => r.reference_id === `XXXXXXXXXX${ref.slice(-4)}`);
    expect(mine(due)).toEqual([expect.objectContaining({ status: 'DUE', vaccine: 'COVAXIN', dose2_booked_on: '' })]);
    expect(mine(overdue)).toEqual([expect.objectContaining({ status: 'OVERDUE' })]);
    expect(mine(notYet)).toEqual([]);
    expect(mine(done)).toEqual([]);
    const row = mine(due)[0]!;
    expect(row.due_from).toBe(addDays(row.dose1_on!, 28));
    expect(row.overdue_after).toBe(addDays(row.dose1_on!, 42));
    expect(row.photo_id).toMatch(/^X{8}\d{4}$/);
    expect(row.mobile).toMatch(/^\*{6}\d{4}$/);
    // Nothing in the file is a full reference id or mobile number.
    expect(response.body).not.toContain(due);

    const xlsx = await get(`/api/v1/reports/due-list?districtId=${HOME.districtId}&format=xlsx`, officer.token);
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const sheet = await xlsxRows(xlsx.rawPayload);
    expect(sheet.map((r) => r.reference_id).sort()).toEqual(rows.map((r) => r.reference_id).sort());
    expect(sheet.find((r) => r.reference_id === row.reference_id)).toMatchObject({
      status: 'DUE',
      age: Number(row.age),
    });

    const audit = await platform.db
      .selectFrom('audit_log')
      .select(['details'])
      .where('actor_id', '=', officer.staffId)
      .where('action', '=', 'REPORT_EXPORTED')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.details)).toEqual([
      expect.objectContaining({ format: 'csv', districtId: HOME.districtId, asOf: indiaDate() }),
      expect.objectContaining({ format: 'xlsx', districtId: HOME.districtId }),
    ]);
  });

  it('answer 400 for a malformed filter and refuse a state-wide due list', async () => {
    const stateOfficer = await staffToken(platform, 'STATE_OFFICER', HOME);
    expect((await get(`/api/v1/reports/due-list?districtId=x`, stateOfficer.token)).statusCode).toBe(400);
    const stateWide = await get(`/api/v1/reports/due-list`, stateOfficer.token);
    expect(stateWide.statusCode).toBe(400);
    expect(stateWide.json().code).toBe('DISTRICT_REQUIRED');
  });
});

describe('session, district and AEFI reports', () => {
  it('report each session day, the district day and every adverse event of the place', async () => {
    const place = MANIPUR(7);
    const stateOfficer = await staffToken(platform, 'STATE_OFFICER', place);
    const session = await todaySession(platform, place);
    const people = [await recordDose(platform, session), await recordDose(platform, session)];
    const dose = await platform.db
      .selectFrom('dose')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .select('dose.id')
      .where('beneficiary.reference_id', '=', people[0]!.referenceId)
      .executeTakeFirstOrThrow();
    const aefi = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/aefi',
      headers: { authorization: `Bearer ${session.vaccinatorToken}` },
      payload: {
        doseId: dose.id,
        severity: 'MINOR',
        symptoms: ['FEVER'],
        notes: '=HYPERLINK("x")',
        clientEventId: randomUUID(),
      },
    });
    expect(aefi.statusCode, aefi.body).toBe(201);

    const sessions = csvRows(
      (await get(`/api/v1/reports/session-days?districtId=${place.districtId}`, stateOfficer.token)).body,
    ).filter((r) => r.date === indiaDate());
    expect(sessions).toContainEqual(
      expect.objectContaining({
        vaccinated: '2',
        vaccine: 'COVAXIN',
        team: 'Test VACCINATOR (vaccinator)',
        stalls: '0',
      }),
    );

    const district = csvRows(
      (await get(`/api/v1/reports/district-daily?districtId=${place.districtId}`, stateOfficer.token)).body,
    );
    expect(district).toHaveLength(1);
    const figures = await platform.db
      .selectFrom('dose')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .select([(eb) => eb.fn.countAll<number>().as('n'), 'beneficiary.gender'])
      .where('dose.district_id', '=', place.districtId)
      .where('dose.dose_number', '=', 1)
      .groupBy('beneficiary.gender')
      .execute();
    const total = figures.reduce((n, f) => n + Number(f.n), 0);
    expect(Number(district[0]!.dose1)).toBe(total);
    expect(Number(district[0]!.dose1_covaxin)).toBe(total);
    for (const f of figures) expect(Number(district[0]![`dose1_gender_${f.gender}`])).toBe(Number(f.n));

    const lines = csvRows((await get(`/api/v1/reports/aefi?stateId=${place.stateId}`, stateOfficer.token)).body);
    const line = lines.find((l) => l.reference_id === `XXXXXXXXXX${people[0]!.referenceId.slice(-4)}`);
    // A note a spreadsheet would run as a formula is written as text.
    expect(line).toMatchObject({
      severity: 'MINOR',
      symptoms: 'FEVER',
      notes: `'=HYPERLINK("x")`,
      district: expect.any(String),
    });
  });

  it('refuse a range longer than a year or the wrong way round', async () => {
    const officer = await staffToken(platform, 'DISTRICT_OFFICER', HOME);
    const long = await get(`/api/v1/reports/session-days?from=2025-01-01&to=2026-06-01`, officer.token);
    expect(long.statusCode).toBe(400);
    expect(long.json().code).toBe('RANGE_TOO_LONG');
    const backwards = await get(`/api/v1/reports/aefi?from=2026-06-02&to=2026-06-01`, officer.token);
    expect(backwards.json().code).toBe('INVALID_RANGE');
  });
});
