import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { temporal as proto } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDeps } from '../../workflows/activities/deps.js';
import { createSessionDayActivities } from '../../workflows/activities/session-day.js';
import { workflowIds } from '../../workflows/shared.js';
import { insertAccount, insertBeneficiary, insertSessionDay, insertStaff, uniqueMobile } from '../support/fixtures.js';
import { addDays, indiaDate } from '../../domain/time.js';
import {
  bearer,
  ensureTestVaccine,
  loginBeneficiary,
  readSms,
  seatsOf,
  stageOf,
  uniqueIp,
  vaccinatorFor,
  waitFor,
} from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { auditOf, bookPeople, intervene, quietDistrict, smsCount, staffLogin } from './support.js';

let platform: TestPlatform;
// A day lasts 864 s (a calendar minute 0.6 s): today's sessions stay open through each test, and the
// cancelled workflow's check for late bookings comes 3 s after the cancellation. No stalls: 10 quiet hours.
beforeAll(
  async () =>
    void (platform = await startTestPlatform({ dayMs: 864_000, stallAfterMinutes: 600, rateLimitsEnabled: false })),
);
afterAll(() => platform.close());

describe('cancelling a session day', () => {
  it(
    'releases all 30 booked people through their journeys: one SMS and one stage change each, every seat freed',
    { timeout: 240_000 },
    async () => {
      const { app, db, temporal } = platform;
      const district = await quietDistrict(db);
      const officer = await staffLogin(app, db, 'DISTRICT_OFFICER', district);
      const session = await insertSessionDay(db, { district, dose1: 30, dose2: 0 });
      const people = await bookPeople(app, session.id, 30);
      expect(await seatsOf(db, session.id)).toMatchObject({ dose1_booked: 30 });

      const cancelled = await intervene(app, officer.headers, session.id, 'cancel', { reason: 'cold chain failure' });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect(cancelled.json()).toMatchObject({ status: 'CANCELLED', workflowStarted: true });

      await waitFor(
        async () => {
          const stages = await Promise.all(people.map((p) => stageOf(db, p.referenceId)));
          return stages.every((s) => s === 'VERIFIED');
        },
        'every journey back to VERIFIED',
        120_000,
      );
      const mobiles = [...new Set(people.map((p) => p.mobile))];
      const cancelledSms = async () =>
        (await Promise.all(mobiles.map((m) => smsCount(db, m, 'SESSION_CANCELLED')))).reduce((a, b) => a + b, 0);
      await waitFor(async () => (await cancelledSms()) === 30, '30 SESSION_CANCELLED SMS', 60_000);

      // The workflow ends after its check for bookings that raced the cancellation; nothing is sent twice.
      const handle = (await temporal.client()).workflow.getHandle(workflowIds.sessionDay(session.id));
      expect(await handle.result()).toMatchObject({ status: 'CANCELLED' });
      expect(await cancelledSms()).toBe(30);
      const signals = await db
        .selectFrom('workflow_outbox')
        .select('workflow_id')
        .where('signal_name', '=', 'sessionCancelled')
        .where(
          'workflow_id',
          'in',
          people.map((p) => workflowIds.journey(p.referenceId)),
        )
        .execute();
      expect(new Set(signals.map((s) => s.workflow_id)).size).toBe(30);
      expect(signals).toHaveLength(30);
      const firstSms = (await readSms(app, mobiles[0])).filter((m) => m.template === 'SESSION_CANCELLED');
      expect(firstSms).toHaveLength(Math.min(4, people.filter((p) => p.mobile === mobiles[0]).length));
      expect(firstSms[0].body).toMatch(/is cancelled/);

      const releases = await db
        .selectFrom('journey_stage_history')
        .innerJoin('beneficiary', 'beneficiary.id', 'journey_stage_history.beneficiary_id')
        .select([
          'beneficiary.reference_id',
          'journey_stage_history.from_stage',
          'journey_stage_history.to_stage',
          'journey_stage_history.reason',
        ])
        .where(
          'beneficiary.reference_id',
          'in',
          people.map((p) => p.referenceId),
        )
        .where('journey_stage_history.from_stage', '=', 'DOSE1_BOOKED')
        .execute();
      expect(releases).toHaveLength(30);
      expect(new Set(releases.map((r) => r.reference_id)).size).toBe(30);
      expect(
        releases.every((r) => r.to_stage === 'VERIFIED' && r.reason === 'session cancelled: cold chain failure'),
      ).toBe(true);

      expect(await seatsOf(db, session.id)).toMatchObject({ dose1_booked: 0 });
      const slots = await db
        .selectFrom('session_slot')
        .select('booked')
        .where('session_day_id', '=', session.id)
        .execute();
      expect(slots.every((s) => s.booked === 0)).toBe(true);
      const appointments = await db
        .selectFrom('appointment')
        .select('status')
        .where('session_day_id', '=', session.id)
        .execute();
      expect(appointments.map((a) => a.status)).toEqual(Array(30).fill('CANCELLED'));

      const audit = await auditOf(db, session.id);
      expect(audit.filter((a) => a.action === 'SESSION_CANCELLED')).toEqual([
        expect.objectContaining({
          actor_id: officer.staffId,
          actor_role: 'DISTRICT_OFFICER',
          details: expect.objectContaining({ reason: 'cold chain failure', to: 'CANCELLED' }),
        }),
      ]);
      const again = await intervene(app, officer.headers, session.id, 'cancel', { reason: 'cold chain failure' });
      expect(again.statusCode, again.body).toBe(409);
    },
  );
});

