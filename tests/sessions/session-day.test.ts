import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { temporal as proto } from '@temporalio/proto';
import { SessionDayService } from '../../api/services/session-days.js';
import { addDays, indiaDate, indiaInstant, indiaTime } from '../../domain/time.js';
import { sweepSessionDays } from '../../workflows/session-sweep.js';
import { sessionDayStateQuery, workflowIds } from '../../workflows/shared.js';
import { insertSessionDay } from '../support/fixtures.js';
import { minutesToMidnight, openNowHours } from '../support/india-day.js';
import { bearer, readSms, vaccinatorFor, waitFor } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import {
  auditOf,
  bookPeople,
  intervene,
  listenLive,
  quietDistrict,
  smsCount,
  staffLogin,
  statusOf,
} from './support.js';

const DAY_MS = 86_400_000;

describe('a session day on its own clock', () => {
  let platform: TestPlatform;
  // A day lasts 6 s: tomorrow's session opens within 6 s and is open for 4.5 s (timers may fire a little late).
  beforeAll(async () => void (platform = await startTestPlatform({ dayMs: 6_000 })));
  afterAll(() => platform.close());

  it('opens at its opening time and closes at its closing time, each announced and audited', async () => {
    const { db, temporal, config } = platform;
    const district = await quietDistrict(db);
    const session = await insertSessionDay(db, {
      district,
      date: addDays(indiaDate(), 1),
      opensAt: '00:00:00',
      closesAt: '18:00:00',
    });
    const live = await listenLive(config.databaseUrl, session.id);
    try {
      expect(await new SessionDayService(db, temporal, config).ensureStarted(session.id)).toBe('RUNNING');
      const handle = (await temporal.client()).workflow.getHandle(workflowIds.sessionDay(session.id));
      const final = await handle.result();
      expect(final).toMatchObject({ sessionDayId: session.id, status: 'CLOSED', stallEpisodes: 0 });

      expect(await statusOf(db, session.id)).toBe('CLOSED');
      const audit = await auditOf(db, session.id);
      expect(audit.map((a) => a.action)).toEqual(['SESSION_OPENED', 'SESSION_CLOSED']);
      expect(audit.every((a) => a.actor_type === 'SYSTEM')).toBe(true);
      expect(audit[1].details).toMatchObject({
        from: 'OPEN',
        to: 'CLOSED',
        reason: 'closing time',
        dosesRecorded: 0,
        noShows: 0,
        stillBooked: 0,
        wastage: 0,
      });
      await waitFor(async () => live.statuses().length === 2, 'two live status events');
      expect(live.statuses()).toEqual(['OPEN', 'CLOSED']);

      // Its wastage-report window has passed with the workflow: a late report is refused, nothing restarts.
      const officer = await staffLogin(platform.app, db, 'DISTRICT_OFFICER', district);
      const late = await intervene(platform.app, officer.headers, session.id, 'close', { wastage: 1 });
      expect(late.statusCode, late.body).toBe(409);
      expect(late.json().code).toBe('SESSION_DAY_FINISHED');
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      expect(await new SessionDayService(db, temporal, config).ensureStarted(session.id)).toBe('FINISHED');
    } finally {
      await live.close();
    }
  });

  it('sweeps the session days of today and tomorrow that have no workflow yet, once', async () => {
    const { db, temporal, config } = platform;
    // Swept "as of" a far date, so the sweep touches only this test's day, not other files' days of today.
    const asOf = indiaInstant(`20${40 + randomInt(0, 50)}-0${randomInt(1, 10)}-1${randomInt(0, 9)}`, '08:00');
    const district = await quietDistrict(db);
    const session = await insertSessionDay(db, {
      district,
      date: addDays(indiaDate(asOf), 1),
      opensAt: '09:00:00',
      closesAt: '17:00:00',
    });
    const client = await temporal.client();
    const realDays = { ...config, dayMs: DAY_MS };

    expect(await sweepSessionDays(db, client, realDays, { now: asOf })).toContain(session.id);
    const handle = client.workflow.getHandle(workflowIds.sessionDay(session.id));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const row = await db
      .selectFrom('session_day')
      .select(['workflow_started_at', 'status'])
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(row.workflow_started_at).toBeInstanceOf(Date);
    expect(row.status).toBe('PLANNED');

    expect(await sweepSessionDays(db, client, realDays, { now: asOf })).not.toContain(session.id);
    await handle.terminate('test over');
  });
});

