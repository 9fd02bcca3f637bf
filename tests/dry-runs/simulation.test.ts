/**
 * A dry run's simulation end to end: one site, 100 test people, a day compressed to under two minutes, on the
 * real session-day workflow and the real desk API. It finishes on its own; its findings equal what the database
 * holds for it; none of it reaches the war room, the public report, the Co-WIN API or certificates; and deleting
 * it removes all of it and nothing else.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'kysely';
import { insertSessionDay, insertSite } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { bookedPerson } from '../desk/helpers.js';
import { assign, someDistrict, staffMember, type District, type Member } from '../teams/support.js';
import { cowinClient, cowinDate } from '../cowin/client.js';
import { indiaDate } from '../../domain/time.js';
import { untilIndiaTimeOnTimelineMs } from '../support/india-day.js';
import { waitFor } from '../support/journey.js';

let platform: TestPlatform;
let district: District;
let officer: Member;
let siteId: number;
/** Real rows made before the dry run, which must come through it untouched. */
const real = { sessionDayId: '', referenceId: '', doseId: '' };
let before: Awaited<ReturnType<typeof realFigures>>;
let dryRunId = '';
let sessionDayId = '';

/** This file's API takes its simulations' steps from its own queue (other files' APIs take theirs). */
const STEPS_QUEUE = `${inject('taskQueue')}-dry-run-steps-simulation`;

/** A dry run's own day: four hours on a clock where a day lasts eight minutes (the four hours: 80 seconds). */
const DAY_MS = 480_000;

const get = (as: Member, url: string) => platform.app.inject({ method: 'GET', url, headers: as.headers });

/**
 * A report's figures without its zeros: another test file may add a vaccine (a new zero column) meanwhile, while a
 * dry run's dose would change a figure.
 */
function figuresOnly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(figuresOnly);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== 0)
        .map(([k, v]) => [k, figuresOnly(v)]),
    );
  return value;
}

/** What the district's war room, the public report and the Co-WIN API show. */
async function realFigures() {
  const dashboard = await get(officer, `/api/v1/dashboard/districts/${district.districtId}`);
  expect(dashboard.statusCode, dashboard.body).toBe(200);
  const report = await platform.app.inject({
    method: 'GET',
    url: `/api/v1/reports/v2/getPublicReports?state_id=${district.stateId}&district_id=${district.districtId}`,
    remoteAddress: '10.77.0.1',
  });
  expect(report.statusCode, report.body).toBe(200);
  const v2 = await cowinClient(platform.app, '10.77.0.2').get(
    `/v2/appointment/sessions/public/findByDistrict?district_id=${district.districtId}&date=${cowinDate()}`,
  );
  expect(v2.statusCode, v2.body).toBe(200);
  const d = dashboard.json();
  const coverage = await platform.db
    .selectFrom('district_coverage')
    .selectAll()
    .where('district_id', '=', district.districtId)
    .executeTakeFirst();
  const registrations = await platform.db
    .selectFrom('district_daily_registrations')
    .select(sql<number>`coalesce(sum(registrations), 0)`.as('n'))
    .where('district_id', '=', district.districtId)
    .executeTakeFirstOrThrow();
  return {
    // What the war room counts (not what moves with the clock: this hour, minutes since the last dose).
    dashboard: {
      dosesToday: d.kpis.dosesToday,
      sessionsToday: d.kpis.sessionsToday,
      registrationsToday: d.kpis.registrationsToday,
      totals: d.totals,
      sessions: d.sessions.map((s: { sessionDayId: string; booked: number; vaccinated: number; walkIns: number }) => [
        s.sessionDayId,
        s.booked,
        s.vaccinated,
        s.walkIns,
      ]),
      dosesPerHour: d.dosesPerHour.reduce((n: number, h: { doses: number }) => n + h.doses, 0),
    },
    dashboardText: dashboard.body,
    report: figuresOnly({ ...report.json<Record<string, unknown>>(), timestamp: undefined }),
    v2Text: v2.body,
    coverage: coverage ? { dose1: coverage.dose1, dose2: coverage.dose2 } : null,
    registrations: registrations.n,
  };
}

