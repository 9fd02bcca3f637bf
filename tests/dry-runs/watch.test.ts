/**
 * Watching a dry run live: its session days are read on their own (GET /api/v1/dry-runs/:id/sessions), as the
 * console shows a day, and officers intervene on them as on any day; the real war room and district console never
 * list them or count them, before or after an intervention.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay, insertSite } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { bookedPerson } from '../desk/helpers.js';
import { someDistrict, staffMember, type District, type Member } from '../teams/support.js';

let platform: TestPlatform;
let district: District;
let officer: Member;
let realDayId = '';

const get = (as: Member, url: string) => platform.app.inject({ method: 'GET', url, headers: as.headers });

/** The district's real dashboard as the war room and console read it (not what moves with the clock). */
async function realDashboard() {
  const response = await get(officer, `/api/v1/dashboard/districts/${district.districtId}`);
  expect(response.statusCode, response.body).toBe(200);
  const d = response.json();
  return {
    text: response.body,
    figures: {
      kpis: { dosesToday: d.kpis.dosesToday, sessionsToday: d.kpis.sessionsToday, stalled: d.kpis.stalledSessions },
      totals: d.totals,
      sessions: d.sessions.map((s: { sessionDayId: string; booked: number }) => [s.sessionDayId, s.booked]),
    },
  };
}

beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 86_400_000 });
  district = await someDistrict(platform.db);
  officer = await staffMember(platform.app, platform.db, platform.config, 'DISTRICT_OFFICER', district);
  const day = await insertSessionDay(platform.db, { district });
  await bookedPerson(platform.app, day.id);
  realDayId = day.id;
});
afterAll(() => platform?.close());

describe('a dry run watched live', () => {
  it('shows its own session days, marked as its, and never among the real ones', { timeout: 120_000 }, async () => {
    const { app, db, config } = platform;
    const before = await realDashboard();
    expect(before.figures.sessions.map(([id]: [string]) => id)).toContain(realDayId);

    const site = await insertSite(db, district, 'Watched drill PHC');
    const vaccinator = await staffMember(app, db, config, 'VACCINATOR', district);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/dry-runs',
      headers: officer.headers,
      payload: {
        name: 'Watched drill',
        mode: 'DRILL',
        siteIds: [site.id],
        parameters: { opensAt: '00:00', closesAt: '23:59', slotMinutes: 720, people: 4, seats: 10, walkinSeats: 0 },
        team: [{ staffId: vaccinator.staffId, teamRole: 'VACCINATOR' }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const run = created.json();
    const [dayId] = run.sessionDayIds as string[];

    const watched = await get(officer, `/api/v1/dry-runs/${run.id}/sessions`);
    expect(watched.statusCode, watched.body).toBe(200);
    const body = watched.json();
    expect(body).toMatchObject({
      dryRun: { id: run.id, name: 'Watched drill', mode: 'DRILL', status: 'RUNNING', districtId: district.districtId },
      clock: 'REAL',
    });
    expect(body.sessions).toHaveLength(1);
    expect(body.sessions[0]).toMatchObject({ sessionDayId: dayId, siteName: 'Watched drill PHC', booked: 4 });
    // Only the run's days: the real day of the district is not in it.
    expect(watched.body).not.toContain(realDayId);

    // An officer intervenes on the dry run's day as on any day: it opens under its workflow, then is paused.
    const pause = async () =>
      app.inject({
        method: 'POST',
        url: `/api/v1/session-days/${dayId}/interventions/pause`,
        headers: officer.headers,
        payload: { reason: 'drill: a vaccine carrier is late' },
      });
    let paused = await pause();
    for (let i = 0; i < 50 && paused.statusCode === 409; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      paused = await pause();
    }
    expect(paused.statusCode, paused.body).toBe(200);
    expect(paused.json().status).toBe('PAUSED');
    const after = (await get(officer, `/api/v1/dry-runs/${run.id}/sessions`)).json();
    expect(after.sessions[0]).toMatchObject({ sessionDayId: dayId, status: 'PAUSED' });

    // The real war room and console: the same figures as before the dry run, and no trace of its day.
    const real = await realDashboard();
    expect(real.figures).toEqual(before.figures);
    expect(real.text).not.toContain(dayId);
    expect(real.text).not.toContain('Watched drill');
  });

  it('is watched only by officers of its district or above', async () => {
    const { app, db, config } = platform;
    const runs = (await get(officer, `/api/v1/dry-runs?districtId=${district.districtId}`)).json().dryRuns;
    const run = runs.find((r: { name: string }) => r.name === 'Watched drill');
    let elsewhere: District;
    do elsewhere = await someDistrict(db);
    while (elsewhere.districtId === district.districtId);
    const outsider = await staffMember(app, db, config, 'DISTRICT_OFFICER', elsewhere);
    expect((await get(outsider, `/api/v1/dry-runs/${run.id}/sessions`)).statusCode).toBe(403);
    const vaccinator = await staffMember(app, db, config, 'VACCINATOR', district);
    expect((await get(vaccinator, `/api/v1/dry-runs/${run.id}/sessions`)).statusCode).toBe(403);
    expect((await get(officer, '/api/v1/dry-runs/00000000-0000-4000-8000-000000000000/sessions')).statusCode).toBe(404);
  });
});
