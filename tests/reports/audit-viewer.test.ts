/**
 * The audit viewer: a national admin reads every entry, a state officer their state's only; filters by actor,
 * entity and date; pages by id; the export streams the same entries and is itself audited.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indiaDate } from '../../domain/time.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { GOA, MANIPUR, recordDose, staffToken, todaySession } from '../live/support.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

async function get(url: string, token: string) {
  return platform.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
}

async function doseId(referenceId: string): Promise<string> {
  const row = await platform.db
    .selectFrom('dose')
    .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
    .select('dose.id')
    .where('beneficiary.reference_id', '=', referenceId)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe('the audit viewer', () => {
  it("shows a state officer their state's entries only, and an admin everyone's, with filters and pages", async () => {
    const manipur = MANIPUR(3);
    const goa = GOA(2);
    const here = await todaySession(platform, manipur);
    const there = await todaySession(platform, goa);
    const hereDose = await doseId((await recordDose(platform, here)).referenceId);
    const thereDose = await doseId((await recordDose(platform, there)).referenceId);

    const officer = await staffToken(platform, 'STATE_OFFICER', manipur);
    const admin = await staffToken(platform, 'NATIONAL_ADMIN', manipur);
    const entries = async (token: string, id: string) =>
      (await get(`/api/v1/audit?entityType=dose&entityId=${id}&from=${indiaDate()}`, token)).json().entries;
    expect(await entries(officer.token, hereDose)).toEqual([
      expect.objectContaining({
        action: 'DOSE_RECORDED',
        entityType: 'dose',
        entityId: hereDose,
        actorType: 'STAFF',
        actorName: 'Test VACCINATOR',
      }),
    ]);
    expect(await entries(officer.token, thereDose)).toEqual([]);
    expect(await entries(admin.token, thereDose)).toHaveLength(1);

    // Pages: newest first, each page older than the last.
    const first = (await get('/api/v1/audit?limit=1', admin.token)).json();
    expect(first.entries).toHaveLength(1);
    const second = (await get(`/api/v1/audit?limit=1&before=${first.next}`, admin.token)).json();
    expect(second.entries).toHaveLength(1);
    expect(Math.max(...second.entries.map((e: { id: number }) => e.id))).toBeLessThan(
      Math.min(...first.entries.map((e: { id: number }) => e.id)),
    );

    const exported = await get(`/api/v1/audit/export?entityType=dose&entityId=${hereDose}`, officer.token);
    expect(exported.statusCode, exported.body).toBe(200);
    const rows = parse(exported.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.action, r.entity_id])).toEqual([['DOSE_RECORDED', hereDose]]);
    const audited = await get(`/api/v1/audit?actorId=${officer.staffId}&action=REPORT_EXPORTED`, officer.token);
    expect(audited.json().entries).toEqual([
      expect.objectContaining({
        entityType: 'report',
        entityId: 'audit-log',
        details: expect.objectContaining({ entityId: hereDose, format: 'csv' }),
      }),
    ]);
  });

  it('refuses malformed filters with 400', async () => {
    const admin = await staffToken(platform, 'NATIONAL_ADMIN', MANIPUR(3));
    expect((await get('/api/v1/audit?entityType=DROP%20TABLE', admin.token)).statusCode).toBe(400);
    expect((await get('/api/v1/audit?from=2026-02-02&to=2026-01-01', admin.token)).json().code).toBe('INVALID_RANGE');
  });
});