beforeAll(async () => {
  platform = await startTestPlatform({ dayMs: 86_400_000, dryRunStepsTaskQueue: STEPS_QUEUE });
  const { app, db, config } = platform;
  district = await someDistrict(db);
  officer = await staffMember(app, db, config, 'DISTRICT_OFFICER', district);
  siteId = (await insertSite(db, district)).id;

  // A real day in the same district: a person booked and vaccinated.
  const day = await insertSessionDay(db, { district, walkin: 2 });
  const vaccinator = await staffMember(app, db, config, 'VACCINATOR', district);
  await assign(app, officer, day.id, vaccinator.staffId, 'VACCINATOR');
  const person = await bookedPerson(app, day.id);
  const dose = await app.inject({
    method: 'POST',
    url: '/api/v1/doses',
    headers: vaccinator.headers,
    payload: {
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      sessionDayId: day.id,
      vaccineCode: 'COVAXIN',
      batch: 'REAL-1',
    },
  });
  expect(dose.statusCode, dose.body).toBe(201);
  Object.assign(real, { sessionDayId: day.id, referenceId: person.referenceId, doseId: dose.json().doseId });
  before = await realFigures();
});
afterAll(() => platform?.close());

describe('a simulated dry run', () => {
  it('is refused, with the reason, when it would play more people than one run holds', async () => {
    const tooMany = await platform.app.inject({
      method: 'POST',
      url: '/api/v1/dry-runs',
      headers: officer.headers,
      payload: {
        name: 'Too large',
        mode: 'SIMULATION',
        siteIds: [siteId],
        parameters: { people: 1_000, seats: 1_000, walkIns: 20 },
      },
    });
    expect(tooMany.statusCode, tooMany.body).toBe(422);
    expect(tooMany.json()).toMatchObject({ code: 'INVALID_DRY_RUN' });
    expect(tooMany.json().message).toMatch(/at most 1000 people in all .* this one would play 1020/);
  });

  it(
    'plays a 100-person day at one site on its compressed clock and finishes on its own',
    { timeout: 300_000 },
    async () => {
      const { app } = platform;
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/dry-runs',
        headers: officer.headers,
        payload: {
          name: 'One site, 100 people',
          mode: 'SIMULATION',
          siteIds: [siteId],
          dayMs: DAY_MS,
          parameters: {
            vaccineCode: 'COVISHIELD',
            opensAt: '09:00',
            closesAt: '13:00',
            slotMinutes: 60,
            seats: 120,
            walkinSeats: 6,
            people: 100,
            noShowRate: 0.1,
            lateRate: 0.1,
            walkIns: 8,
            team: { verifiers: 1, vaccinators: 2, observers: 1 },
            serviceMinutes: { verify: 1, vaccinate: 2, release: 0.5 },
            aefiRate: 0.05,
            seed: 7,
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const run = created.json();
      dryRunId = run.id;
      expect(run).toMatchObject({
        mode: 'SIMULATION',
        districtId: district.districtId,
        date: indiaDate(),
        dayMs: DAY_MS,
      });
      expect(run.sessionDayIds).toHaveLength(1);
      sessionDayId = run.sessionDayIds[0];

      // It runs on its own: the officer only looks in until it has finished.
      let status = run.status;
      while (status === 'PLANNED' || status === 'RUNNING') {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const now = await get(officer, `/api/v1/dry-runs/${dryRunId}`);
        expect(now.statusCode, now.body).toBe(200);
        status = now.json().status;
      }
      const finished = (await get(officer, `/api/v1/dry-runs/${dryRunId}`)).json();
      expect(finished, JSON.stringify(finished)).toMatchObject({ status: 'FINISHED', failure: null });
      const day = await platform.db
        .selectFrom('session_day')
        .select(['status', 'dry_run_id'])
        .where('id', '=', sessionDayId)
        .executeTakeFirstOrThrow();
      expect(day).toEqual({ status: 'CLOSED', dry_run_id: dryRunId });
    },
  );

  it('reports, for the site and the run, exactly what the database holds for it', { timeout: 420_000 }, async () => {
    const { db } = platform;
    // The journeys mark their no-shows 30 minutes after the 13:00 close on the run's clock (10 s); the wait allows
    // more, as long as the India calendar would take, compressed.
    await waitFor(
      async () => {
        const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from appointment where session_day_id = ${sessionDayId} and status = 'BOOKED'`.execute(
          db,
        );
        return rows[0]!.n === 0;
      },
      'every booking settled: vaccinated or marked no-show by its journey',
      untilIndiaTimeOnTimelineMs('13:30', DAY_MS) + 60_000,
    );
    // Each no-show is texted right after it is marked: every one sent, nothing of the run's people still going out.
    await waitFor(async () => {
      const { rows } = await sql<{ noShows: number; texted: number; pending: number }>`
        select
          (select count(*)::int from appointment where session_day_id = ${sessionDayId} and status = 'NO_SHOW') as "noShows",
          count(*) filter (where m.template = 'NO_SHOW' and m.status in ('SENT', 'DELIVERED'))::int as texted,
          count(*) filter (where m.status in ('QUEUED', 'SENDING'))::int as pending
        from sms_message m
        where m.mobile in (
          select a.mobile from account a join beneficiary b on b.account_id = a.id where b.dry_run_id = ${dryRunId})`.execute(
        db,
      );
      const { noShows, texted, pending } = rows[0]!;
      return texted >= noShows && pending === 0;
    }, 'every no-show texted');
    const response = await get(officer, `/api/v1/dry-runs/${dryRunId}/findings`);
    expect(response.statusCode, response.body).toBe(200);
    const findings = response.json();
    expect(findings.sites).toHaveLength(1);
    const site = findings.sites[0];

    const count = async (query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(db)).rows[0].n);
    const doses = await count(sql`select count(*) as n from dose where session_day_id = ${sessionDayId}`);
    const booked = await count(sql`select count(*) as n from appointment where session_day_id = ${sessionDayId}`);
    const noShows = await count(
      sql`select count(*) as n from appointment where session_day_id = ${sessionDayId} and status = 'NO_SHOW'`,
    );
    const arrivals = await count(sql`select count(*) as n from dry_run_arrival where session_day_id = ${sessionDayId}`);
    const turnedAway = await count(
      sql`select count(*) as n from dry_run_arrival where session_day_id = ${sessionDayId} and outcome = 'TURNED_AWAY'`,
    );
    const walkIns = await count(
      sql`select count(*) as n from dry_run_arrival where session_day_id = ${sessionDayId} and kind = 'WALKIN'`,
    );
    const walkInDoses = await count(
      sql`select count(*) as n from dose where session_day_id = ${sessionDayId} and appointment_id is null`,
    );
    const checks = await count(
      sql`select count(*) as n from verification_check where session_day_id = ${sessionDayId}`,
    );
    const releases = await count(
      sql`select count(*) as n from observation_release r join dose d on d.id = r.dose_id where d.session_day_id = ${sessionDayId}`,
    );
    const aefi = await count(
      sql`select count(*) as n from aefi_report a join dose d on d.id = a.dose_id where d.session_day_id = ${sessionDayId}`,
    );
    const stalls = await count(
      sql`select count(*) as n from audit_log where entity_type = 'session_day' and entity_id = ${sessionDayId} and action = 'SESSION_STALLED'`,
    );
    const smsSent = await count(sql`
      select count(*) as n from sms_message where status in ('SENT', 'DELIVERED') and mobile in (
        select a.mobile from account a join beneficiary b on b.account_id = a.id where b.dry_run_id = ${dryRunId})`);
    const counters = await db
      .selectFrom('session_day')
      .select(['doses_recorded', 'walkin_used', 'no_shows', 'dose1_capacity', 'walkin_capacity'])
      .where('id', '=', sessionDayId)
      .executeTakeFirstOrThrow();

    // The day was a real one: most people came and were vaccinated, the walk-in seats ran out, some AEFI drills.
    expect(doses).toBeGreaterThan(60);
    expect(booked).toBe(100);
    expect(walkIns).toBe(8);

    expect(site).toMatchObject({
      sessionDayId,
      siteId,
      status: 'CLOSED',
      seats: counters.dose1_capacity,
      walkinSeats: counters.walkin_capacity,
      booked,
      demand: booked + walkIns,
      doses,
      noShows,
      turnedAway,
      walkInsArrived: walkIns,
      walkInsVaccinated: walkInDoses,
      stalls,
      aefi: { minor: aefi, serious: 0, severe: 0 },
      offlineDoses: 0,
    });
    expect(site.sms.sent).toBe(smsSent);
    expect(counters).toMatchObject({ doses_recorded: doses, walkin_used: walkInDoses, no_shows: noShows });
    expect(site.utilisation).toBe(
      Math.round((1000 * doses) / (counters.dose1_capacity + counters.walkin_capacity)) / 10,
    );
    // Everyone who came was checked at the door and vaccinated, or turned away; everyone vaccinated was released.
    expect(arrivals).toBe(doses + turnedAway);
    expect(checks).toBeGreaterThanOrEqual(doses);
    expect(releases).toBe(doses);
    expect(site.vaccinators).toHaveLength(2);
    expect(site.vaccinators.reduce((n: number, v: { doses: number }) => n + v.doses, 0)).toBe(doses);
    const step = (name: string) => site.steps.find((s: { step: string }) => s.step === name);
    expect(step('DOOR_CHECK').people).toBe(
      arrivals -
        (await count(sql`
      select count(*) as n from dry_run_arrival a where a.session_day_id = ${sessionDayId} and not exists (
        select 1 from verification_check v where v.session_day_id = a.session_day_id and v.beneficiary_id = a.beneficiary_id)`)),
    );
    expect(step('VACCINATION').people).toBe(doses);
    expect(step('OBSERVATION').people).toBe(releases);
    expect(step('OBSERVATION').maxMinutes).toBeLessThanOrEqual(30);
    expect(['DOOR_CHECK', 'VACCINATION', 'RELEASE']).toContain(site.bottleneck);
    expect(site.dosesPerVaccinatorHour).toBe(Math.round((10 * doses) / (2 * 4)) / 10);

    // Per slot: seats, bookings and arrivals add up to the day's.
    const slots = site.slots as { seats: number; booked: number; arrived: number; turnedAway: number }[];
    expect(slots).toHaveLength(4);
    expect(slots.reduce((n, s) => n + s.seats, 0)).toBe(counters.dose1_capacity + counters.walkin_capacity);
    expect(slots.reduce((n, s) => n + s.booked, 0)).toBe(booked);
    expect(slots.reduce((n, s) => n + s.arrived, 0)).toBe(arrivals);
    expect(slots.reduce((n, s) => n + s.turnedAway, 0)).toBe(turnedAway);

    // The whole run of one site is that site.
    expect(findings.totals).toMatchObject({
      sites: 1,
      booked,
      doses,
      turnedAway,
      noShows,
      walkInsArrived: walkIns,
      walkInsVaccinated: walkInDoses,
      bottleneck: site.bottleneck,
      dosesPerVaccinatorHour: site.dosesPerVaccinatorHour,
    });

    // The CSV says the same, a row for the site, one for the run and one per slot.
    const csv = await get(officer, `/api/v1/dry-runs/${dryRunId}/findings.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toMatch(
      /^row,site,slot,seats,booked,demand_or_arrived,doses_or_verified,utilisation_pct,turned_away/,
    );
    expect(lines).toHaveLength(1 + 1 + 1 + 4);
    const pdf = await get(officer, `/api/v1/dry-runs/${dryRunId}/findings.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(lines[1].split(',').slice(3, 9)).toEqual(
      [
        counters.dose1_capacity + counters.walkin_capacity,
        booked,
        booked + walkIns,
        doses,
        site.utilisation,
        turnedAway,
      ].map(String),
    );
  });

  it('never counts its doses, bookings or people as real', async () => {
    const { db } = platform;
    const after = await realFigures();
    expect(after.dashboard).toEqual(before.dashboard);
    expect(after.dashboardText).not.toContain(sessionDayId);
    expect(after.report).toEqual(before.report);
    expect(after.v2Text).not.toContain(sessionDayId);
    expect(after.coverage).toEqual(before.coverage);
    expect(after.registrations).toBe(before.registrations);
    // Its session day is not counted among the district's, and its people get no certificate.
    const counted = await db
      .selectFrom('district_session_counts')
      .select(sql<number>`coalesce(sum(sessions), 0)`.as('n'))
      .where('district_id', '=', district.districtId)
      .where('date', '=', indiaDate())
      .executeTakeFirstOrThrow();
    expect(counted.n).toBe(1);
    const certificates = await db
      .selectFrom('certificate')
      .innerJoin('beneficiary', 'beneficiary.id', 'certificate.beneficiary_id')
      .select(sql<number>`count(*)`.as('n'))
      .where('beneficiary.dry_run_id', '=', dryRunId)
      .executeTakeFirstOrThrow();
    expect(certificates.n).toBe(0);
    // A real person is never booked at its session day, whatever path writes the booking.
    const person = await db
      .selectFrom('beneficiary')
      .select('id')
      .where('reference_id', '=', real.referenceId)
      .executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('appointment')
        .values({ beneficiary_id: person.id, session_day_id: sessionDayId, dose_number: 2 })
        .execute(),
    ).rejects.toThrow(/kept apart from real ones/);
  });

  it('is read and deleted only by officers of its district or above', async () => {
    const { app, db, config } = platform;
    const elsewhere = await staffMember(app, db, config, 'DISTRICT_OFFICER', await otherDistrict());
    expect((await get(elsewhere, `/api/v1/dry-runs/${dryRunId}`)).statusCode).toBe(403);
    expect((await get(elsewhere, `/api/v1/dry-runs/${dryRunId}/findings`)).statusCode).toBe(403);
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/dry-runs/${dryRunId}`, headers: elsewhere.headers });
    expect(del.statusCode).toBe(403);
    const vaccinator = await staffMember(app, db, config, 'VACCINATOR', district);
    const post = await app.inject({
      method: 'POST',
      url: '/api/v1/dry-runs',
      headers: vaccinator.headers,
      payload: { name: 'x', mode: 'SIMULATION', siteIds: [siteId] },
    });
    expect(post.statusCode).toBe(403);
    const list = await get(officer, '/api/v1/dry-runs');
    expect(list.json().dryRuns.map((r: { id: string }) => r.id)).toContain(dryRunId);
  });

  it('is deleted whole: everything it created goes, and nothing else', { timeout: 120_000 }, async () => {
    const { app, db } = platform;
    const mine = async () => {
      const n = async (query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(db)).rows[0].n);
      return {
        sessionDays: await n(sql`select count(*) as n from session_day where dry_run_id = ${dryRunId}`),
        slots: await n(sql`select count(*) as n from session_slot where session_day_id = ${sessionDayId}`),
        people: await n(sql`select count(*) as n from beneficiary where dry_run_id = ${dryRunId}`),
        accounts: await n(sql`select count(*) as n from account where dry_run_id = ${dryRunId}`),
        staff: await n(sql`select count(*) as n from staff_user where dry_run_id = ${dryRunId}`),
        appointments: await n(sql`select count(*) as n from appointment where session_day_id = ${sessionDayId}`),
        doses: await n(sql`select count(*) as n from dose where session_day_id = ${sessionDayId}`),
        checks: await n(sql`select count(*) as n from verification_check where session_day_id = ${sessionDayId}`),
        arrivals: await n(sql`select count(*) as n from dry_run_arrival where dry_run_id = ${dryRunId}`),
        runs: await n(sql`select count(*) as n from dry_run where id = ${dryRunId}`),
      };
    };
    const mobiles = (await db.selectFrom('account').select('mobile').where('dry_run_id', '=', dryRunId).execute()).map(
      (a) => a.mobile,
    );
    expect(Object.values(await mine()).every((n) => n > 0)).toBe(true);
    const realBefore = await realRows();

    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/dry-runs/${dryRunId}`,
      headers: officer.headers,
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(deleted.json()).toMatchObject({
      deleted: dryRunId,
      removed: { session_day: 1, beneficiary: expect.any(Number) },
    });

    expect(Object.values(await mine()).every((n) => n === 0)).toBe(true);
    const sms = await db
      .selectFrom('sms_message')
      .select(sql<number>`count(*)`.as('n'))
      .where('mobile', 'in', mobiles)
      .executeTakeFirstOrThrow();
    expect(sms.n).toBe(0);
    expect(await realRows()).toEqual(realBefore);
    expect((await realFigures()).dashboard).toEqual(before.dashboard);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_type', '=', 'dry_run')
      .where('entity_id', '=', dryRunId)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'DRY_RUN_CREATED',
      'DRY_RUN_RUNNING',
      'DRY_RUN_FINISHED',
      'DRY_RUN_FINDINGS_EXPORTED',
      'DRY_RUN_FINDINGS_EXPORTED',
      'DRY_RUN_DELETED',
    ]);
    expect(audit.at(-1)!.actor_id).toBe(officer.staffId);
    expect((await get(officer, `/api/v1/dry-runs/${dryRunId}`)).statusCode).toBe(404);
  });
});

/** The real day made before the dry run, as the database holds it. */
async function realRows() {
  const { db } = platform;
  return {
    day: await db
      .selectFrom('session_day')
      .select(['id', 'status', 'doses_recorded', 'dose1_booked'])
      .where('id', '=', real.sessionDayId)
      .executeTakeFirst(),
    person: await db
      .selectFrom('beneficiary')
      .select(['reference_id', 'stage', 'dry_run_id'])
      .where('reference_id', '=', real.referenceId)
      .executeTakeFirst(),
    dose: await db.selectFrom('dose').select(['id', 'session_day_id']).where('id', '=', real.doseId).executeTakeFirst(),
    appointments: await db
      .selectFrom('appointment')
      .select(['id', 'status'])
      .where('session_day_id', '=', real.sessionDayId)
      .execute(),
  };
}

async function otherDistrict(): Promise<District> {
  for (;;) {
    const other = await someDistrict(platform.db);
    if (other.districtId !== district.districtId) return other;
  }
}
