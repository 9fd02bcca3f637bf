import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { bearer, createActor, DELHI, HOME, MUMBAI, type MatrixEnv } from '../support/route-matrix.js';

let platform: TestPlatform;
let env: MatrixEnv;
beforeAll(async () => {
  platform = await startTestPlatform();
  env = { app: platform.app, db: platform.db, config: platform.config };
});
afterAll(() => platform.close());

const username = (prefix = 'vax') => `${prefix}.${randomUUID().slice(0, 8)}`;
const PASSWORD = 'a long enough secret';

async function createStaff(token: string, body: Record<string, unknown>) {
  return env.app.inject({
    method: 'POST',
    url: '/api/v1/staff',
    headers: bearer(token),
    payload: { password: PASSWORD, name: 'Sunita Rao', ...body },
  });
}
const login = (name: string, password = PASSWORD) =>
  env.app.inject({ method: 'POST', url: '/api/v1/staff/login', payload: { username: name, password } });

describe('staff administration', () => {
  it('a district officer creates a vaccinator of their district, who can then log in; every write is audited', async () => {
    const officer = await createActor(env, 'DISTRICT_OFFICER', HOME);
    const name = username();
    const created = await createStaff(officer.token, {
      username: name,
      role: 'VACCINATOR',
      districtId: HOME.districtId,
      mobile: '9876543210',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      username: name,
      role: 'VACCINATOR',
      stateId: HOME.stateId,
      districtId: HOME.districtId,
      active: true,
    });
    expect(created.body).not.toContain(PASSWORD);

    const loggedIn = await login(name);
    expect(loggedIn.statusCode, loggedIn.body).toBe(200);
    expect(loggedIn.json().staff).toMatchObject({ role: 'VACCINATOR', districtId: HOME.districtId });

    const audit = await env.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'details'])
      .where('entity_id', '=', created.json().id)
      .where('action', '=', 'STAFF_CREATED')
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(officer.staffId);
    expect(JSON.stringify(audit.details)).not.toContain(PASSWORD);
  });

  it('a district officer may create only vaccinators, and only in their district', async () => {
    const officer = await createActor(env, 'DISTRICT_OFFICER', HOME);
    expect(
      (
        await createStaff(officer.token, {
          username: username('do'),
          role: 'DISTRICT_OFFICER',
          districtId: HOME.districtId,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await createStaff(officer.token, { username: username(), role: 'VACCINATOR', districtId: MUMBAI.districtId }))
        .statusCode,
    ).toBe(403);
  });

  it('a state officer creates district officers in their state but not elsewhere, nor state officers', async () => {
    const officer = await createActor(env, 'STATE_OFFICER', HOME);
    expect(
      (
        await createStaff(officer.token, {
          username: username('do'),
          role: 'DISTRICT_OFFICER',
          districtId: MUMBAI.districtId,
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await createStaff(officer.token, {
          username: username('do'),
          role: 'DISTRICT_OFFICER',
          districtId: DELHI.districtId,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await createStaff(officer.token, { username: username('so'), role: 'STATE_OFFICER', stateId: HOME.stateId }))
        .statusCode,
    ).toBe(403);
  });

  it('a national admin creates staff of any role, with the jurisdiction the role needs', async () => {
    const admin = await createActor(env, 'NATIONAL_ADMIN');
    const state = await createStaff(admin.token, {
      username: username('so'),
      role: 'STATE_OFFICER',
      stateId: DELHI.stateId,
    });
    expect(state.statusCode, state.body).toBe(201);
    expect(state.json()).toMatchObject({ stateId: DELHI.stateId, districtId: null });
    expect((await createStaff(admin.token, { username: username('na'), role: 'NATIONAL_ADMIN' })).statusCode).toBe(201);

    const noDistrict = await createStaff(admin.token, { username: username(), role: 'VACCINATOR' });
    expect(noDistrict.statusCode).toBe(400);
    expect(noDistrict.json().message).toMatch(/districtId/);
    const wrongState = await createStaff(admin.token, {
      username: username(),
      role: 'VACCINATOR',
      districtId: HOME.districtId,
      stateId: DELHI.stateId,
    });
    expect(wrongState.statusCode).toBe(400);
  });

  it('answers a taken username with 409 and a bad username or weak password with a 400 that says the rule', async () => {
    const admin = await createActor(env, 'NATIONAL_ADMIN');
    const name = username();
    expect(
      (await createStaff(admin.token, { username: name, role: 'VACCINATOR', districtId: HOME.districtId })).statusCode,
    ).toBe(201);
    const again = await createStaff(admin.token, { username: name, role: 'VACCINATOR', districtId: HOME.districtId });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'USERNAME_TAKEN', message: expect.stringContaining(name) });

    const badName = await createStaff(admin.token, {
      username: 'Bad Name',
      role: 'VACCINATOR',
      districtId: HOME.districtId,
    });
    expect(badName.statusCode).toBe(400);
    expect(badName.json().message).toMatch(/lowercase letters/);
    const weak = await createStaff(admin.token, {
      username: username(),
      password: 'short',
      role: 'VACCINATOR',
      districtId: HOME.districtId,
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toMatch(/at least 10 characters/);
  });

  it('lists only the staff of the caller’s jurisdiction', async () => {
    const admin = await createActor(env, 'NATIONAL_ADMIN');
    const inHome = (
      await createStaff(admin.token, { username: username(), role: 'VACCINATOR', districtId: HOME.districtId })
    ).json().id;
    const inMumbai = (
      await createStaff(admin.token, { username: username(), role: 'VACCINATOR', districtId: MUMBAI.districtId })
    ).json().id;

    const districtOfficer = await createActor(env, 'DISTRICT_OFFICER', HOME);
    const mine = (await env.app.inject({ method: 'GET', url: '/api/v1/staff', headers: bearer(districtOfficer.token) }))
      .json()
      .staff.map((s: { id: string }) => s.id);
    expect(mine).toContain(inHome);
    expect(mine).not.toContain(inMumbai);

    const stateOfficer = await createActor(env, 'STATE_OFFICER', HOME);
    const mumbai = await env.app.inject({
      method: 'GET',
      url: `/api/v1/staff?districtId=${MUMBAI.districtId}&role=VACCINATOR`,
      headers: bearer(stateOfficer.token),
    });
    expect(mumbai.statusCode).toBe(200);
    expect(mumbai.json().staff.map((s: { id: string }) => s.id)).toContain(inMumbai);
    expect(mumbai.json().staff.every((s: { districtId: number }) => s.districtId === MUMBAI.districtId)).toBe(true);
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: `/api/v1/staff?districtId=${DELHI.districtId}`,
          headers: bearer(stateOfficer.token),
        })
      ).statusCode,
    ).toBe(403);
  });

  it('deactivates (no more logins), reactivates and resets a password', async () => {
    const officer = await createActor(env, 'DISTRICT_OFFICER', HOME);
    const name = username();
    const { id } = (
      await createStaff(officer.token, { username: name, role: 'VACCINATOR', districtId: HOME.districtId })
    ).json();
    const patch = (payload: Record<string, unknown>) =>
      env.app.inject({ method: 'PATCH', url: `/api/v1/staff/${id}`, headers: bearer(officer.token), payload });

    expect((await patch({ active: false })).json()).toMatchObject({ active: false });
    expect((await login(name)).statusCode).toBe(401);
    expect((await patch({ active: true })).json()).toMatchObject({ active: true });
    expect((await login(name)).statusCode).toBe(200);

    expect((await patch({ password: 'another long secret' })).statusCode).toBe(200);
    expect((await login(name)).statusCode).toBe(401);
    expect((await login(name, 'another long secret')).statusCode).toBe(200);

    const actions = await env.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id)
      .where('actor_id', '=', officer.staffId)
      .orderBy('at')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'STAFF_CREATED',
      'STAFF_DEACTIVATED',
      'STAFF_REACTIVATED',
      'STAFF_PASSWORD_RESET',
    ]);
  });

  it('keeps officers to the staff below them and refuses deactivating oneself', async () => {
    const officer = await createActor(env, 'DISTRICT_OFFICER', HOME);
    const peer = await createActor(env, 'DISTRICT_OFFICER', HOME);
    const elsewhere = await createActor(env, 'VACCINATOR', MUMBAI);
    expect(
      (
        await env.app.inject({
          method: 'PATCH',
          url: `/api/v1/staff/${peer.staffId}`,
          headers: bearer(officer.token),
          payload: { active: false },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await env.app.inject({
          method: 'PATCH',
          url: `/api/v1/staff/${elsewhere.staffId}`,
          headers: bearer(officer.token),
          payload: { active: false },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await env.app.inject({
          method: 'PATCH',
          url: `/api/v1/staff/${randomUUID()}`,
          headers: bearer(officer.token),
          payload: { active: false },
        })
      ).statusCode,
    ).toBe(404);

    const admin = await createActor(env, 'NATIONAL_ADMIN');
    const self = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/staff/${admin.staffId}`,
      headers: bearer(admin.token),
      payload: { active: false },
    });
    expect(self.statusCode).toBe(400);
    expect(self.json().message).toMatch(/your own account/);
  });
});
