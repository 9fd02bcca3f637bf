import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indiaDate, indiaHourStart } from '../../domain/time.js';
import { ensureTestVaccine } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { GOA, KERALA, recordDose, staffToken, todaySession } from './support.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

async function get(url: string, token?: string) {
  return platform.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** A district's doses in the India clock hour of a dashboard's `asOf`, counted from `dose` itself (not the rollups). */
async function dosesInHourOf(asOf: string, ...districtIds: number[]): Promise<number> {
  const row = await platform.db
    .selectFrom('dose')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('district_id', 'in', districtIds)
    .where('administered_at', '>=', indiaHourStart(new Date(asOf)))
    .where('administered_at', '<=', new Date(asOf))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('war-room dashboards (REST)', () => {
  it('add up the doses recorded through the API: national, state and district', async () => {
    const [north, south] = [GOA(1), GOA(2)];
    const admin = await staffToken(platform, 'NATIONAL_ADMIN', north);
    const nationalBefore = (await get('/api/v1/dashboard/national', admin.token)).json();

    // North Goa: three first doses at one session, and one person's first and second dose at two others.
    const open = await todaySession(platform, north);
    for (let i = 0; i < 3; i++) await recordDose(platform, open);
    const vaccine = await ensureTestVaccine(platform.db);
    const first = await recordDose(platform, await todaySession(platform, north, 5, vaccine));
    await recordDose(platform, await todaySession(platform, north, 5, vaccine), { referenceId: first.referenceId });
    // South Goa: one dose at a session that has since stalled.
    const stalled = await todaySession(platform, south);
    await recordDose(platform, stalled);
    await platform.db.updateTable('session_day').set({ status: 'OPEN' }).where('id', '=', open.sessionDayId).execute();
    await platform.db
      .updateTable('session_day')
      .set({ status: 'STALLED' })
      .where('id', '=', stalled.sessionDayId)
      .execute();

    const targets = await platform.db
      .selectFrom('district')
      .select(['id', 'target_population', 'lat', 'lng'])
      .where('state_id', '=', north.stateId)
      .execute();
    const target = (id: number) => targets.find((t) => t.id === id)!.target_population;

    const stateOfficer = await staffToken(platform, 'STATE_OFFICER', north);
    const state = await get(`/api/v1/dashboard/states/${north.stateId}`, stateOfficer.token);
    expect(state.statusCode, state.body).toBe(200);
    const s = state.json();
    expect(s.scope).toEqual({ kind: 'state', id: 30, name: 'Goa', stateId: 30 });
    expect(s.date).toBe(indiaDate());
    expect(s.kpis).toMatchObject({
      dosesToday: 6,
      liveSessions: 2,
      stalledSessions: 1,
      sessionsToday: 4,
      // The five people registered today, each counted where they were first vaccinated (Goa, no address needed).
      registrationsToday: 5,
      registrationsTotal: null,
    });
    expect(s.kpis.dosesThisHour).toBe(s.dosesPerHour.at(-1).doses);
    expect(s.dosesPerHour.reduce((n: number, h: { doses: number }) => n + h.doses, 0)).toBe(6);
    expect(s.coverage).toEqual([
      {
        id: north.districtId,
        name: 'North Goa',
        dose1: 4,
        dose2: 1,
        targetPopulation: target(north.districtId),
        targetIsDemo: true,
        dosesToday: 5,
        dosesThisHour: await dosesInHourOf(s.asOf, north.districtId),
      },
      {
        id: south.districtId,
        name: 'South Goa',
        dose1: 1,
        dose2: 0,
        targetPopulation: target(south.districtId),
        targetIsDemo: true,
        dosesToday: 1,
        dosesThisHour: await dosesInHourOf(s.asOf, south.districtId),
      },
    ]);
    expect(s.coverage.reduce((n: number, row: { dosesThisHour: number }) => n + row.dosesThisHour, 0)).toBe(
      s.kpis.dosesThisHour,
    );
    expect(s.totals).toEqual({
      dose1: 5,
      dose2: 1,
      targetPopulation: target(north.districtId) + target(south.districtId),
      targetIsDemo: true,
    });
    expect(s.coverageByDay).toHaveLength(30);
    expect(s.coverageByDay.at(-1)).toEqual({
      date: indiaDate(),
      doses: 6,
      dose1: 5,
      dose2: 1,
      dose1Cumulative: 5,
      dose2Cumulative: 1,
    });
    expect(s.coverageByDay[0]).toMatchObject({ doses: 0, dose1Cumulative: 0, dose2Cumulative: 0 });
    expect(s.stalledSessions).toEqual([
      expect.objectContaining({
        sessionDayId: stalled.sessionDayId,
        districtName: 'South Goa',
        vaccinated: 1,
        minutesSinceLastDose: expect.any(Number),
      }),
    ]);
    expect(s).not.toHaveProperty('sessions');
    expect(s).not.toHaveProperty('districts');

    const district = await get(`/api/v1/dashboard/districts/${north.districtId}`, stateOfficer.token);
    expect(district.statusCode, district.body).toBe(200);
    const d = district.json();
    expect(d.kpis).toMatchObject({
      dosesToday: 5,
      liveSessions: 1,
      stalledSessions: 0,
      sessionsToday: 3,
      registrationsToday: 4,
      registrationsTotal: null,
    });
    expect(d.coverage).toEqual([
      expect.objectContaining({
        id: north.districtId,
        dose1: 4,
        dose2: 1,
        dosesToday: 5,
        dosesThisHour: d.kpis.dosesThisHour,
      }),
    ]);
    expect(d.sessions).toHaveLength(3);
    const site = await platform.db
      .selectFrom('session_day')
      .innerJoin('site', 'site.id', 'session_day.site_id')
      .select(['site.lat', 'site.lng'])
      .where('session_day.id', '=', open.sessionDayId)
      .executeTakeFirstOrThrow();
    expect(d.sessions.find((x: { sessionDayId: string }) => x.sessionDayId === open.sessionDayId)).toMatchObject({
      status: 'OPEN',
      vaccinated: 3,
      walkIns: 3,
      booked: 0,
      noShows: 0,
      capacity: 40,
      pace: { expectedByNow: 0, ratio: null },
      lat: site.lat,
      lng: site.lng,
    });
    expect(s.stalledSessions[0]).toMatchObject({ lat: expect.any(Number), lng: expect.any(Number) });

    const national = (await get('/api/v1/dashboard/national', admin.token)).json();
    expect(national.scope).toMatchObject({ kind: 'national', name: 'India' });
    expect(national.coverage.find((row: { id: number }) => row.id === north.stateId)).toMatchObject({
      name: 'Goa',
      dose1: 5,
      dose2: 1,
      dosesToday: 6,
      dosesThisHour: await dosesInHourOf(national.asOf, north.districtId, south.districtId),
    });
    // Every district, with its state and position for the map.
    const { n: districtCount } = await platform.db
      .selectFrom('district')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(national.districts).toHaveLength(Number(districtCount));
    const northRow = targets.find((t) => t.id === north.districtId)!;
    expect(national.districts.find((row: { id: number }) => row.id === north.districtId)).toEqual({
      id: north.districtId,
      name: 'North Goa',
      stateId: north.stateId,
      lat: northRow.lat,
      lng: northRow.lng,
      dose1: 4,
      dose2: 1,
      targetPopulation: northRow.target_population,
      targetIsDemo: true,
      dosesToday: 5,
      dosesThisHour: await dosesInHourOf(national.asOf, north.districtId),
    });
    expect(
      national.districts
        .filter((row: { stateId: number }) => row.stateId === north.stateId)
        .map((row: { id: number }) => row.id)
        .sort(),
    ).toEqual([north.districtId, south.districtId]);
    // Other test files record doses and register people at the same time: national figures only grow.
    expect(national.kpis.dosesToday).toBeGreaterThanOrEqual(nationalBefore.kpis.dosesToday + 6);
    expect(national.kpis.registrationsToday).toBeGreaterThanOrEqual(nationalBefore.kpis.registrationsToday + 5);
    expect(national.kpis.registrationsTotal).toBeGreaterThanOrEqual(national.kpis.registrationsToday);
  });

  it('refuse figures outside the caller’s jurisdiction', async () => {
    const [north, south] = [GOA(1), GOA(2)];
    const districtOfficer = await staffToken(platform, 'DISTRICT_OFFICER', north);
    const vaccinator = await staffToken(platform, 'VACCINATOR', north);
    const stateOfficer = await staffToken(platform, 'STATE_OFFICER', north);
    const admin = await staffToken(platform, 'NATIONAL_ADMIN', north);

    const cases: Array<[string, string | undefined, number]> = [
      ['/api/v1/dashboard/national', undefined, 401],
      ['/api/v1/dashboard/national', districtOfficer.token, 403],
      ['/api/v1/dashboard/national', stateOfficer.token, 403],
      [`/api/v1/dashboard/states/${north.stateId}`, districtOfficer.token, 403],
      [`/api/v1/dashboard/states/${KERALA(1).stateId}`, stateOfficer.token, 403],
      [`/api/v1/dashboard/districts/${south.districtId}`, districtOfficer.token, 403],
      [`/api/v1/dashboard/districts/${south.districtId}`, vaccinator.token, 403],
      [`/api/v1/dashboard/districts/${KERALA(1).districtId}`, stateOfficer.token, 403],
      [`/api/v1/dashboard/districts/${north.districtId}`, districtOfficer.token, 200],
      [`/api/v1/dashboard/districts/${north.districtId}`, vaccinator.token, 200],
      [`/api/v1/dashboard/states/${north.stateId}`, admin.token, 200],
      ['/api/v1/dashboard/states/98', admin.token, 404],
      ['/api/v1/dashboard/districts/999999', admin.token, 404],
      ['/api/v1/dashboard/districts/abc', admin.token, 400],
    ];
    for (const [url, token, status] of cases) {
      const response = await get(url, token);
      expect(`${url} ${response.statusCode}`, response.body).toBe(`${url} ${status}`);
      if (status >= 400) expect(response.json()).toMatchObject({ statusCode: status, message: expect.any(String) });
    }
  });
});