describe('a session that goes quiet', () => {
  let platform: TestPlatform;
  // A calendar minute lasts 2 s; a session is stalled after 2 quiet minutes (4 s). Today's session must stay open
  // through the test: even at the latest a file starts (tests/support/india-day.ts) it has some 14 calendar
  // minutes left, here 28 s.
  beforeAll(
    async () =>
      void (platform = await startTestPlatform({ dayMs: DAY_MS / 30, stallAfterMinutes: 2, rateLimitsEnabled: false })),
  );
  afterAll(() => platform.close());

  it('is flagged STALLED with a live event and one SMS to each district officer, and clears when doses resume', async () => {
    const { app, db, temporal, config } = platform;
    const district = await quietDistrict(db);
    const elsewhere = await quietDistrict(db);
    const officer = await staffLogin(app, db, 'DISTRICT_OFFICER', district);
    const deputy = await staffLogin(app, db, 'DISTRICT_OFFICER', district);
    const otherDistrictOfficer = await staffLogin(app, db, 'DISTRICT_OFFICER', elsewhere);
    const session = await insertSessionDay(db, { district });
    const [person] = await bookPeople(app, session.id, 1);
    const live = await listenLive(config.databaseUrl, session.id);
    try {
      await new SessionDayService(db, temporal, config).ensureStarted(session.id);

      const alert = await waitFor(
        async () => (await readSms(app, officer.mobile)).find((m) => m.template === 'SESSION_STALLED'),
        'the stall SMS',
      );
      expect(alert.body).toMatch(/has recorded no dose for \d+ minutes, 1 people waiting/);
      await waitFor(async () => live.statuses().includes('STALLED'), 'the STALLED live event');
      const stalled = await app.inject({
        method: 'GET',
        url: `/api/v1/session-days/${session.id}/status`,
        headers: officer.headers,
      });
      expect(stalled.statusCode, stalled.body).toBe(200);
      expect(stalled.json()).toMatchObject({
        status: 'STALLED',
        counts: { booked: 1, waiting: 1, due: 1, dosesRecorded: 0 },
        lastDoseAt: null,
        workflowStarted: true,
      });
      // The district console's card reads why from the live view.
      const consoleCard = async () => {
        const res = await app.inject({
          method: 'GET',
          url: `/api/v1/dashboard/districts/${district.districtId}`,
          headers: officer.headers,
        });
        expect(res.statusCode, res.body).toBe(200);
        return (res.json().sessions as { sessionDayId: string }[]).find((s) => s.sessionDayId === session.id);
      };
      expect(await consoleCard()).toMatchObject({ status: 'STALLED', stallReason: 'NO_DOSES' });

      const vaccinator = await vaccinatorFor(app, db, session.id, district);
      const dose = await app.inject({
        method: 'POST',
        url: '/api/v1/doses',
        headers: bearer(vaccinator.token),
        payload: {
          referenceId: person.referenceId,
          secretCode: person.secretCode,
          sessionDayId: session.id,
          vaccineCode: 'COVAXIN',
          batch: 'ST-001',
        },
      });
      expect(dose.statusCode, dose.body).toBe(201);

      await waitFor(async () => (await statusOf(db, session.id)) === 'OPEN', 'the stall to clear');
      const audit = await auditOf(db, session.id);
      expect(audit.map((a) => a.action)).toEqual(['SESSION_OPENED', 'SESSION_STALLED', 'SESSION_RECOVERED']);
      expect(audit[1].details).toMatchObject({ reason: 'NO_DOSES', episode: 1, due: 1 });
      expect(audit[2].details).toMatchObject({ reason: 'DOSES_RESUMED', episode: 1 });
      await waitFor(async () => live.statuses().length === 3, 'three live status events');
      expect(live.statuses()).toEqual(['OPEN', 'STALLED', 'OPEN']);
      const open = (
        await app.inject({ method: 'GET', url: `/api/v1/session-days/${session.id}/status`, headers: officer.headers })
      ).json();
      expect(open).toMatchObject({
        status: 'OPEN',
        counts: { waiting: 0, dosesRecorded: 1 },
        minutesSinceLastDose: 0,
        pace: { actual: 1 },
      });
      expect(await consoleCard()).toMatchObject({ status: 'OPEN', stallReason: null });

      // One alert per officer of the district for the one stall; none elsewhere.
      expect(await smsCount(db, officer.mobile, 'SESSION_STALLED')).toBe(1);
      expect(await smsCount(db, deputy.mobile, 'SESSION_STALLED')).toBe(1);
      expect(await smsCount(db, otherDistrictOfficer.mobile, 'SESSION_STALLED')).toBe(0);

      // The assigned vaccinator closes the day and reports its wastage; an officer corrects it later.
      const closed = await intervene(app, bearer(vaccinator.token), session.id, 'close', { wastage: 2 });
      expect(closed.statusCode, closed.body).toBe(200);
      expect(closed.json()).toMatchObject({ status: 'CLOSED', counts: { dosesRecorded: 1, wastage: 2, noShows: 0 } });
      const corrected = await intervene(app, officer.headers, session.id, 'close', { wastage: 3 });
      expect(corrected.statusCode, corrected.body).toBe(200);
      expect(corrected.json()).toMatchObject({ status: 'CLOSED', counts: { wastage: 3 } });
      const closing = (await auditOf(db, session.id)).slice(3);
      expect(closing.map((a) => [a.action, a.actor_id])).toEqual([
        ['SESSION_CLOSED', vaccinator.staffId],
        ['SESSION_WASTAGE_REPORTED', officer.staffId],
      ]);
      expect(closing[0].details).toMatchObject({
        from: 'OPEN',
        to: 'CLOSED',
        reason: 'closed early',
        dosesRecorded: 1,
        stillBooked: 0,
        wastage: 2,
      });
      const again = await intervene(app, officer.headers, session.id, 'pause');
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json().code).toBe('SESSION_DAY_FINISHED');
    } finally {
      await live.close();
    }
  });
});

