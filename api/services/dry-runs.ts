/**
 * Dry runs for officers: plan one (its session days at the chosen sites, its team, its test people), run a
 * simulation, read the findings (JSON and CSV), delete it whole. Roles and jurisdiction are checked by the routes;
 * every write here is audited.
 */
import { stringify } from 'csv-stringify/sync';
import type { RefusalCode } from '../../domain/refusals.js';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../db/repositories/audit.js';
import {
  deleteDryRun,
  dryRunSiteFacts,
  dryRunSites,
  dryRunWorkflowIds,
  findDryRun,
  insertDryRun,
  insertSimulatedTeam,
  setDryRunStatus,
  type DryRunView,
} from '../../db/repositories/dry-runs.js';
import { createSessionDay } from '../../db/repositories/session-days.js';
import type { TeamRole } from '../../db/schema.js';
import {
  checkParameters,
  checkSimulationSize,
  DEFAULT_SIMULATION_DAY_MS,
  planArrivals,
  runTotals,
  siteFindings,
  type DryRunMode,
  type DryRunParameters,
  type DryRunStatus,
  type SiteFindings,
} from '../../domain/dry-run.js';
import { refuse } from '../../domain/errors.js';
import { indiaDate, indiaTime, timeToMinutes } from '../../domain/time.js';
import { workflowIds } from '../../workflows/shared.js';
import { startDryRunSimulation } from '../../workflows/dry-run-start.js';
import { publishLiveEvent } from '../../live/publish.js';
import { createTestPeople } from './dry-run-simulation.js';

export const DryRunRefusal = {
  INVALID_DRY_RUN: 'INVALID_DRY_RUN',
  DRY_RUN_RUNNING: 'DRY_RUN_RUNNING',
} as const satisfies Record<string, RefusalCode>;

export interface NewDryRun {
  name: string;
  mode: DryRunMode;
  siteIds: number[];
  dayMs?: number;
  parameters?: Parameters<typeof checkParameters>[0];
  /** A drill's team at each site: real staff of the district, by team role. */
  team?: { staffId: string; teamRole: TeamRole }[];
  /** Staff numbers for the run's SMS (stall alerts; test people's SMS through a real gateway). */
  smsNumbers?: string[];
}

/** Where simulations' steps run: the queue API processes take them from (config.dryRunStepsTaskQueue). */
export function dryRunStepsQueue(config: FastifyInstance['config']): string {
  return config.dryRunStepsTaskQueue ?? `${config.temporal.taskQueue}-dry-run-steps`;
}

function teamMembers(p: DryRunParameters): { teamRole: TeamRole; name: string }[] {
  const of = (teamRole: TeamRole, n: number, label: string) =>
    Array.from({ length: n }, (_, i) => ({ teamRole, name: `Simulated ${label} ${i + 1}` }));
  return [
    ...of('VERIFIER', p.team.verifiers, 'verifier'),
    ...of('VACCINATOR', p.team.vaccinators, 'vaccinator'),
    ...of('OBSERVER', p.team.observers, 'observer'),
  ];
}

/**
 * Plans a dry run at the given sites for today (India): one session day per site, marked as the run's, with its
 * slots and team (simulated members, or a drill's real staff). A drill's test people are registered and booked at
 * once; a simulation's workflow books its own as it starts, then plays its day (it outlives this process).
 */
