import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, indiaDate, indiaInstant } from '../../domain/time.js';
import { createDevOutboxProvider } from '../../messaging/providers/dev-outbox.js';
import { sendDueStaffReminders } from '../../workflows/staff-reminders.js';
import { insertSessionDay, insertSite, insertStaff } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { assign, auditOf, smsByTemplate, someDistrict, staffMember, type District, type Member } from './support.js';

let platform: TestPlatform;
let district: District;
let officer: Member;
beforeAll(async () => {
  // Real-length days: the session-day workflows the interventions start sleep rather than tick.
  platform = await startTestPlatform({ dayMs: 86_400_000 });
  district = await someDistrict(platform.db);
  officer = await staffMember(platform.app, platform.db, platform.config, 'DISTRICT_OFFICER', district);
});
afterAll(() => platform.close());

const tomorrow = () => addDays(indiaDate(), 1);
const dayOn = (date = tomorrow()) =>
  insertSessionDay(platform.db, { district, date, opensAt: '09:00:00', closesAt: '17:00:00', slotMinutes: 120 });
const member = (role: 'VACCINATOR' | 'DISTRICT_OFFICER' = 'VACCINATOR', where = district) =>
  staffMember(platform.app, platform.db, platform.config, role, where);

const replace = (sessionDayId: string, absentId: string, replacementStaffId: string, as: Member = officer) =>
  platform.app.inject({
    method: 'POST',
    url: `/api/v1/session-days/${sessionDayId}/assignments/${absentId}/replace`,
    headers: as.headers,
    payload: { replacementStaffId },
  });

async function teamOf(sessionDayId: string) {
  const rows = await platform.db
    .selectFrom('session_assignment')
    .select(['staff_id', 'team_role'])
    .where('session_day_id', '=', sessionDayId)
    .orderBy('id')
    .execute();
  return rows.map((r) => [r.staff_id, r.team_role]);
}

async function otherDistrict(): Promise<District> {
  for (;;) {
    const other = await someDistrict(platform.db);
    if (other.districtId !== district.districtId) return other;
  }
}

describe('replacing an absent team member', () => {
  it('puts the replacement on in the same team role in one step, never onto a second session day of the date', async () => {
    const { app, db } = platform;
    const here = await dayOn();
    const there = await dayOn();
    const absent = await member();
    const busy = await member();
    const free = await member();
    const verifier = await member();
    await assign(app, officer, here.id, absent.staffId, 'VACCINATOR');
    await assign(app, officer, here.id, verifier.staffId, 'VERIFIER');
    await assign(app, officer, there.id, busy.staffId, 'VACCINATOR');

    // Someone already working elsewhere that day: refused, and nothing changed on either day.
    const clash = await replace(here.id, absent.staffId, busy.staffId);
    expect(clash.statusCode, clash.body).toBe(409);
    expect(clash.json()).toMatchObject({ code: 'STAFF_DOUBLE_BOOKED', details: { otherSessionDayId: there.id } });
    expect(await teamOf(here.id)).toEqual([
      [absent.staffId, 'VACCINATOR'],
      [verifier.staffId, 'VERIFIER'],
    ]);
    expect(await teamOf(there.id)).toEqual([[busy.staffId, 'VACCINATOR']]);

    const replaced = await replace(here.id, absent.staffId, free.staffId);
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({
      sessionDayId: here.id,
      teamRole: 'VACCINATOR',
      removedStaffId: absent.staffId,
      replacementStaffId: free.staffId,
    });
    expect(await teamOf(here.id)).toEqual([
      [verifier.staffId, 'VERIFIER'],
      [free.staffId, 'VACCINATOR'],
    ]);
    const audit = (await auditOf(db, 'session_day', here.id))
      .filter((a) => a.actor_id === officer.staffId)
      .map((a) => a.action);
    expect(audit.slice(-3)).toEqual(['STAFF_UNASSIGNED', 'STAFF_ASSIGNED', 'STAFF_REPLACED']);

    // Each person on at most one session day per date, whatever the path.
    const perDate = await db
      .selectFrom('session_assignment')
      .select(['staff_id', 'session_date'])
      .where('staff_id', 'in', [absent.staffId, busy.staffId, free.staffId, verifier.staffId])
      .execute();
    expect(new Set(perDate.map((a) => `${a.staff_id}|${a.session_date}`)).size).toBe(perDate.length);
  });

  it('refuses with a clear message: not on the team, the same person, already on the team, another district, an officer elsewhere', async () => {
    const { app } = platform;
    const day = await dayOn();
    const absent = await member();
    const teammate = await member();
    await assign(app, officer, day.id, absent.staffId, 'VACCINATOR');
    await assign(app, officer, day.id, teammate.staffId, 'OBSERVER');
    const stranger = await member();

    const notOnTeam = await replace(day.id, stranger.staffId, (await member()).staffId);
    expect(notOnTeam.statusCode).toBe(404);
    expect(notOnTeam.json()).toMatchObject({
      code: 'ASSIGNMENT_NOT_FOUND',
      message: expect.stringContaining('not on this session day'),
    });

    const same = await replace(day.id, absent.staffId, absent.staffId);
    expect(same.statusCode).toBe(422);
    expect(same.json().code).toBe('SAME_PERSON');

    const onTeam = await replace(day.id, absent.staffId, teammate.staffId);
    expect(onTeam.statusCode).toBe(409);
    expect(onTeam.json()).toMatchObject({ code: 'ALREADY_ON_TEAM', message: expect.stringContaining('as observer') });

    const elsewhere = await insertStaff(platform.db, 'VACCINATOR', await otherDistrict());
    const foreign = await replace(day.id, absent.staffId, elsewhere.id);
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().code).toBe('STAFF_OUTSIDE_DISTRICT');

    const outsider = await member('DISTRICT_OFFICER', await otherDistrict());
    expect((await replace(day.id, absent.staffId, stranger.staffId, outsider)).statusCode).toBe(403);
    expect(await teamOf(day.id)).toEqual([
      [absent.staffId, 'VACCINATOR'],
      [teammate.staffId, 'OBSERVER'],
    ]);
  });
});

