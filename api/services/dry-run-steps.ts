/**
 * The steps of a simulated dry run, as activities an API process runs for the run's workflow
 * (workflows/workflows/dry-run-simulation.ts): making the test people, starting the days, and each simulated team
 * member's step taken through the real API (app.inject against the real routes, with the member's own token) — the
 * door check or a walk-in's registration, the dose, an occasional AEFI report, the release.
 *
 * Every step may be retried (an API process stopped mid-step, its task taken by another), so each finds what an
 * earlier try did: test people and walk-ins by their test ID, arrivals by person and day, doses and AEFI reports
 * by client event id, releases by the route's own "a repeat answers the first release".
 */
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { issueStaffToken } from '../auth/tokens.js';
import {
  arrivalOf,
  dryRunPersonByIdHash,
  dryRunPersonByReference,
  dryRunSites,
  findDryRun,
  markTurnedAway,
  recordArrival,
  sessionDayReadings,
  setDryRunStatus,
} from '../../db/repositories/dry-runs.js';
import { sessionClosesAt } from '../../db/repositories/appointments.js';
import { usableBatchFor } from '../../db/repositories/vaccine-batches.js';
import {
  observationMs,
  planArrivals,
  simulationCalendarStart,
  testIdNumber,
  testMobile,
  type DryRunParameters,
  type PlannedPerson,
} from '../../domain/dry-run.js';
import { hashIdNumber, normaliseIdNumber } from '../../domain/identity.js';
import { indiaInstant, timeToMinutes } from '../../domain/time.js';
import type {
  DryRunArrivalInput,
  DryRunDayReading,
  DryRunSimPerson,
  DryRunStepActivities,
} from '../../workflows/shared.js';
import { startSessionDayWorkflow } from '../../workflows/session-sweep.js';
import { createTestPeople, OTHERS_ID_TYPE } from './dry-run-simulation.js';

type Answer = { statusCode: number; json<T = unknown>(): T };

const messageOf = (answer: Answer, fallback: string) => answer.json<{ message?: string }>().message ?? fallback;