export async function createDryRun(
  app: FastifyInstance,
  actor: Actor & { id: string },
  request: NewDryRun,
  scope: { stateId: number; districtId: number | null },
): Promise<DryRunView> {
  const checked = checkParameters(request.parameters ?? {});
  if (!checked.ok) return refuse(DryRunRefusal.INVALID_DRY_RUN, checked.reason);
  const p = checked.parameters;
  const simulation = request.mode === 'SIMULATION';
  const tooLarge = simulation ? checkSimulationSize(p, request.siteIds.length) : undefined;
  if (tooLarge) refuse(DryRunRefusal.INVALID_DRY_RUN, tooLarge);
  const dayMs = simulation ? (request.dayMs ?? DEFAULT_SIMULATION_DAY_MS) : null;
  if (!simulation && request.dayMs !== undefined)
    refuse(DryRunRefusal.INVALID_DRY_RUN, 'a drill runs at the real time; only a simulation has a day length');
  if (!simulation && !request.team?.length)
    refuse(DryRunRefusal.INVALID_DRY_RUN, 'a drill needs its team: the real staff who will work at the desk');
  const vaccine = await app.db
    .selectFrom('vaccine')
    .select('code')
    .where('code', '=', p.vaccineCode)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!vaccine) refuse(DryRunRefusal.INVALID_DRY_RUN, `there is no vaccine ${p.vaccineCode} in use`);
  const date = indiaDate();

  const id = await app.db.transaction().execute(async (trx) => {
    const dryRunId = await insertDryRun(
      trx,
      {
        name: request.name.trim(),
        mode: request.mode,
        stateId: scope.stateId,
        districtId: scope.districtId,
        date,
        dayMs,
        parameters: p,
        smsNumbers: request.smsNumbers ?? [],
        createdBy: actor.id,
      },
      actor,
    );
    for (const [i, siteId] of request.siteIds.entries()) {
      const site = await trx
        .selectFrom('site')
        .innerJoin('district', 'district.id', 'site.district_id')
        .select(['site.district_id', 'district.state_id'])
        .where('site.id', '=', siteId)
        .executeTakeFirstOrThrow();
      const sessionDayId = await createSessionDay(trx, {
        site_id: siteId,
        date,
        vaccine_code: p.vaccineCode,
        min_age: 18,
        opens_at: p.opensAt,
        closes_at: p.closesAt,
        dose1_capacity: p.seats,
        dose2_capacity: 0,
        walkin_capacity: p.walkinSeats,
        slotMinutes: p.slotMinutes,
        dry_run_id: dryRunId,
      });
      if (simulation) {
        await insertSimulatedTeam(trx, {
          dryRunId,
          sessionDayId,
          date,
          stateId: site.state_id,
          districtId: site.district_id,
          label: `${dryRunId.slice(0, 8)}-${i + 1}`,
          members: teamMembers(p),
        });
      } else {
        for (const member of request.team!) {
          await trx
            .insertInto('session_assignment')
            .values({
              session_day_id: sessionDayId,
              staff_id: member.staffId,
              session_date: date,
              team_role: member.teamRole,
              assigned_by: actor.id,
            })
            .execute();
        }
      }
    }
    // Announced on the live feed before any of the days' own events: they stay out of every real room.
    const ids = await trx.selectFrom('session_day').select('id').where('dry_run_id', '=', dryRunId).execute();
    await publishLiveEvent(trx, {
      type: 'dryrun.sessions',
      stateId: 0,
      districtId: 0,
      at: new Date().toISOString(),
      data: { dryRunId, sessionDayIds: ids.map((d) => d.id) },
    });
    return dryRunId;
  });

  if (simulation) {
    await startDryRunSimulation(await app.temporal.client(), app.config.temporal.taskQueue, {
      dryRunId: id,
      stepsTaskQueue: dryRunStepsQueue(app.config),
    });
  } else {
    // A drill's test people, booked now for its real day; the sweep starts its session days' workflows.
    const run = (await findDryRun(app.db, id))!;
    // Booked into the slot that is on now (or the next one), so the staff find them on their list at once.
    const now = timeToMinutes(indiaTime(new Date()));
    for (const [i, site] of (await dryRunSites(app.db, id)).entries()) {
      const current = site.slots.findIndex((s) => timeToMinutes(s.endsAt) > now);
      const plan = planArrivals({ ...p, walkIns: 0, noShowRate: 0, lateRate: 0 }, Number(date.slice(0, 4)), p.seed + i);
      const booked = plan.map((person) => ({ ...person, slot: current >= 0 ? current : site.slots.length - 1 }));
      await createTestPeople(app, run, site, booked, new Date());
    }
    await setDryRunStatus(app.db, id, 'RUNNING');
  }
  return (await findDryRun(app.db, id))!;
}

export interface DryRunFindings {
  dryRunId: string;
  name: string;
  mode: DryRunMode;
  status: DryRunStatus;
  date: string;
  dayMs: number | null;
  parameters: unknown;
  sites: SiteFindings[];
  totals: ReturnType<typeof runTotals>;
}

/** The findings of a run, from what the database holds for it. */
export async function dryRunFindings(app: FastifyInstance, run: DryRunView): Promise<DryRunFindings> {
  const facts = await dryRunSiteFacts(app.db, run.id);
  const p = run.parameters as DryRunParameters;
  const sites = facts.map((f) => siteFindings(f, p.serviceMinutes.vaccinate));
  return {
    dryRunId: run.id,
    name: run.name,
    mode: run.mode,
    status: run.status,
    date: run.date,
    dayMs: run.dayMs,
    parameters: run.parameters,
    sites,
    totals: runTotals(sites, facts),
  };
}