describe('cancelling a session day and moving everyone booked', () => {
  it(
    'moves each person to the next session day with a seat, the same site first, texts them the new slot, and releases only those no seat could take',
    { timeout: 240_000 },
    async () => {
      const { app, db, temporal } = platform;
      const district = await quietDistrict(db);
      // A vaccine of this test's own: no other test's session days are candidates.
      const vaccine = await ensureTestVaccine(db, `MV${randomUUID().slice(0, 6).toUpperCase()}`);
      const officer = await staffLogin(app, db, 'DISTRICT_OFFICER', district);
      const cancelled = await insertSessionDay(db, { district, vaccine, dose1: 10, dose2: 0 });
      const tomorrow = addDays(indiaDate(), 1);
      // Tomorrow: 3 seats at the same site, 1 at a site nearby, 5 at one far away; and a full day at the same site.
      const sameSite = await insertSessionDay(db, {
        siteId: cancelled.siteId,
        vaccine,
        date: tomorrow,
        dose1: 3,
        dose2: 0,
      });
      const nearby = await insertSessionDay(db, { district, vaccine, date: tomorrow, dose1: 1, dose2: 0 });
      const farAway = await insertSessionDay(db, {
        district,
        vaccine,
        date: addDays(indiaDate(), 2),
        dose1: 1,
        dose2: 0,
      });
      const full = await insertSessionDay(db, {
        siteId: cancelled.siteId,
        vaccine,
        date: tomorrow,
        dose1: 0,
        dose2: 0,
      });
      await db.updateTable('site').set({ lat: 18.6, lng: 73.9 }).where('id', '=', nearby.siteId).execute();
      await db.updateTable('site').set({ lat: 19.9, lng: 75.3 }).where('id', '=', farAway.siteId).execute();
      const people = await bookPeople(app, cancelled.id, 6);

      const answer = await intervene(app, officer.headers, cancelled.id, 'cancel', {
        reason: 'vaccine not delivered',
        moveBookings: true,
      });
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json()).toMatchObject({ status: 'CANCELLED', moves: { moved: 5, notMoved: 1 } });

      // Each person holds exactly one live booking, where the seats were: 3 + 1 + 1 moved, 1 released (by their
      // journey, as a plain cancellation does).
      await waitFor(
        async () => (await seatsOf(db, cancelled.id)).dose1_booked === 0,
        'the last person released from the cancelled day',
      );
      const live = await db
        .selectFrom('appointment')
        .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
        .select(['beneficiary.reference_id', 'appointment.session_day_id'])
        .where(
          'beneficiary.reference_id',
          'in',
          people.map((p) => p.referenceId),
        )
        .where('appointment.status', '=', 'BOOKED')
        .execute();
      expect(live).toHaveLength(5);
      expect(new Set(live.map((a) => a.reference_id)).size).toBe(5);
      const at = (id: string) => live.filter((a) => a.session_day_id === id).length;
      expect([at(sameSite.id), at(nearby.id), at(farAway.id), at(full.id), at(cancelled.id)]).toEqual([3, 1, 1, 0, 0]);
      expect(await seatsOf(db, sameSite.id)).toMatchObject({ dose1_booked: 3 });
      expect(await seatsOf(db, nearby.id)).toMatchObject({ dose1_booked: 1 });
      expect(await seatsOf(db, farAway.id)).toMatchObject({ dose1_booked: 1 });
      expect(await seatsOf(db, full.id)).toMatchObject({ dose1_booked: 0 });
      expect(await seatsOf(db, cancelled.id)).toMatchObject({ dose1_booked: 0 });
      const released = people.find((p) => !live.some((a) => a.reference_id === p.referenceId))!;
      expect(released).toBeDefined();

      // The moved are texted their new slot, and that they may change it; the one left is told to book again.
      const moved = people.filter((p) => p !== released);
      const sms = async (person: { mobile: string }, template: string) =>
        (await readSms(app, person.mobile)).filter((m) => m.template === template);
      const mobiles = [...new Set(people.map((p) => p.mobile))];
      const count = async (template: string) =>
        (await Promise.all(mobiles.map((m) => smsCount(db, m, template)))).reduce((a, b) => a + b, 0);
      await waitFor(async () => (await count('SESSION_MOVED')) === 5, '5 SESSION_MOVED SMS', 60_000);
      await waitFor(async () => (await count('SESSION_CANCELLED')) === 1, '1 SESSION_CANCELLED SMS', 60_000);
      const [text] = await sms(moved[0]!, 'SESSION_MOVED');
      expect(text!.body).toMatch(/your session was cancelled\. Dose 1 moved to .+To change: /);
      await waitFor(async () => (await stageOf(db, released.referenceId)) === 'VERIFIED', 'released back to VERIFIED');
      for (const person of moved) expect(await stageOf(db, person.referenceId)).toBe('DOSE1_BOOKED');

      // The workflow's late check finds nobody left on the day; nothing is sent twice.
      const handle = (await temporal.client()).workflow.getHandle(workflowIds.sessionDay(cancelled.id));
      expect(await handle.result()).toMatchObject({ status: 'CANCELLED' });
      expect(await count('SESSION_MOVED')).toBe(5);
      expect(await count('SESSION_CANCELLED')).toBe(1);
      expect(await count('BOOKING_RESCHEDULED')).toBe(0);

      // RECORD_SESSION_MOVE_HISTORY=<file.binpb> keeps a moved person's journey for tests/journey/replay.test.ts.
      const recordTo = process.env.RECORD_SESSION_MOVE_HISTORY;
      if (recordTo) {
        const journey = (await temporal.client()).workflow.getHandle(workflowIds.journey(moved[0]!.referenceId));
        writeFileSync(recordTo, proto.api.history.v1.History.encode(await journey.fetchHistory()).finish());
      }

      // A moved person is free to decline: their own cancellation works and gives the seat back.
      const decliner = moved.find((p) =>
        live.some((a) => a.reference_id === p.referenceId && a.session_day_id === sameSite.id),
      )!;
      const token = await loginBeneficiary(app, decliner.mobile, uniqueIp());
      const appointment = await db
        .selectFrom('appointment')
        .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
        .select('appointment.id')
        .where('beneficiary.reference_id', '=', decliner.referenceId)
        .where('appointment.status', '=', 'BOOKED')
        .executeTakeFirstOrThrow();
      const declined = await app.inject({
        method: 'POST',
        url: `/api/v1/appointments/${appointment.id}/cancel`,
        headers: bearer(token),
      });
      expect(declined.statusCode, declined.body).toBe(200);
      expect(await seatsOf(db, sameSite.id)).toMatchObject({ dose1_booked: 2 });
      await waitFor(async () => (await stageOf(db, decliner.referenceId)) === 'VERIFIED', 'decliner back to VERIFIED');
    },
  );
});