describe('pausing, resuming and extending a session', () => {
  let platform: TestPlatform;
  // Real days: today's session is open now and stays open for the whole test, closing at 23:00 India time (or a
  // few minutes from now when the evening is past that), so an extension can reach midnight.
  beforeAll(async () => void (platform = await startTestPlatform({ dayMs: DAY_MS, rateLimitsEnabled: false })));
  afterAll(() => platform.close());

  it('changes the status and the closing time, refuses what does not fit, and stops doses while paused', async () => {
    const { app, db, config } = platform;
    const district = await quietDistrict(db);
    const officer = await staffLogin(app, db, 'DISTRICT_OFFICER', district);
    const hours = openNowHours({ closesAt: '23:00:00' });
    const session = await insertSessionDay(db, { district, ...hours });
    const [person] = await bookPeople(app, session.id, 1);
    const vaccinator = await vaccinatorFor(app, db, session.id, district);
    const live = await listenLive(config.databaseUrl, session.id);
    try {
      // The day has no workflow yet: the intervention starts it, which opens it, then pauses it.
      const paused = await intervene(app, officer.headers, session.id, 'pause', { reason: 'vaccine carrier is late' });
      expect(paused.statusCode, paused.body).toBe(200);
      expect(paused.json()).toMatchObject({ status: 'PAUSED', workflowStarted: true, extended: false });

      const twice = await intervene(app, officer.headers, session.id, 'pause', {});
      expect(twice.statusCode, twice.body).toBe(409);
      expect(twice.json()).toMatchObject({
        code: 'SESSION_NOT_ALLOWED_IN_STATUS',
        message: expect.stringMatching(/paused/),
      });

      const dose = await app.inject({
        method: 'POST',
        url: '/api/v1/doses',
        headers: bearer(vaccinator.token),
        payload: {
          referenceId: person.referenceId,
          secretCode: person.secretCode,
          sessionDayId: session.id,
          vaccineCode: 'COVAXIN',
          batch: 'PA-001',
        },
      });
      expect(dose.statusCode, dose.body).toBe(409);
      expect(dose.json().code).toBe('SESSION_NOT_OPEN');

      const resumed = await intervene(app, officer.headers, session.id, 'resume', {});
      expect(resumed.statusCode, resumed.body).toBe(200);
      expect(resumed.json().status).toBe('OPEN');

      // 30 minutes more (less when midnight is nearer); then a minute past midnight is refused.
      const room = minutesToMidnight(hours);
      const minutes = Math.min(30, room);
      const extendedUntil = new Date(indiaInstant(hours.date, hours.closesAt).getTime() + minutes * 60_000);
      const extended = await intervene(app, officer.headers, session.id, 'extend', { minutes });
      expect(extended.statusCode, extended.body).toBe(200);
      expect(extended.json()).toMatchObject({ status: 'OPEN', extended: true, closesAt: extendedUntil.toISOString() });
      const tooLate = await intervene(app, officer.headers, session.id, 'extend', { minutes: room - minutes + 1 });
      expect(tooLate.statusCode, tooLate.body).toBe(422);
      expect(tooLate.json()).toMatchObject({ code: 'INVALID_EXTENSION', message: expect.stringMatching(/midnight/) });
      const row = await db
        .selectFrom('session_day')
        .select(['extended_until', 'closes_at'])
        .where('id', '=', session.id)
        .executeTakeFirstOrThrow();
      expect(row.extended_until?.toISOString()).toBe(extendedUntil.toISOString());
      expect(row.closes_at).toBe(hours.closesAt);

      const audit = await auditOf(db, session.id);
      expect(audit.map((a) => a.action)).toEqual([
        'SESSION_OPENED',
        'SESSION_PAUSED',
        'SESSION_RESUMED',
        'SESSION_EXTENDED',
      ]);
      expect(audit.slice(1).every((a) => a.actor_id === officer.staffId && a.actor_role === 'DISTRICT_OFFICER')).toBe(
        true,
      );
      expect(audit[1].details).toMatchObject({ from: 'OPEN', to: 'PAUSED', reason: 'vaccine carrier is late' });
      expect(audit[3].details).toMatchObject({
        minutes,
        previousClosesAt: indiaInstant(hours.date, hours.closesAt).toISOString(),
      });
      await waitFor(async () => live.events.length === 4, 'four live events');
      expect(live.events.map((e) => [e.data.status, e.data.action])).toEqual([
        ['OPEN', 'SESSION_OPENED'],
        ['PAUSED', 'SESSION_PAUSED'],
        ['OPEN', 'SESSION_RESUMED'],
        ['OPEN', 'SESSION_EXTENDED'],
      ]);

      const cancelled = await intervene(app, officer.headers, session.id, 'cancel', { reason: 'test over' });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
    } finally {
      await live.close();
    }
  });
});

