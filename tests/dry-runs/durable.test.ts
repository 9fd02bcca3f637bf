/**
 * A simulated dry run outlives the API process that started it: its day is a workflow, and its steps are taken by
 * whichever API process serves the steps queue. Two sites in one run: the API that started it is closed mid-day,
 * a new one is started, the run finishes on its own, and its findings — per site and for the whole run — equal what
 * the database holds for it, with no step taken twice.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'kysely';
import { insertSite } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { someDistrict, staffMember, type District, type Member } from '../teams/support.js';
import { untilIndiaTimeOnTimelineMs } from '../support/india-day.js';
import { waitFor } from '../support/journey.js';
import { workflowIds } from '../../workflows/shared.js';

const STEPS_QUEUE = `${inject('taskQueue')}-dry-run-steps-durable`;
const DAY_MS = 480_000;

let first: TestPlatform | undefined;
let second: TestPlatform | undefined;
let district: District;
let officer: Member;
let dryRunId = '';
let sessionDayIds: string[] = [];

const start = () => startTestPlatform({ dayMs: 86_400_000, dryRunStepsTaskQueue: STEPS_QUEUE });

beforeAll(async () => {
  first = await start();
  district = await someDistrict(first.db);
  officer = await staffMember(first.app, first.db, first.config, 'DISTRICT_OFFICER', district);
});
afterAll(async () => {
  await first?.close();
  await second?.close();
});

describe('a simulated dry run across an API restart', () => {
  it('goes on when the API that started it stops, and finishes on the next one', { timeout: 300_000 }, async () => {
    const a = first!;
    const sites = [(await insertSite(a.db, district)).id, (await insertSite(a.db, district)).id];
    const created = await a.app.inject({
      method: 'POST',
      url: '/api/v1/dry-runs',
      headers: officer.headers,
      payload: {
        name: 'Two sites, restarted',
        mode: 'SIMULATION',
        siteIds: sites,
        dayMs: DAY_MS,
        parameters: {
          opensAt: '09:00',
          closesAt: '12:00',
          slotMinutes: 60,
          seats: 40,
          walkinSeats: 3,
          people: 30,
          noShowRate: 0.1,
          lateRate: 0.1,
          walkIns: 3,
          team: { verifiers: 1, vaccinators: 1, observers: 1 },
          serviceMinutes: { verify: 1, vaccinate: 2, release: 0.5 },
          aefiRate: 0.1,
          seed: 11,
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    dryRunId = created.json().id;
    sessionDayIds = created.json().sessionDayIds;
    expect(sessionDayIds).toHaveLength(2);

    // Some doses are recorded at both sites by the first API; then it stops.
    const dosesAt = async (id: string, db = a.db) =>
      Number(
        (await sql<{ n: string }>`select count(*) as n from dose where session_day_id = ${id}`.execute(db)).rows[0]!.n,
      );
    await waitFor(
      async () => (await dosesAt(sessionDayIds[0]!)) >= 3 && (await dosesAt(sessionDayIds[1]!)) >= 3,
      'doses recorded at both sites',
      120_000,
    );
    const dosesBefore = (await dosesAt(sessionDayIds[0]!)) + (await dosesAt(sessionDayIds[1]!));
    await a.close();
    first = undefined;

    // A new API process: the run goes on there and finishes on its own.
    const b = (second = await start());
    const driver = (await b.temporal.client()).workflow.getHandle(workflowIds.dryRun(dryRunId));
    expect(await driver.result()).toBe('FINISHED');
    const run = (
      await b.app.inject({ method: 'GET', url: `/api/v1/dry-runs/${dryRunId}`, headers: officer.headers })
    ).json();
    expect(run, JSON.stringify(run)).toMatchObject({ status: 'FINISHED', failure: null });
    const doses = (await dosesAt(sessionDayIds[0]!, b.db)) + (await dosesAt(sessionDayIds[1]!, b.db));
    expect(doses).toBeGreaterThan(dosesBefore);
  });

  it(
    'reports per site and for the run what the database holds, each step taken once',
    { timeout: 420_000 },
    async () => {
      const { app, db } = second!;
      // No-show checks come 30 minutes after the 12:00 close, on the journeys' timeline: later the earlier in the day.
      await waitFor(
        async () => {
          const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from appointment a join session_day d on d.id = a.session_day_id
        where d.dry_run_id = ${dryRunId} and a.status = 'BOOKED'`.execute(db);
          return rows[0]!.n === 0;
        },
        'every booking settled: vaccinated or marked no-show by its journey',
        untilIndiaTimeOnTimelineMs('12:30', DAY_MS) + 60_000,
      );
      const response = await app.inject({
        method: 'GET',
        url: `/api/v1/dry-runs/${dryRunId}/findings`,
        headers: officer.headers,
      });
      expect(response.statusCode, response.body).toBe(200);
      const findings = response.json();
      expect(findings.sites.map((s: { sessionDayId: string }) => s.sessionDayId).sort()).toEqual(
        [...sessionDayIds].sort(),
      );

      const count = async (query: ReturnType<typeof sql<{ n: number }>>) =>
        Number((await query.execute(db)).rows[0]!.n);
      let totalDoses = 0;
      let totalTurnedAway = 0;
      for (const id of sessionDayIds) {
        const site = findings.sites.find((s: { sessionDayId: string }) => s.sessionDayId === id);
        const doses = await count(sql`select count(*) as n from dose where session_day_id = ${id}`);
        const vaccinated = await count(
          sql`select count(distinct beneficiary_id) as n from dose where session_day_id = ${id}`,
        );
        const arrivals = await count(sql`select count(*) as n from dry_run_arrival where session_day_id = ${id}`);
        const arrivedPeople = await count(
          sql`select count(distinct beneficiary_id) as n from dry_run_arrival where session_day_id = ${id} and beneficiary_id is not null`,
        );
        const withPerson = await count(
          sql`select count(*) as n from dry_run_arrival where session_day_id = ${id} and beneficiary_id is not null`,
        );
        const turnedAway = await count(
          sql`select count(*) as n from dry_run_arrival where session_day_id = ${id} and outcome = 'TURNED_AWAY'`,
        );
        const releases = await count(
          sql`select count(*) as n from observation_release r join dose d on d.id = r.dose_id where d.session_day_id = ${id}`,
        );
        const aefi = await count(
          sql`select count(*) as n from aefi_report a join dose d on d.id = a.dose_id where d.session_day_id = ${id}`,
        );
        const aefiDoses = await count(
          sql`select count(distinct a.dose_id) as n from aefi_report a join dose d on d.id = a.dose_id where d.session_day_id = ${id}`,
        );
        const booked = await count(sql`select count(*) as n from appointment where session_day_id = ${id}`);
        const noShows = await count(
          sql`select count(*) as n from appointment where session_day_id = ${id} and status = 'NO_SHOW'`,
        );
        // Each step once: one dose per person, one arrival per person, one release per dose, one AEFI report per dose.
        expect(doses).toBe(vaccinated);
        expect(withPerson).toBe(arrivedPeople);
        expect(releases).toBe(doses);
        expect(aefi).toBe(aefiDoses);
        expect(booked).toBe(30);
        expect(arrivals).toBe(doses + turnedAway);
        expect(site).toMatchObject({
          status: 'CLOSED',
          booked,
          doses,
          noShows,
          turnedAway,
          walkInsArrived: 3,
          aefi: { minor: aefi, serious: 0, severe: 0 },
        });
        totalDoses += doses;
        totalTurnedAway += turnedAway;
      }
      expect(findings.totals).toMatchObject({ sites: 2, booked: 60, doses: totalDoses, turnedAway: totalTurnedAway });
    },
  );
});