export function createDryRunStepActivities(app: FastifyInstance): DryRunStepActivities {
  const { db, config } = app;
  /** Simulated members' tokens, issued once per process for a while (they never sign in). */
  const tokens = new Map<string, { token: string; until: number }>();

  async function tokenOf(staffId: string): Promise<string> {
    const held = tokens.get(staffId);
    if (held && held.until > Date.now()) return held.token;
    const staff = await db
      .selectFrom('staff_user')
      .select(['id', 'name', 'state_id', 'district_id', 'token_generation'])
      .where('id', '=', staffId)
      .where('dry_run_id', 'is not', null)
      .executeTakeFirst();
    if (!staff) throw ApplicationFailure.nonRetryable('the simulated team member is gone (the run was deleted?)');
    const { token } = await issueStaffToken(config.tokenSecret, {
      id: staff.id,
      role: 'VACCINATOR',
      stateId: staff.state_id,
      districtId: staff.district_id,
      name: staff.name,
      generation: staff.token_generation,
    });
    tokens.set(staffId, { token, until: Date.now() + 30 * 60_000 });
    return token;
  }

  async function post(staffId: string, url: string, payload?: Record<string, unknown>): Promise<Answer> {
    const answer = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${await tokenOf(staffId)}` },
      ...(payload ? { payload } : {}),
    });
    // The API itself failing is retried, like any request a desk would send again.
    if (answer.statusCode >= 500) throw new Error(`${url} answered ${answer.statusCode}`);
    return answer;
  }

  async function turnAway(arrival: DryRunArrivalInput, reason: string, arrivalId?: string) {
    const existing =
      arrivalId ??
      (arrival.person.beneficiaryId
        ? await arrivalOf(db, arrival.sessionDayId, arrival.person.beneficiaryId)
        : undefined);
    if (existing) return markTurnedAway(db, existing, reason);
    await recordArrival(db, {
      dryRunId: arrival.dryRunId,
      sessionDayId: arrival.sessionDayId,
      slotId: arrival.person.slotId,
      beneficiaryId: arrival.person.beneficiaryId ?? null,
      kind: arrival.person.kind,
      arrivedAt: new Date(arrival.arrivedAtMs),
      queueOnArrival: arrival.queueOnArrival,
      outcome: 'TURNED_AWAY',
      reason,
    });
  }

  /** A walk-in registered at the desk (once: a retry finds the person by their test ID). */
  async function registerWalkIn(
    input: DryRunArrivalInput & { staffId: string },
  ): Promise<{ referenceId: string; beneficiaryId: string } | { refused: string }> {
    const { person } = input;
    const idNumber = testIdNumber(input.dryRunId, input.siteId, person.index);
    const idHash = hashIdNumber(config.idHashSecret, OTHERS_ID_TYPE, normaliseIdNumber(idNumber));
    for (let attempt = 0; attempt < 5; attempt++) {
      const made = await dryRunPersonByIdHash(db, input.dryRunId, idHash, input.sessionDayId);
      if (made) return { referenceId: made.referenceId, beneficiaryId: made.id };
      const registered = await post(input.staffId, '/api/v1/desk/walk-ins', {
        sessionDayId: input.sessionDayId,
        // A valid mobile for the desk's form; one a real person holds is refused, and another is tried.
        mobile: testMobile(Math.random),
        person: {
          name: `Test Walkin ${person.index + 1}`,
          birthYear: planned(input).birthYear,
          gender: planned(input).gender,
          idType: OTHERS_ID_TYPE,
          idNumber,
        },
      });
      if (registered.statusCode !== 201 && registered.json<{ code?: string }>().code !== 'DRY_RUN_MOBILE')
        return { refused: messageOf(registered, 'walk-in refused') };
    }
    const made = await dryRunPersonByIdHash(db, input.dryRunId, idHash, input.sessionDayId);
    return made
      ? { referenceId: made.referenceId, beneficiaryId: made.id }
      : { refused: 'no test mobile could be had' };
  }

  /** A walk-in's age and gender, from the run's seeded plan (the workflow keeps only who comes when). */
  const plans = new Map<string, PlannedPerson>();
  function planned(input: DryRunArrivalInput) {
    return plans.get(`${input.sessionDayId}:${input.person.index}`) ?? { birthYear: 1990, gender: 'F' as const };
  }

  return {
    async prepareDryRunSimulation({ dryRunId }) {
      const run = await findDryRun(db, dryRunId);
      if (!run || run.mode !== 'SIMULATION' || !run.dayMs)
        throw ApplicationFailure.nonRetryable('not a simulation (or deleted)');
      const p = run.parameters as DryRunParameters;
      const sites = await dryRunSites(db, dryRunId);
      const year = Number(run.date.slice(0, 4));
      const calendarStartMs = simulationCalendarStart(run.date, p.opensAt);
      const planned = [];
      for (const [i, site] of sites.entries()) {
        const plan = planArrivals(p, year, p.seed + i);
        // The people book "before the day": at the compressed clock's start, whatever the real time.
        const people = await createTestPeople(app, run, site, plan, new Date(calendarStartMs));
        const open = timeToMinutes(site.opensAt);
        const comers: DryRunSimPerson[] = people
          .filter((x) => x.plan.arrivesAtMinute !== undefined)
          .map((x) => {
            const minute = x.plan.arrivesAtMinute!;
            // A walk-in is counted in the slot their arrival falls in; a booked person in the slot they booked.
            const slotId =
              x.slotId ??
              site.slots.find(
                (s) => open + minute >= timeToMinutes(s.startsAt) && open + minute < timeToMinutes(s.endsAt),
              )?.id ??
              site.slots.at(-1)?.id ??
              null;
            return {
              index: x.plan.index,
              kind: x.plan.kind,
              arrivesAtMinute: minute,
              slotId,
              ...(x.referenceId ? { referenceId: x.referenceId, beneficiaryId: x.beneficiaryId } : {}),
            };
          });
        planned.push({
          sessionDayId: site.sessionDayId,
          siteId: site.siteId,
          vaccineCode: site.vaccineCode,
          opensAtMs: indiaInstant(run.date, site.opensAt).getTime(),
          closesAtMs: indiaInstant(run.date, site.closesAt).getTime(),
          team: site.team.map((m) => ({ staffId: m.staffId, teamRole: m.teamRole })),
          people: comers,
        });
      }
      return {
        dayMs: run.dayMs,
        calendarStartMs,
        observationMs: observationMs(run.dayMs),
        serviceMinutes: p.serviceMinutes,
        aefiRate: p.aefiRate,
        seed: p.seed,
        sites: planned,
      };
    },

    async startDryRunDays({ dryRunId }) {
      const run = await findDryRun(db, dryRunId);
      if (!run) throw ApplicationFailure.nonRetryable('the dry run is gone');
      if (run.status === 'PLANNED') await setDryRunStatus(db, dryRunId, 'RUNNING');
      const client = await app.temporal.client();
      const startConfig = {
        dayMs: config.dayMs,
        stallAfterMinutes: config.stallAfterMinutes,
        temporal: { taskQueue: config.temporal.taskQueue },
      };
      for (const id of run.sessionDayIds) await startSessionDayWorkflow(db, client, startConfig, id);
    },

    async dryRunDayReadings({ sessionDayIds }) {
      const rows = await sessionDayReadings(db, sessionDayIds);
      const readings: Record<string, DryRunDayReading> = {};
      for (const row of rows) readings[row.id] = { status: row.status, closesAtMs: sessionClosesAt(row).getTime() };
      return readings;
    },

    async dryRunCheckAtDoor(input) {
      const { person } = input;
      let referenceId = person.referenceId;
      let beneficiaryId = person.beneficiaryId;
      if (person.kind === 'WALKIN' && !referenceId) {
        // Age and gender of the walk-in from the run's seeded plan.
        if (!plans.has(`${input.sessionDayId}:${person.index}`)) {
          const run = await findDryRun(db, input.dryRunId);
          if (!run) throw ApplicationFailure.nonRetryable('the dry run is gone');
          const sites = await dryRunSites(db, input.dryRunId);
          const i = sites.findIndex((s) => s.sessionDayId === input.sessionDayId);
          const p = run.parameters as DryRunParameters;
          for (const x of planArrivals(p, Number(run.date.slice(0, 4)), p.seed + i))
            plans.set(`${input.sessionDayId}:${x.index}`, x);
        }
        const walkIn = await registerWalkIn(input);
        if ('refused' in walkIn) {
          await turnAway(input, walkIn.refused);
          return { verified: false };
        }
        ({ referenceId, beneficiaryId } = walkIn);
      }
      const slip = await dryRunPersonByReference(db, input.dryRunId, referenceId!);
      if (!slip) throw ApplicationFailure.nonRetryable('the test person is gone (the run was deleted?)');
      const withPerson = { ...input, person: { ...person, referenceId, beneficiaryId: slip.id } };
      const check = await post(input.staffId, '/api/v1/desk/verify', {
        sessionDayId: input.sessionDayId,
        referenceId,
        secretCode: slip.secretCode,
      });
      if (check.statusCode !== 200) {
        await turnAway(withPerson, messageOf(check, 'not verified'));
        return { verified: false };
      }
      const arrivalId =
        (await arrivalOf(db, input.sessionDayId, slip.id)) ??
        (await recordArrival(db, {
          dryRunId: input.dryRunId,
          sessionDayId: input.sessionDayId,
          slotId: person.slotId,
          beneficiaryId: slip.id,
          kind: person.kind,
          arrivedAt: new Date(input.arrivedAtMs),
          queueOnArrival: input.queueOnArrival,
          outcome: 'VERIFIED',
        }));
      return {
        verified: true,
        referenceId: referenceId!,
        beneficiaryId: slip.id,
        verificationId: check.json<{ verificationId: string }>().verificationId,
        arrivalId,
      };
    },

    async dryRunVaccinate(input) {
      const dose = await post(input.staffId, '/api/v1/doses', {
        referenceId: input.referenceId,
        verificationId: input.verificationId,
        sessionDayId: input.sessionDayId,
        vaccineCode: input.vaccineCode,
        // The simulated vaccinator takes a vial as a real one would: issued to the day, else any good batch.
        batch: (await usableBatchFor(db, input.sessionDayId)) ?? 'NO-BATCH-REGISTERED',
        // A retried step is the same dose: the API answers the first one.
        clientEventId: `dr-${input.sessionDayId}-${input.personIndex}`,
      });
      if (dose.statusCode !== 201 && dose.statusCode !== 200) {
        const reason = messageOf(dose, 'the dose was refused');
        await markTurnedAway(db, input.arrivalId, reason);
        return { refused: reason };
      }
      return { doseId: dose.json<{ doseId: string }>().doseId };
    },

    async dryRunRelease({ staffId, doseId, aefi }) {
      if (aefi) {
        await post(staffId, '/api/v1/aefi', {
          doseId,
          severity: 'MINOR',
          symptoms: ['DIZZINESS'],
          clientEventId: `dr-aefi-${doseId}`,
        });
      }
      await post(staffId, `/api/v1/desk/observation/${doseId}/release`);
    },

    async dryRunTurnAway({ arrival, arrivalId, reason }) {
      await turnAway(arrival, reason, arrivalId);
    },

    async finishDryRun({ dryRunId, failure }) {
      const run = await findDryRun(db, dryRunId);
      if (!run || run.status === 'FINISHED' || run.status === 'FAILED') return;
      await setDryRunStatus(db, dryRunId, failure ? 'FAILED' : 'FINISHED', failure ? { failure } : {});
    },
  };
}