describe('a dose at a session day still PLANNED', () => {
  let platform: TestPlatform;
  // Real-length days: the opening time, ten minutes away, stays ahead while the test runs.
  beforeAll(async () => void (platform = await startTestPlatform({ dayMs: DAY_MS, stallAfterMinutes: 600 })));
  afterAll(() => platform.close());

  it('opens the day at once: its workflow hears of the dose, and the officer may then do what an open day allows', async () => {
    const { app, db, temporal, config } = platform;
    const district = await quietDistrict(db);
    // Opening ten minutes from now (the test files stay clear of the last 15 minutes of the India day).
    const opensAt = indiaTime(new Date(Math.ceil((Date.now() + 10 * 60_000) / 60_000) * 60_000));
    // One slot for the rest of the day, however late in it the test runs.
    const [hours, minutes] = opensAt.split(':').map(Number) as [number, number];
    const slotMinutes = 23 * 60 + 59 - (hours * 60 + minutes);
    const session = await insertSessionDay(db, { district, opensAt, closesAt: '23:59:00', slotMinutes });
    const [person] = await bookPeople(platform.app, session.id, 1);
    const vaccinator = await vaccinatorFor(app, db, session.id, district);
    expect(await new SessionDayService(db, temporal, config).ensureStarted(session.id)).toBe('RUNNING');
    const handle = (await temporal.client()).workflow.getHandle(workflowIds.sessionDay(session.id));
    expect(await handle.query(sessionDayStateQuery)).toMatchObject({ status: 'PLANNED' });
    const officer = await staffLogin(app, db, 'DISTRICT_OFFICER', district);
    const tooEarly = await intervene(app, officer.headers, session.id, 'pause');
    expect(tooEarly.statusCode, tooEarly.body).toBe(409);

    // The team started before anyone opened the day.
    const dose = await app.inject({
      method: 'POST',
      url: '/api/v1/doses',
      headers: bearer(vaccinator.token),
      payload: {
        referenceId: person!.referenceId,
        secretCode: person!.secretCode,
        sessionDayId: session.id,
        vaccineCode: 'COVAXIN',
        batch: 'EARLY-1',
        clientEventId: `ev-early-${session.id}`,
      },
    });
    expect(dose.statusCode, dose.body).toBe(201);
    await waitFor(async () => (await statusOf(db, session.id)) === 'OPEN', 'the day opened by its dose');
    expect(indiaInstant(indiaDate(), opensAt).getTime()).toBeGreaterThan(Date.now());
    const opened = (await auditOf(db, session.id)).filter((a) => a.action === 'SESSION_OPENED');
    expect(opened).toEqual([
      expect.objectContaining({
        actor_type: 'SYSTEM',
        details: expect.objectContaining({
          from: 'PLANNED',
          to: 'OPEN',
          reason: 'a dose was recorded before it was opened',
        }),
      }),
    ]);
    expect(await handle.query(sessionDayStateQuery)).toMatchObject({ status: 'OPEN' });
    const paused = await intervene(app, officer.headers, session.id, 'pause');
    expect(paused.statusCode, paused.body).toBe(200);
    expect(paused.json()).toMatchObject({ status: 'PAUSED' });

    // RECORD_SESSION_OPEN_ON_DOSE_HISTORY=<file.binpb> keeps this day's history for tests/journey/replay.test.ts.
    const recordTo = process.env.RECORD_SESSION_OPEN_ON_DOSE_HISTORY;
    if (recordTo) {
      const cancelled = await intervene(app, officer.headers, session.id, 'cancel', { reason: 'recorded for replay' });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      // Its history so far (the late check for bookings sleeps on after the cancellation).
      writeFileSync(recordTo, proto.api.history.v1.History.encode(await handle.fetchHistory()).finish());
    }
  });
});