describe('cancelling a session day with more people booked than the sessions they may move to can seat', () => {
  it(
    'looks past the nearest days that refuse them, moves as many as fit, tells the rest to book again, and loses or doubles nobody',
    { timeout: 240_000 },
    async () => {
      const { app, db } = platform;
      const district = await quietDistrict(db);
      const vaccine = await ensureTestVaccine(db, `MV${randomUUID().slice(0, 6).toUpperCase()}`);
      const officer = await staffLogin(app, db, 'DISTRICT_OFFICER', district);
      const cancelled = await insertSessionDay(db, { district, vaccine, dose1: 10, dose2: 0 });
      const tomorrow = addDays(indiaDate(), 1);
      // Tomorrow at the same site, ten days with seats for the over-60s only: the people booked (born 1985) are
      // refused by each. The day after, one day that takes them, with 2 seats for the 5 people booked.
      const olderOnly = [];
      for (let i = 0; i < 10; i++)
        olderOnly.push(
          await insertSessionDay(db, {
            siteId: cancelled.siteId,
            vaccine,
            date: tomorrow,
            dose1: 5,
            dose2: 0,
            minAge: 60,
          }),
        );
      const open = await insertSessionDay(db, {
        siteId: cancelled.siteId,
        vaccine,
        date: addDays(indiaDate(), 2),
        dose1: 2,
        dose2: 0,
      });
      const people = await bookPeople(app, cancelled.id, 5);

      const answer = await intervene(app, officer.headers, cancelled.id, 'cancel', {
        reason: 'cold chain failure',
        moveBookings: true,
      });
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.json()).toMatchObject({ status: 'CANCELLED', moves: { moved: 2, notMoved: 3 } });

      await waitFor(
        async () => (await seatsOf(db, cancelled.id)).dose1_booked === 0,
        'the people left released from the cancelled day',
      );
      const live = await db
        .selectFrom('appointment')
        .innerJoin('beneficiary', 'beneficiary.id', 'appointment.beneficiary_id')
        .select(['beneficiary.reference_id', 'appointment.session_day_id'])
        .where(
          'beneficiary.reference_id',
          'in',
          people.map((p) => p.referenceId),
        )
        .where('appointment.status', '=', 'BOOKED')
        .execute();
      // Two moved to the day that takes them, one booking each; no seat taken on a day that refused them.
      expect(live.map((a) => a.session_day_id)).toEqual([open.id, open.id]);
      expect(new Set(live.map((a) => a.reference_id)).size).toBe(2);
      expect(await seatsOf(db, open.id)).toMatchObject({ dose1_booked: 2 });
      for (const day of olderOnly) expect(await seatsOf(db, day.id)).toMatchObject({ dose1_booked: 0 });

      // Each moved person texted their new slot, each of the rest told to book again: once, nobody twice.
      const moved = people.filter((p) => live.some((a) => a.reference_id === p.referenceId));
      const left = people.filter((p) => !moved.includes(p));
      const mobiles = [...new Set(people.map((p) => p.mobile))];
      const count = async (template: string) =>
        (await Promise.all(mobiles.map((m) => smsCount(db, m, template)))).reduce((a, b) => a + b, 0);
      await waitFor(async () => (await count('SESSION_MOVED')) === 2, '2 SESSION_MOVED SMS', 60_000);
      await waitFor(async () => (await count('SESSION_CANCELLED')) === 3, '3 SESSION_CANCELLED SMS', 60_000);
      const cancelledText = (await readSms(app, left[0]!.mobile)).find((m) => m.template === 'SESSION_CANCELLED');
      expect(cancelledText!.body).toMatch(/is cancelled\. Please book another slot at /);
      for (const person of left)
        await waitFor(async () => (await stageOf(db, person.referenceId)) === 'VERIFIED', 'released to VERIFIED');
      for (const person of moved) expect(await stageOf(db, person.referenceId)).toBe('DOSE1_BOOKED');
      const handle = (await platform.temporal.client()).workflow.getHandle(workflowIds.sessionDay(cancelled.id));
      expect(await handle.result()).toMatchObject({ status: 'CANCELLED' });
      expect([await count('SESSION_MOVED'), await count('SESSION_CANCELLED')]).toEqual([2, 3]);
    },
  );
});

