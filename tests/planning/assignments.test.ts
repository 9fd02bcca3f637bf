import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, indiaDate } from '../../domain/time.js';
import { insertSessionDay, insertStaff } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { bearer, createActor, HOME, MUMBAI, type Actor, type MatrixEnv } from '../support/route-matrix.js';

let platform: TestPlatform;
let env: MatrixEnv;
let officer: Actor;
beforeAll(async () => {
  platform = await startTestPlatform();
  env = { app: platform.app, db: platform.db, config: platform.config };
  officer = await createActor(env, 'DISTRICT_OFFICER', HOME);
});
afterAll(() => platform.close());

const tomorrow = () => addDays(indiaDate(), 1);
const dayIn = (district = HOME, date = tomorrow()) =>
  insertSessionDay(env.db, { district, date, opensAt: '09:00:00', closesAt: '17:00:00', slotMinutes: 120 });
const assign = (sessionDayId: string, staffId: string, teamRole = 'VACCINATOR') =>
  env.app.inject({
    method: 'POST',
    url: `/api/v1/session-days/${sessionDayId}/assignments`,
    headers: bearer(officer.token),
    payload: { staffId, teamRole },
  });

describe('putting staff on session days', () => {
  it('assigns a vaccinator, shows them on the day, and takes them off again', async () => {
    const day = await dayIn();
    const vaccinator = await insertStaff(env.db, 'VACCINATOR', HOME);
    const assigned = await assign(day.id, vaccinator.id);
    expect(assigned.statusCode, assigned.body).toBe(201);
    expect(assigned.json()).toEqual({
      sessionDayId: day.id,
      staffId: vaccinator.id,
      teamRole: 'VACCINATOR',
      created: true,
    });
    expect((await assign(day.id, vaccinator.id)).statusCode).toBe(200);

    const listed = await env.app.inject({
      method: 'GET',
      url: `/api/v1/session-days?date=${tomorrow()}`,
      headers: bearer(officer.token),
    });
    expect(listed.json().sessionDays.find((d: { id: string }) => d.id === day.id).team).toEqual([
      { staffId: vaccinator.id, name: 'Test VACCINATOR', role: 'VACCINATOR', teamRole: 'VACCINATOR' },
    ]);

    const removed = await env.app.inject({
      method: 'DELETE',
      url: `/api/v1/session-days/${day.id}/assignments/${vaccinator.id}`,
      headers: bearer(officer.token),
    });
    expect(removed.statusCode).toBe(204);
    const again = await env.app.inject({
      method: 'DELETE',
      url: `/api/v1/session-days/${day.id}/assignments/${vaccinator.id}`,
      headers: bearer(officer.token),
    });
    expect(again.statusCode).toBe(404);

    const audit = await env.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', day.id)
      .where('actor_id', '=', officer.staffId)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['STAFF_ASSIGNED', 'STAFF_UNASSIGNED']);
  });

  it('never books a person on two session days of the same date: 409 naming the other day', async () => {
    const vaccinator = await insertStaff(env.db, 'VACCINATOR', HOME);
    const first = await dayIn();
    const second = await dayIn();
    expect((await assign(first.id, vaccinator.id)).statusCode).toBe(201);

    const clash = await assign(second.id, vaccinator.id);
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({
      code: 'STAFF_DOUBLE_BOOKED',
      details: { otherSessionDayId: first.id, date: tomorrow() },
    });
    expect(clash.json().message).toContain(first.id);

    // Another date is fine.
    expect((await assign((await dayIn(HOME, addDays(indiaDate(), 2))).id, vaccinator.id)).statusCode).toBe(201);
  });

  it('the same rule holds when two officers assign at once', async () => {
    const vaccinator = await insertStaff(env.db, 'VACCINATOR', HOME);
    const days = await Promise.all([dayIn(), dayIn(), dayIn()]);
    const answers = await Promise.all(days.map((d) => assign(d.id, vaccinator.id)));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409]);
  });

  it('refuses staff of another district, a deactivated vaccinator, and an officer as a vaccinator', async () => {
    const day = await dayIn();
    const mumbai = await insertStaff(env.db, 'VACCINATOR', MUMBAI);
    const outside = await assign(day.id, mumbai.id);
    expect(outside.statusCode).toBe(422);
    expect(outside.json().code).toBe('STAFF_OUTSIDE_DISTRICT');

    const inactive = await insertStaff(env.db, 'VACCINATOR', HOME);
    await env.db.updateTable('staff_user').set({ active: false }).where('id', '=', inactive.id).execute();
    expect((await assign(day.id, inactive.id)).json().code).toBe('STAFF_INACTIVE');

    const colleague = await insertStaff(env.db, 'DISTRICT_OFFICER', HOME);
    expect((await assign(day.id, colleague.id)).json().code).toBe('TEAM_ROLE_NOT_ALLOWED');
    expect((await assign(day.id, colleague.id, 'OBSERVER')).statusCode).toBe(201);
  });

  it('assigns the vaccinators named when a session day is planned', async () => {
    const vaccinators = [await insertStaff(env.db, 'VACCINATOR', HOME), await insertStaff(env.db, 'VACCINATOR', HOME)];
    const site = (await dayIn()).siteId;
    const planned = await env.app.inject({
      method: 'POST',
      url: '/api/v1/session-days',
      headers: bearer(officer.token),
      payload: {
        siteId: site,
        date: addDays(indiaDate(), 3),
        vaccineCode: 'COVISHIELD',
        dose1Capacity: 10,
        dose2Capacity: 10,
        opensAt: '09:00',
        closesAt: '12:00',
        vaccinatorIds: vaccinators.map((v) => v.id),
      },
    });
    expect(planned.statusCode, planned.body).toBe(201);
    expect(
      planned
        .json()
        .team.map((t: { staffId: string }) => t.staffId)
        .sort(),
    ).toEqual(vaccinators.map((v) => v.id).sort());

    // A clash with one of them plans nothing.
    const other = await insertSessionDay(env.db, { district: HOME, date: addDays(indiaDate(), 4) });
    await assign(other.id, vaccinators[0].id);
    const clash = await env.app.inject({
      method: 'POST',
      url: '/api/v1/session-days',
      headers: bearer(officer.token),
      payload: {
        siteId: site,
        date: addDays(indiaDate(), 4),
        vaccineCode: 'COVISHIELD',
        dose1Capacity: 10,
        dose2Capacity: 10,
        opensAt: '09:00',
        closesAt: '12:00',
        vaccinatorIds: [vaccinators[0].id],
      },
    });
    expect(clash.statusCode).toBe(409);
    const planned4 = await env.db
      .selectFrom('session_day')
      .select('id')
      .where('site_id', '=', site)
      .where('date', '=', addDays(indiaDate(), 4))
      .execute();
    expect(planned4).toEqual([]);
  });
});