describe("a district's staff load", () => {
  it('lists each staff member with their session days, team roles and totals over the range; only within jurisdiction', async () => {
    const { app } = platform;
    const from = addDays(indiaDate(), 1);
    const busy = await member();
    const idle = await member();
    const first = await dayOn(from);
    const second = await dayOn(addDays(from, 2));
    await assign(app, officer, first.id, busy.staffId, 'VACCINATOR');
    await assign(app, officer, second.id, busy.staffId, 'VERIFIER');
    await assign(app, officer, (await dayOn(addDays(from, 20))).id, busy.staffId, 'OBSERVER'); // outside the range

    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/staff/load?districtId=${district.districtId}&from=${from}&to=${addDays(from, 6)}`,
      headers: officer.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    const load = response.json();
    expect(load).toMatchObject({ districtId: district.districtId, from, to: addDays(from, 6) });
    const mine = load.staff.find((s: { staffId: string }) => s.staffId === busy.staffId);
    expect(
      mine.duties.map((d: { date: string; teamRole: string; sessionDayId: string }) => [
        d.date,
        d.teamRole,
        d.sessionDayId,
      ]),
    ).toEqual([
      [from, 'VACCINATOR', first.id],
      [addDays(from, 2), 'VERIFIER', second.id],
    ]);
    expect(mine.totals).toEqual({ sessionDays: 2, byTeamRole: { VACCINATOR: 1, VERIFIER: 1, OBSERVER: 0 } });
    expect(load.staff.find((s: { staffId: string }) => s.staffId === idle.staffId)).toMatchObject({
      duties: [],
      totals: { sessionDays: 0 },
    });

    // A district officer sees their own district by default; nobody sees another's.
    expect((await app.inject({ method: 'GET', url: '/api/v1/staff/load', headers: officer.headers })).statusCode).toBe(
      200,
    );
    const outsider = await member('DISTRICT_OFFICER', await otherDistrict());
    const refused = await app.inject({
      method: 'GET',
      url: `/api/v1/staff/load?districtId=${district.districtId}`,
      headers: outsider.headers,
    });
    expect(refused.statusCode).toBe(403);
    const backwards = await app.inject({
      method: 'GET',
      url: `/api/v1/staff/load?from=${addDays(from, 3)}&to=${from}`,
      headers: officer.headers,
    });
    expect(backwards.statusCode).toBe(400);
  });
});

describe('SMS to the team', () => {
  it('sends each affected member exactly one SMS per assignment, change and cancellation', async () => {
    const { app, db } = platform;
    const day = await dayOn();
    const a = await member();
    const b = await member();
    const c = await member();
    const d = await member();
    const e = await member();
    const counts = async (m: Member) => smsByTemplate(db, m.mobile);

    // Assigned: one STAFF_ASSIGNED each; assigning again the same way sends nothing.
    await assign(app, officer, day.id, a.staffId, 'VACCINATOR');
    await assign(app, officer, day.id, b.staffId, 'VERIFIER');
    await assign(app, officer, day.id, c.staffId, 'OBSERVER');
    await assign(app, officer, day.id, a.staffId, 'VACCINATOR');
    for (const m of [a, b, c]) expect(await counts(m)).toEqual({ STAFF_ASSIGNED: 1 });
    const [sms] = await db.selectFrom('sms_message').select('body').where('mobile', '=', a.mobile).execute();
    expect(sms.body).toMatch(
      /you are assigned as vaccinator at Test centre \w+ on \d{4}-\d{2}-\d{2}, hours 09:00-17:00/,
    );

    // A day planned with its vaccinators: one STAFF_ASSIGNED each too.
    const planned = await app.inject({
      method: 'POST',
      url: '/api/v1/session-days',
      headers: officer.headers,
      payload: {
        siteId: (await insertSite(db, district)).id,
        date: tomorrow(),
        vaccineCode: 'COVAXIN',
        dose1Capacity: 10,
        dose2Capacity: 0,
        opensAt: '10:00',
        closesAt: '14:00',
        vaccinatorIds: [e.staffId],
      },
    });
    expect(planned.statusCode, planned.body).toBe(201);
    expect(await counts(e)).toEqual({ STAFF_ASSIGNED: 1 });

    // Hours changed: one STAFF_ASSIGNMENT_CHANGED to each member; an edit of seats alone sends nothing.
    const hours = await app.inject({
      method: 'PATCH',
      url: `/api/v1/session-days/${day.id}`,
      headers: officer.headers,
      payload: { closesAt: '18:00' },
    });
    expect(hours.statusCode, hours.body).toBe(200);
    const seats = await app.inject({
      method: 'PATCH',
      url: `/api/v1/session-days/${day.id}`,
      headers: officer.headers,
      payload: { dose1Capacity: 12 },
    });
    expect(seats.statusCode, seats.body).toBe(200);
    for (const m of [a, b, c]) expect(await counts(m)).toEqual({ STAFF_ASSIGNED: 1, STAFF_ASSIGNMENT_CHANGED: 1 });

    // Replaced: the replacement is assigned, the absent member cancelled, the rest told of the change.
    expect((await replace(day.id, c.staffId, d.staffId)).statusCode).toBe(200);
    expect(await counts(d)).toEqual({ STAFF_ASSIGNED: 1 });
    expect(await counts(c)).toEqual({ STAFF_ASSIGNED: 1, STAFF_ASSIGNMENT_CHANGED: 1, STAFF_ASSIGNMENT_CANCELLED: 1 });
    for (const m of [a, b]) expect(await counts(m)).toEqual({ STAFF_ASSIGNED: 1, STAFF_ASSIGNMENT_CHANGED: 2 });

    // Extended by the officer (through the session-day workflow): one more change each.
    const extended = await app.inject({
      method: 'POST',
      url: `/api/v1/session-days/${day.id}/interventions/extend`,
      headers: officer.headers,
      payload: { minutes: 30 },
    });
    expect(extended.statusCode, extended.body).toBe(200);
    for (const m of [a, b]) expect(await counts(m)).toEqual({ STAFF_ASSIGNED: 1, STAFF_ASSIGNMENT_CHANGED: 3 });
    expect(await counts(d)).toEqual({ STAFF_ASSIGNED: 1, STAFF_ASSIGNMENT_CHANGED: 1 });
    const [latest] = await db
      .selectFrom('sms_message')
      .select('body')
      .where('mobile', '=', d.mobile)
      .where('template', '=', 'STAFF_ASSIGNMENT_CHANGED')
      .execute();
    expect(latest.body).toContain('hours 09:00-18:30');

    // Taken off: one cancellation to them alone.
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/v1/session-days/${day.id}/assignments/${b.staffId}`,
      headers: officer.headers,
    });
    expect(removed.statusCode).toBe(204);
    expect(await counts(b)).toEqual({ STAFF_ASSIGNED: 1, STAFF_ASSIGNMENT_CHANGED: 3, STAFF_ASSIGNMENT_CANCELLED: 1 });

    // The session cancelled: one cancellation to everyone still on the team, and only to them.
    const cancelled = await app.inject({
      method: 'POST',
      url: `/api/v1/session-days/${day.id}/interventions/cancel`,
      headers: officer.headers,
      payload: { reason: 'site flooded' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await counts(a)).toEqual({ STAFF_ASSIGNED: 1, STAFF_ASSIGNMENT_CHANGED: 3, STAFF_ASSIGNMENT_CANCELLED: 1 });
    expect(await counts(d)).toEqual({ STAFF_ASSIGNED: 1, STAFF_ASSIGNMENT_CHANGED: 1, STAFF_ASSIGNMENT_CANCELLED: 1 });
    expect((await counts(b)).STAFF_ASSIGNMENT_CANCELLED).toBe(1);
    expect((await counts(c)).STAFF_ASSIGNMENT_CANCELLED).toBe(1);
    const [notice] = await db
      .selectFrom('sms_message')
      .select('body')
      .where('mobile', '=', a.mobile)
      .where('template', '=', 'STAFF_ASSIGNMENT_CANCELLED')
      .execute();
    expect(notice.body).toMatch(/your duty at Test centre \w+ on \d{4}-\d{2}-\d{2} is cancelled/);
  });

  it('reminds each member the evening before, once per assignment however often the sweep runs', async () => {
    const { app, db } = platform;
    const sms = createDevOutboxProvider();
    // A date far ahead, so that no other test's team is due in the same sweep.
    const date = addDays(indiaDate(), 200 + randomInt(0, 400));
    const eve = addDays(date, -1);
    const day = await dayOn(date);
    const cancelledDay = await dayOn(date);
    const [a, b, c] = [await member(), await member(), await member()];
    await assign(app, officer, day.id, a.staffId, 'VACCINATOR');
    await assign(app, officer, day.id, b.staffId, 'OBSERVER');
    await assign(app, officer, cancelledDay.id, c.staffId, 'VACCINATOR');
    await db.updateTable('session_day').set({ status: 'CANCELLED' }).where('id', '=', cancelledDay.id).execute();
    const reminders = async (m: Member) => (await smsByTemplate(db, m.mobile)).STAFF_SESSION_REMINDER ?? 0;

    expect(await sendDueStaffReminders(db, sms, indiaInstant(eve, '17:59'))).toEqual({ due: 0, sent: 0 });
    expect(await reminders(a)).toBe(0);

    expect(await sendDueStaffReminders(db, sms, indiaInstant(eve, '18:00'))).toMatchObject({ due: 2, sent: 2 });
    for (const at of [
      indiaInstant(eve, '18:00'),
      indiaInstant(eve, '18:01'),
      indiaInstant(eve, '23:30'),
      indiaInstant(date, '08:00'),
    ]) {
      expect(await sendDueStaffReminders(db, sms, at)).toMatchObject({ sent: 0 });
    }
    await Promise.all([1, 2, 3].map(() => sendDueStaffReminders(db, sms, indiaInstant(eve, '20:00'))));
    expect(await reminders(a)).toBe(1);
    expect(await reminders(b)).toBe(1);
    expect(await reminders(c)).toBe(0);
    const [reminder] = await db
      .selectFrom('sms_message')
      .select('body')
      .where('mobile', '=', b.mobile)
      .where('template', '=', 'STAFF_SESSION_REMINDER')
      .execute();
    expect(reminder.body).toMatch(
      new RegExp(`your duty as observer at Test centre \\w+ is on ${date}, hours 09:00-17:00`),
    );

    // The hour is configurable: at 20:00 no reminder of a later-hour sweep is due yet.
    const later = await dayOn(addDays(date, 1));
    const e = await member();
    await assign(app, officer, later.id, e.staffId, 'VACCINATOR');
    expect(await sendDueStaffReminders(db, sms, indiaInstant(date, '19:59'), { hour: 20 })).toMatchObject({ sent: 0 });
    expect(await sendDueStaffReminders(db, sms, indiaInstant(date, '20:00'), { hour: 20 })).toMatchObject({ sent: 1 });
    expect(await reminders(e)).toBe(1);
  });
});