describe('a booking that races a cancellation', () => {
  it('is told by the late check, and only it: the journeys the cancellation told are not told twice', async () => {
    const { db } = platform;
    const district = await quietDistrict(db);
    const session = await insertSessionDay(db, { district });
    const bookedPerson = async () => {
      const person = await insertBeneficiary(db, (await insertAccount(db)).id);
      await db
        .insertInto('appointment')
        .values({ beneficiary_id: person.id, session_day_id: session.id, slot_id: null, dose_number: 1 })
        .execute();
      return person.reference_id;
    };
    const early = [await bookedPerson(), await bookedPerson()];
    // The activities alone, against Postgres: these people have no journeys, so nothing acts on the signals.
    const activities = createSessionDayActivities({ db } as ActivityDeps);
    const by = { staffId: (await insertStaff(db, 'DISTRICT_OFFICER', district)).id, role: 'DISTRICT_OFFICER' as const };
    const cancelled = await activities.cancelSessionDay({ sessionDayId: session.id, reason: 'flood', by });
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.commandIds).toHaveLength(2);
    const late = await bookedPerson();

    const told = { fromId: cancelled.commandIds[0], toId: cancelled.commandIds[1] };
    expect(await activities.signalCancelledStragglers({ sessionDayId: session.id, reason: 'flood', told })).toBe(1);
    const signals = await db
      .selectFrom('workflow_outbox')
      .select(['workflow_id', 'payload'])
      .where('signal_name', '=', 'sessionCancelled')
      .where(
        'workflow_id',
        'in',
        [...early, late].map((ref) => workflowIds.journey(ref)),
      )
      .orderBy('id')
      .execute();
    expect(
      signals
        .slice(0, 2)
        .map((s) => s.workflow_id)
        .sort(),
    ).toEqual(early.map((ref) => workflowIds.journey(ref)).sort());
    expect(signals[2].workflow_id).toBe(workflowIds.journey(late));
    expect(signals[2].payload).toEqual({ sessionDayId: session.id, reason: 'flood' });
    // A retried cancellation finds the day cancelled and tells nobody again.
    expect(await activities.cancelSessionDay({ sessionDayId: session.id, reason: 'flood', by })).toEqual({
      status: 'CANCELLED',
      commandIds: [],
    });
  });
});

