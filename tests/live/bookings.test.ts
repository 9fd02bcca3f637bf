/**
 * Seat and registration events on the live feed, from a person's booking, reschedule, cancellation and registration
 * through the real API (the seats are taken in Postgres by the request itself).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indiaDate } from '../../domain/time.js';
import { uniqueMobile } from '../support/fixtures.js';
import { bearer, book, loginBeneficiary, registerPerson, uniqueIp } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import {
  connectLive,
  KERALA,
  listenOnFreePort,
  MANIPUR,
  staffToken,
  todaySession,
  type LiveClient,
} from './support.js';

let platform: TestPlatform;
let url: string;
const clients: LiveClient[] = [];

beforeAll(async () => {
  // Real-length days: no journey timer falls due while these tests run.
  platform = await startTestPlatform({ dayMs: 86_400_000 });
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

/** A person registered through the API by their own logged-in mobile. */
async function person() {
  const token = await loginBeneficiary(platform.app, uniqueMobile(), uniqueIp());
  const registered = await registerPerson(platform.app, token);
  expect(registered.statusCode, registered.body).toBe(201);
  return { token, referenceId: registered.json().referenceId as string };
}

describe('booking.changed', () => {
  it("reaches the district room of the booked session with its seat counters, and never another district's", async () => {
    const [a, b] = [KERALA(11), KERALA(12)];
    const officer = await staffToken(platform, 'DISTRICT_OFFICER', a);
    const live = await client(officer.token);
    expect((await live.join(`district:${a.districtId}`)).ok).toBe(true);

    const [first, second] = [await todaySession(platform, a), await todaySession(platform, a)];
    const elsewhere = await todaySession(platform, b);
    const [here, there] = [await person(), await person()];

    // B's booking commits first: had it been sent to A's room, it would arrive before A's (notifications keep commit order).
    const bookedThere = await book(platform.app, there.token, there.referenceId, elsewhere.sessionDayId);
    expect(bookedThere.statusCode, bookedThere.body).toBe(201);
    const booked = await book(platform.app, here.token, here.referenceId, first.sessionDayId);
    expect(booked.statusCode, booked.body).toBe(201);
    const event = await live.next('booking.changed', (e) => e.sessionDayId === first.sessionDayId, 5_000);
    expect(event).toMatchObject({
      type: 'booking.changed',
      stateId: a.stateId,
      districtId: a.districtId,
      sessionDayId: first.sessionDayId,
      data: { dose: 1, sessionDayId: first.sessionDayId, change: 'BOOKED', dose1Booked: 1, dose2Booked: 0 },
    });

    // A move changes two session days: each gets its counters.
    const appointmentId = booked.json().appointmentId;
    const moved = await platform.app.inject({
      method: 'POST',
      url: `/api/v1/appointments/${appointmentId}/reschedule`,
      headers: bearer(here.token),
      payload: { sessionDayId: second.sessionDayId },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const out = await live.next(
      'booking.changed',
      (e) => e.sessionDayId === first.sessionDayId && e.data.change === 'MOVED',
      5_000,
    );
    expect(out.data).toEqual({
      dose: 1,
      sessionDayId: first.sessionDayId,
      change: 'MOVED',
      dose1Booked: 0,
      dose2Booked: 0,
    });
    const into = await live.next(
      'booking.changed',
      (e) => e.sessionDayId === second.sessionDayId && e.data.change === 'MOVED',
      5_000,
    );
    expect(into.data).toEqual({
      dose: 1,
      sessionDayId: second.sessionDayId,
      change: 'MOVED',
      dose1Booked: 1,
      dose2Booked: 0,
    });

    const cancelled = await platform.app.inject({
      method: 'POST',
      url: `/api/v1/appointments/${moved.json().appointmentId}/cancel`,
      headers: bearer(here.token),
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const released = await live.next('booking.changed', (e) => e.data.change === 'RELEASED', 5_000);
    expect(released).toMatchObject({
      sessionDayId: second.sessionDayId,
      data: { dose: 1, change: 'RELEASED', dose1Booked: 0, dose2Booked: 0 },
    });

    // Exactly the four changes of A's sessions, in commit order; nothing of B's.
    const changes = live.received
      .filter((m) => m.name === 'booking.changed')
      .map((m) => [m.payload.sessionDayId, m.payload.data.change]);
    expect(changes).toEqual([
      [first.sessionDayId, 'BOOKED'],
      [first.sessionDayId, 'MOVED'],
      [second.sessionDayId, 'MOVED'],
      [second.sessionDayId, 'RELEASED'],
    ]);
    expect(
      live.received.filter(
        (m) => m.payload?.districtId === b.districtId || m.payload?.sessionDayId === elsewhere.sessionDayId,
      ),
    ).toEqual([]);

    // The figures the events carry are the dashboard's.
    const dashboard = await platform.app.inject({
      method: 'GET',
      url: `/api/v1/dashboard/districts/${a.districtId}`,
      headers: bearer(officer.token),
    });
    // Only this test's two sessions: other tests may book sessions of their own in the same district today.
    const booking = Object.fromEntries(
      dashboard
        .json()
        .sessions.filter((s: { sessionDayId: string }) =>
          [first.sessionDayId, second.sessionDayId].includes(s.sessionDayId),
        )
        .map((s: { sessionDayId: string; booked: number }) => [s.sessionDayId, s.booked]),
    );
    expect(booking).toEqual({ [first.sessionDayId]: 0, [second.sessionDayId]: 0 });
  });
});

describe('registration.created', () => {
  it('reaches the national room only: people carry no district', async () => {
    const district = KERALA(13);
    const admin = await client((await staffToken(platform, 'NATIONAL_ADMIN', district)).token);
    expect((await admin.join('national')).ok).toBe(true);
    const officer = await client((await staffToken(platform, 'STATE_OFFICER', district)).token);
    expect((await officer.join(`state:${district.stateId}`)).ok).toBe(true);
    expect((await officer.join(`district:${district.districtId}`)).ok).toBe(true);

    const before = Date.now();
    await person();
    // Other files register people at the same time: any registration after ours started proves the route.
    const event = await admin.next('registration.created', (e) => Date.parse(e.at) >= before, 5_000);
    expect(event).toMatchObject({
      type: 'registration.created',
      stateId: 0,
      districtId: 0,
      data: { source: 'ONLINE' },
    });
    expect(event).not.toHaveProperty('sessionDayId');
    expect(officer.received.filter((m) => m.name === 'registration.created')).toEqual([]);
  });
});

describe('registration.counted', () => {
  it("counts a person registered today once, in the district of their first booking, live in that district's room", async () => {
    const [a, b] = [MANIPUR(8), MANIPUR(9)];
    const officer = await staffToken(platform, 'DISTRICT_OFFICER', a);
    const live = await client(officer.token);
    expect((await live.join(`district:${a.districtId}`)).ok).toBe(true);
    const stateOfficer = await staffToken(platform, 'STATE_OFFICER', a);
    const figure = async (url: string) =>
      (await platform.app.inject({ method: 'GET', url, headers: bearer(stateOfficer.token) })).json().kpis
        .registrationsToday as number;
    const [aBefore, bBefore] = [
      await figure(`/api/v1/dashboard/districts/${a.districtId}`),
      await figure(`/api/v1/dashboard/districts/${b.districtId}`),
    ];

    const here = await person();
    const booked = await book(
      platform.app,
      here.token,
      here.referenceId,
      (await todaySession(platform, a)).sessionDayId,
    );
    expect(booked.statusCode, booked.body).toBe(201);
    const event = await live.next('registration.counted', () => true, 5_000);
    expect(event).toMatchObject({
      type: 'registration.counted',
      stateId: a.stateId,
      districtId: a.districtId,
      data: { registeredOn: indiaDate() },
    });
    expect(await figure(`/api/v1/dashboard/districts/${a.districtId}`)).toBe(aBefore + 1);

    // Moving the booking to another district counts nobody again: a person is counted where they first booked.
    const moved = await platform.app.inject({
      method: 'POST',
      url: `/api/v1/appointments/${booked.json().appointmentId}/reschedule`,
      headers: bearer(here.token),
      payload: { sessionDayId: (await todaySession(platform, b)).sessionDayId },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await figure(`/api/v1/dashboard/districts/${a.districtId}`)).toBe(aBefore + 1);
    expect(await figure(`/api/v1/dashboard/districts/${b.districtId}`)).toBe(bBefore);
    expect(live.received.filter((m) => m.name === 'registration.counted')).toHaveLength(1);
  });
});
