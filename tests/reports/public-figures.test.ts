/**
 * The public dashboard blocks Co-WIN showed beside its totals: doses by age group, by gender, by time of day, the
 * last 30 days and adverse events, for a district, from the real doses recorded through the API.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indiaDate } from '../../domain/time.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { MANIPUR, recordDose, todaySession } from '../live/support.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

const HOME = MANIPUR(5);

describe('public report blocks', () => {
  it('count doses by age group, gender and hour, the last 30 days and AEFI for the district', async () => {
    const session = await todaySession(platform, HOME);
    const year = Number(indiaDate().slice(0, 4));
    // Three people: 20 (F), 50 (M), 70 (O) this year.
    const people = [];
    for (const [age, gender] of [
      [20, 'F'],
      [50, 'M'],
      [70, 'O'],
    ] as const) {
      const { referenceId } = await recordDose(platform, session);
      await platform.db
        .updateTable('beneficiary')
        .set({ birth_year: year - age, gender })
        .where('reference_id', '=', referenceId)
        .execute();
      people.push(referenceId);
    }
    const dose = await platform.db
      .selectFrom('dose')
      .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
      .select('dose.id')
      .where('beneficiary.reference_id', '=', people[0]!)
      .executeTakeFirstOrThrow();
    const aefi = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/aefi',
      headers: { authorization: `Bearer ${session.vaccinatorToken}` },
      payload: { doseId: dose.id, severity: 'MINOR', symptoms: ['FEVER'], clientEventId: randomUUID() },
    });
    expect(aefi.statusCode, aefi.body).toBe(201);

    const response = await platform.app.inject({
      method: 'GET',
      url: `/api/v1/reports/v2/getPublicReports?state_id=${HOME.stateId}&district_id=${HOME.districtId}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json();
    expect(report.topBlock.vaccination).toMatchObject({ total: 3, today: 3, male: 1, female: 1, others: 1, aefi: 1 });
    expect(report.vaccinationByAge).toEqual({
      total: 3,
      vac_12_14: 0,
      vac_15_17: 0,
      vac_18_45: 1,
      vac_45_60: 1,
      above_60: 1,
    });
    expect(report.vaccinationDoneByTime.reduce((n: number, h: { count: number }) => n + h.count, 0)).toBe(3);
    expect(report.vaccinationDoneByTime.at(-1)).toMatchObject({
      dose_one: expect.any(Number),
      label: expect.stringMatching(/^\d{2}:00$/),
    });
    expect(report.last30DaysVaccination).toHaveLength(30);
    expect(report.last30DaysVaccination.at(-1)).toMatchObject({
      vaccine_date: indiaDate(),
      total: 3,
      dose_1: 3,
      dose_2: 0,
    });
    expect(report.last30DaysAefi.at(-1)).toMatchObject({ vaccine_date: indiaDate(), aefi: 1 });
    expect(report.last30DaysAefi.at(-1).label).toMatch(/^\d{2} [A-Z][a-z]{2}$/);
  });
});