describe('assigning staff to a running session day', () => {
  it('adds a vaccinator by the planning rules, moves one from another day of the date on request, and tells them', async () => {
    const { app, db } = platform;
    const district = await quietDistrict(db);
    const elsewhere = await quietDistrict(db);
    const officer = await staffLogin(app, db, 'DISTRICT_OFFICER', district);
    const here = await insertSessionDay(db, { district });
    const there = await insertSessionDay(db, { district });
    const newcomer = await staffLogin(app, db, 'VACCINATOR', district);
    const busy = await staffLogin(app, db, 'VACCINATOR', district);
    const outsider = await insertStaff(db, 'VACCINATOR', elsewhere);

    const added = await intervene(app, officer.headers, here.id, 'assign', { staffId: newcomer.staffId });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toMatchObject({
      status: 'OPEN',
      assignment: { staffId: newcomer.staffId, teamRole: 'VACCINATOR', created: true },
    });
    expect(await smsCount(db, newcomer.mobile, 'STAFF_ASSIGNED')).toBe(1);
    const repeated = await intervene(app, officer.headers, here.id, 'assign', { staffId: newcomer.staffId });
    expect(repeated.json()).toMatchObject({ assignment: { created: false } });
    expect(await smsCount(db, newcomer.mobile, 'STAFF_ASSIGNED')).toBe(1);

    const planned = await app.inject({
      method: 'POST',
      url: `/api/v1/session-days/${there.id}/assignments`,
      headers: officer.headers,
      payload: { staffId: busy.staffId, teamRole: 'VACCINATOR' },
    });
    expect(planned.statusCode, planned.body).toBe(201);
    const clash = await intervene(app, officer.headers, here.id, 'assign', { staffId: busy.staffId });
    expect(clash.statusCode, clash.body).toBe(409);
    expect(clash.json()).toMatchObject({ code: 'STAFF_DOUBLE_BOOKED', details: { otherSessionDayId: there.id } });
    const moved = await intervene(app, officer.headers, here.id, 'assign', {
      staffId: busy.staffId,
      moveFromOtherSession: true,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().assignment).toEqual({
      staffId: busy.staffId,
      teamRole: 'VACCINATOR',
      created: true,
      movedFrom: there.id,
    });
    const team = await db
      .selectFrom('session_assignment')
      .select(['session_day_id', 'staff_id'])
      .where('staff_id', 'in', [newcomer.staffId, busy.staffId])
      .execute();
    expect(team.map((t) => t.session_day_id)).toEqual([here.id, here.id]);
    expect(await smsCount(db, busy.mobile, 'STAFF_ASSIGNMENT_CHANGED')).toBe(1);

    const foreign = await intervene(app, officer.headers, here.id, 'assign', { staffId: outsider.id });
    expect(foreign.statusCode, foreign.body).toBe(422);
    expect(foreign.json().code).toBe('STAFF_OUTSIDE_DISTRICT');

    const audit = await auditOf(db, here.id);
    expect(audit.filter((a) => a.action === 'STAFF_ASSIGNED').map((a) => a.actor_id)).toEqual([
      officer.staffId,
      officer.staffId,
    ]);
    expect((await auditOf(db, there.id)).map((a) => a.action)).toEqual(['STAFF_ASSIGNED', 'STAFF_UNASSIGNED']);
    await intervene(app, officer.headers, here.id, 'cancel', { reason: 'test over' });
  });
});

describe('who may intervene', () => {
  it('refuses the wrong role, the wrong jurisdiction, no login and bad bodies, before touching the session', async () => {
    const { app, db } = platform;
    const district = await quietDistrict(db);
    let otherState = await quietDistrict(db);
    while (otherState.stateId === district.stateId) otherState = await quietDistrict(db);
    const session = await insertSessionDay(db, { district });
    const url = `/api/v1/session-days/${session.id}`;

    const districtOfficer = await staffLogin(app, db, 'DISTRICT_OFFICER', district);
    const neighbour = await staffLogin(app, db, 'DISTRICT_OFFICER', otherState);
    const stateOfficer = await staffLogin(app, db, 'STATE_OFFICER', district);
    const otherStateOfficer = await staffLogin(app, db, 'STATE_OFFICER', otherState);
    const admin = await staffLogin(app, db, 'NATIONAL_ADMIN', district);
    const assigned = await vaccinatorFor(app, db, session.id, district);
    const unassigned = await staffLogin(app, db, 'VACCINATOR', district);
    const beneficiary = await loginBeneficiary(app, uniqueMobile(), uniqueIp());

    const statusFor = async (headers: Record<string, string>) =>
      (await app.inject({ method: 'GET', url: `${url}/status`, headers })).statusCode;
    expect(await statusFor(districtOfficer.headers)).toBe(200);
    expect(await statusFor(stateOfficer.headers)).toBe(200);
    expect(await statusFor(admin.headers)).toBe(200);
    expect(await statusFor(neighbour.headers)).toBe(403);
    expect(await statusFor(otherStateOfficer.headers)).toBe(403);
    expect(await statusFor(bearer(assigned.token))).toBe(403);
    expect(await statusFor(bearer(beneficiary))).toBe(403);
    expect(await statusFor({})).toBe(401);

    const pause = async (headers: Record<string, string>) =>
      (await intervene(app, headers, session.id, 'pause', {})).statusCode;
    expect(await pause(neighbour.headers)).toBe(403);
    expect(await pause(otherStateOfficer.headers)).toBe(403);
    expect(await pause(bearer(assigned.token))).toBe(403);
    expect(await pause(bearer(beneficiary))).toBe(403);
    expect(await pause({})).toBe(401);
    expect((await intervene(app, unassigned.headers, session.id, 'close', { wastage: 1 })).statusCode).toBe(403);

    expect((await intervene(app, districtOfficer.headers, session.id, 'extend', { minutes: 0 })).statusCode).toBe(400);
    expect((await intervene(app, districtOfficer.headers, session.id, 'cancel', {})).statusCode).toBe(400);
    expect(
      (await intervene(app, districtOfficer.headers, session.id, 'cancel', { reason: 'rain', notify: false }))
        .statusCode,
    ).toBe(400);
    expect((await intervene(app, districtOfficer.headers, session.id, 'close', { wastage: -1 })).statusCode).toBe(400);
    expect((await intervene(app, districtOfficer.headers, randomUUID(), 'pause', {})).statusCode).toBe(404);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/session-days/not-a-uuid/status', headers: admin.headers }))
        .statusCode,
    ).toBe(400);

    // Nothing above reached the session: no workflow, no audit row.
    const untouched = (await app.inject({ method: 'GET', url: `${url}/status`, headers: admin.headers })).json();
    expect(untouched).toMatchObject({ status: 'PLANNED', workflowStarted: false });
    expect(await auditOf(db, session.id)).toEqual([]);

    // The state officer of the state may act; the answer is the day's new state.
    const paused = await intervene(app, stateOfficer.headers, session.id, 'pause', {});
    expect(paused.statusCode, paused.body).toBe(200);
    expect(paused.json()).toMatchObject({ sessionDayId: session.id, status: 'PAUSED' });
    await intervene(app, admin.headers, session.id, 'cancel', { reason: 'test over' });
  });
});