/** The findings as CSV: one row per site and one for the whole run, then one row per site and slot. */
export function findingsCsv(findings: DryRunFindings): string {
  const stepMean = (steps: SiteFindings['steps'], step: string) => steps.find((s) => s.step === step)?.meanMinutes ?? 0;
  const siteRows = findings.sites.map((s) => [
    'site',
    s.siteName,
    '',
    s.seats + s.walkinSeats,
    s.booked,
    s.demand,
    s.doses,
    s.utilisation,
    s.turnedAway,
    s.walkInsArrived,
    s.walkInsVaccinated,
    s.noShows,
    stepMean(s.steps, 'DOOR_CHECK'),
    stepMean(s.steps, 'VACCINATION'),
    stepMean(s.steps, 'OBSERVATION'),
    stepMean(s.steps, 'RELEASE'),
    s.bottleneck ?? '',
    s.dosesPerVaccinatorHour,
    s.vaccinatorIdleMinutes.reduce((n, v) => n + v.idleMinutes, 0),
    s.staffing,
    s.stalls,
    s.interventions,
    s.sms.sent,
    s.sms.delivered,
    s.aefi.minor + s.aefi.serious + s.aefi.severe,
    s.offlineDoses,
  ]);
  const t = findings.totals;
  const total = [
    'run',
    findings.name,
    '',
    t.seats,
    t.booked,
    t.demand,
    t.doses,
    t.utilisation,
    t.turnedAway,
    t.walkInsArrived,
    t.walkInsVaccinated,
    t.noShows,
    stepMean(t.steps, 'DOOR_CHECK'),
    stepMean(t.steps, 'VACCINATION'),
    stepMean(t.steps, 'OBSERVATION'),
    stepMean(t.steps, 'RELEASE'),
    t.bottleneck ?? '',
    t.dosesPerVaccinatorHour,
    findings.sites.reduce((n, s) => n + s.vaccinatorIdleMinutes.reduce((m, v) => m + v.idleMinutes, 0), 0),
    '',
    t.stalls,
    t.interventions,
    t.sms.sent,
    t.sms.delivered,
    t.aefi.minor + t.aefi.serious + t.aefi.severe,
    t.offlineDoses,
  ];
  const slotRows = findings.sites.flatMap((s) =>
    s.slots.map((slot) => [
      'slot',
      s.siteName,
      `${slot.startsAt.slice(0, 5)}-${slot.endsAt.slice(0, 5)}`,
      slot.seats,
      slot.booked,
      slot.arrived,
      slot.verified,
      '',
      slot.turnedAway,
      slot.walkIns,
      '',
      '',
      slot.meanWaitMinutes,
      '',
      '',
      '',
      slot.load,
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      slot.longestQueue,
      '',
    ]),
  );
  return stringify([...siteRows, total, ...slotRows], {
    header: true,
    columns: FINDINGS_CSV_COLUMNS as unknown as string[],
  });
}

/** Columns of the findings CSV (slot rows put arrivals under demand, checks under doses, the longest queue under AEFI). */
export const FINDINGS_CSV_COLUMNS = [
  'row',
  'site',
  'slot',
  'seats',
  'booked',
  'demand_or_arrived',
  'doses_or_verified',
  'utilisation_pct',
  'turned_away',
  'walk_ins_arrived',
  'walk_ins_vaccinated',
  'no_shows',
  'door_wait_min',
  'vaccination_min',
  'observation_min',
  'release_wait_min',
  'bottleneck_or_load',
  'doses_per_vaccinator_hour',
  'vaccinator_idle_min',
  'staffing',
  'stalls',
  'interventions',
  'sms_sent',
  'sms_delivered',
  'aefi_or_longest_queue',
  'offline_doses',
] as const;

/**
 * Deletes a run whole. Its workflows are ended first (journeys sleep for months on a drill's real clock), so none
 * writes again after the rows are gone; a simulation still being played is refused.
 */
export async function removeDryRun(app: FastifyInstance, run: DryRunView, actor: Actor) {
  const client = await app.temporal.client();
  if (run.mode === 'SIMULATION' && (run.status === 'PLANNED' || run.status === 'RUNNING')) {
    const driver = await client.workflow
      .getHandle(workflowIds.dryRun(run.id))
      .describe()
      .catch(() => undefined);
    if (driver?.status.name === 'RUNNING')
      refuse(DryRunRefusal.DRY_RUN_RUNNING, 'the simulation is still running; delete it once it has finished');
  }
  const { referenceIds, sessionDayIds } = await dryRunWorkflowIds(app.db, run.id);
  const ids = [...referenceIds.map(workflowIds.journey), ...sessionDayIds.map(workflowIds.sessionDay)];
  for (let i = 0; i < ids.length; i += 20) {
    await Promise.all(
      ids.slice(i, i + 20).map(
        (workflowId) =>
          client.workflow
            .getHandle(workflowId)
            .terminate('its dry run was deleted')
            .catch(() => undefined), // already ended, or never started
      ),
    );
  }
  return deleteDryRun(app.db, run.id, actor);
}
