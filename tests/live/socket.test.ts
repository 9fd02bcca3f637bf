import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import {
  connectLive,
  KERALA,
  listenOnFreePort,
  recordDose,
  refusedConnection,
  staffToken,
  todaySession,
  type LiveClient,
} from './support.js';

let platform: TestPlatform;
let url: string;
const clients: LiveClient[] = [];

beforeAll(async () => {
  platform = await startTestPlatform();
  url = await listenOnFreePort(platform);
});
afterAll(async () => {
  for (const client of clients) client.close();
  await platform.close();
});

async function client(token: string): Promise<LiveClient> {
  const live = await connectLive(url, token);
  clients.push(live);
  return live;
}

describe('live events over socket.io', () => {
  it("delivers a district's dose.recorded to its room, and never another district's", async () => {
    const [a, b] = [KERALA(1), KERALA(2)];
    const officer = await staffToken(platform, 'DISTRICT_OFFICER', a);
    const live = await client(officer.token);
    expect(await live.join(`district:${a.districtId}`)).toEqual({ ok: true, room: `district:${a.districtId}` });

    const sessionA = await todaySession(platform, a);
    const sessionB = await todaySession(platform, b);
    // B's dose commits first: had it been sent to A's room, it would arrive before A's (notifications keep commit order).
    await recordDose(platform, sessionB);
    await recordDose(platform, sessionA);

    const event = await live.next('dose.recorded', (e) => e.sessionDayId === sessionA.sessionDayId, 3_000);
    expect(event).toMatchObject({
      type: 'dose.recorded',
      stateId: a.stateId,
      districtId: a.districtId,
      data: { dose: 1, vaccineCode: 'COVAXIN', source: 'ONLINE' },
    });
    expect(event).not.toHaveProperty('txid');
    const coverage = await live.next('coverage', (c) => c.room === `district:${a.districtId}`);
    expect(coverage.increments).toEqual([
      { stateId: a.stateId, districtId: a.districtId, doses: 1, dose1: 1, dose2: 0 },
    ]);
    const foreign = live.received.filter(
      (m) => m.payload?.districtId === b.districtId || m.payload?.sessionDayId === sessionB.sessionDayId,
    );
    expect(foreign).toEqual([]);
  });

  it('sends the snapshot first on join, with the KPIs and sessions of the district', async () => {
    const district = KERALA(3);
    const open = await todaySession(platform, district);
    const stalled = await todaySession(platform, district);
    await recordDose(platform, open);
    await recordDose(platform, open);
    await recordDose(platform, stalled);
    await platform.db.updateTable('session_day').set({ status: 'OPEN' }).where('id', '=', open.sessionDayId).execute();
    await platform.db
      .updateTable('session_day')
      .set({ status: 'STALLED' })
      .where('id', '=', stalled.sessionDayId)
      .execute();

    const officer = await staffToken(platform, 'DISTRICT_OFFICER', district);
    const live = await client(officer.token);
    expect((await live.join(`district:${district.districtId}`)).ok).toBe(true);
    expect(live.received[0].name).toBe('snapshot');
    const snapshot = live.received[0].payload;
    expect(snapshot.room).toBe(`district:${district.districtId}`);
    expect(snapshot.data.kpis).toMatchObject({
      dosesToday: 3,
      liveSessions: 2,
      stalledSessions: 1,
      sessionsToday: 2,
      // The three people registered today and were first counted here, by their doses.
      registrationsToday: 3,
      registrationsTotal: null,
    });
    expect(snapshot.data.coverage).toEqual([expect.objectContaining({ id: district.districtId, dose1: 3, dose2: 0 })]);
    const byId = Object.fromEntries(snapshot.data.sessions.map((s: { sessionDayId: string }) => [s.sessionDayId, s]));
    expect(byId[open.sessionDayId]).toMatchObject({ status: 'OPEN', vaccinated: 2, walkIns: 2 });
    expect(byId[stalled.sessionDayId]).toMatchObject({
      status: 'STALLED',
      vaccinated: 1,
      minutesSinceLastDose: expect.any(Number),
    });
    expect(snapshot.data.stalledSessions.map((s: { sessionDayId: string }) => s.sessionDayId)).toEqual([
      stalled.sessionDayId,
    ]);
  });

  it('sends every dose exactly once between the snapshot and the deltas, even while doses are being recorded', async () => {
    const district = KERALA(4);
    const session = await todaySession(platform, district, 30);
    const officer = await staffToken(platform, 'DISTRICT_OFFICER', district);
    const live = await client(officer.token);
    for (let i = 0; i < 3; i++) await recordDose(platform, session);

    // Doses keep coming while the client joins.
    const writes = (async () => {
      for (let i = 0; i < 8; i++) await recordDose(platform, session);
    })();
    await new Promise((r) => setTimeout(r, 30));
    expect((await live.join(`district:${district.districtId}`)).ok).toBe(true);
    await writes;

    const snapshot = live.received.find((m) => m.name === 'snapshot')!.payload;
    const deltas = () =>
      live.received.filter((m) => m.name === 'coverage').reduce((n, m) => n + m.payload.increments[0].doses, 0);
    await waitFor(async () => snapshot.data.kpis.dosesToday + deltas() >= 11, 'every dose counted');
    // The last delta has arrived: one more dose proves nothing else is still on its way.
    await recordDose(platform, session);
    await waitFor(async () => snapshot.data.kpis.dosesToday + deltas() >= 12, 'the last dose');
    expect(snapshot.data.kpis.dosesToday + deltas()).toBe(12);
    expect(live.received.findIndex((m) => m.name === 'snapshot')).toBeLessThan(
      live.received.findIndex((m) => m.name === 'coverage'),
    );
  });

  it('lets a vaccinator into their own district and assigned session only', async () => {
    const [home, other] = [KERALA(5), KERALA(6)];
    const session = await todaySession(platform, home);
    const vaccinator = await staffToken(platform, 'VACCINATOR', home);
    const live = await client(vaccinator.token);

    expect((await live.join(`district:${home.districtId}`)).ok).toBe(true);
    expect(await live.join(`district:${other.districtId}`)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await live.join('national')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await live.join(`state:${home.stateId}`)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await live.join(`session:${session.sessionDayId}`)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await live.join('district:abc')).toMatchObject({ ok: false, error: { code: 'BAD_ROOM' } });

    await recordDose(platform, await todaySession(platform, other));
    await recordDose(platform, session);
    await live.next('dose.recorded', (e) => e.sessionDayId === session.sessionDayId, 3_000);
    expect(live.received.filter((m) => m.payload?.districtId === other.districtId)).toEqual([]);
  });

  it('lets officers and admins into the rooms of their jurisdiction', async () => {
    const district = KERALA(7);
    const session = await todaySession(platform, district);
    const stateOfficer = await client((await staffToken(platform, 'STATE_OFFICER', district)).token);
    expect((await stateOfficer.join(`state:${district.stateId}`)).ok).toBe(true);
    expect((await stateOfficer.join(`district:${district.districtId}`)).ok).toBe(true);
    expect((await stateOfficer.join(`session:${session.sessionDayId}`)).ok).toBe(true);
    expect(await stateOfficer.join('state:27')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await stateOfficer.join('national')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const admin = await client((await staffToken(platform, 'NATIONAL_ADMIN', district)).token);
    expect((await admin.join('national')).ok).toBe(true);
    expect(admin.received.find((m) => m.name === 'snapshot')?.payload.data.scope).toMatchObject({
      kind: 'national',
      name: 'India',
    });
    expect(await admin.join('state:98')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    await recordDose(platform, session);
    // The session room gets the dose; the state and national rooms get it as merged coverage.
    const dose = await stateOfficer.next('dose.recorded', (e) => e.sessionDayId === session.sessionDayId, 3_000);
    expect(dose.districtId).toBe(district.districtId);
    const stateCoverage = await stateOfficer.next(
      'coverage',
      (c) =>
        c.room === `state:${district.stateId}` &&
        c.increments.some((i: { districtId: number }) => i.districtId === district.districtId),
      5_000,
    );
    expect(
      stateCoverage.increments.find((i: { districtId: number }) => i.districtId === district.districtId),
    ).toMatchObject({ dose1: 1 });
    await admin.next(
      'coverage',
      (c) =>
        c.room === 'national' && c.increments.some((i: { districtId: number }) => i.districtId === district.districtId),
      5_000,
    );
    expect(
      stateOfficer.received.filter(
        (m) => m.name === 'dose.recorded' && m.payload.sessionDayId === session.sessionDayId,
      ),
    ).toHaveLength(1);
  });

  it('refuses a handshake without a valid token: none, forged, expired or revoked', async () => {
    const district = KERALA(8);
    expect((await refusedConnection(url, undefined)).data).toEqual({ code: 'UNAUTHENTICATED' });
    expect((await refusedConnection(url, 'not-a-token')).data).toEqual({ code: 'UNAUTHENTICATED' });

    const officer = await staffToken(platform, 'DISTRICT_OFFICER', district);
    const live = await client(officer.token);
    const logout = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/staff/logout',
      headers: { authorization: `Bearer ${officer.token}` },
    });
    expect(logout.statusCode).toBe(204);
    const refused = await refusedConnection(url, officer.token);
    expect(refused.data).toEqual({ code: 'UNAUTHENTICATED' });
    // The connection made before the logout is closed at once.
    await waitFor(async () => !live.socket.connected, 'the logged-out socket to be closed', 10_000);
  });

  it('reconnects its LISTEN connection after Postgres drops it, and tells clients to resync', async () => {
    const district = KERALA(9);
    const session = await todaySession(platform, district);
    const live = await client((await staffToken(platform, 'DISTRICT_OFFICER', district)).token);
    expect((await live.join(`district:${district.districtId}`)).ok).toBe(true);

    const pid = platform.app.live.listener.backendPid;
    expect(pid).toEqual(expect.any(Number));
    await sql`select pg_terminate_backend(${pid}::int)`.execute(platform.db);
    await live.next('resync', () => true, 10_000);
    expect(platform.app.live.listener.backendPid).not.toBe(pid);

    expect((await live.join(`district:${district.districtId}`)).ok).toBe(true);
    await recordDose(platform, session);
    await live.next('dose.recorded', (e) => e.sessionDayId === session.sessionDayId, 3_000);
  });
});
