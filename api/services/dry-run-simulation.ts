/**
 * A dry run's test people, and a simulation's day.
 *
 * Test people are registered the way every person is (their journeys start, on the run's clock) and booked through
 * the real booking path; a simulation books them "before the day", at its compressed clock's start.
 *
 * A simulation then plays its day: it starts each site's session-day workflow on the run's compressed clock (the
 * workflow opens, watches, stalls and closes the day as on any day), sends each planned person to the door at
 * their moment, and its simulated team members take the real steps through the real API (app.inject against the
 * real routes, with their own tokens): the door check or a walk-in's registration, the dose, an occasional AEFI
 * report, the release after the observation period. Each step takes its configured service time on the run's clock.
 * Everyone still waiting when the day closes is turned away. The run finishes on its own once every site is closed
 * and everyone vaccinated has been released.
 *
 * The runner lives in the API process that started it (its steps are HTTP requests); a process that stops takes
 * its run with it, and the run stays RUNNING with what it did so far (its findings still read).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { issueStaffToken } from '../auth/tokens.js';
import { bookAppointments } from '../../db/repositories/bookings.js';
import {
  dryRunSites,
  findDryRun,
  insertTestAccount,
  markTurnedAway,
  recordArrival,
  setDryRunStatus,
  type DryRunSite,
} from '../../db/repositories/dry-runs.js';
import {
  aefiFor,
  observationMs,
  planArrivals,
  simulationCalendarStart,
  testIdNumber,
  testMobile,
  type DryRunParameters,
  type PlannedPerson,
} from '../../domain/dry-run.js';
import { FINAL_STATUSES, type SessionStatus } from '../../domain/session-status.js';
import { shapeOf, stepsOf, type TeamStep } from '../../domain/team.js';
import { indiaInstant, timeToMinutes } from '../../domain/time.js';
import { registerBeneficiary } from './registration.js';
import { startSessionDayWorkflow } from '../../workflows/session-sweep.js';

const OTHERS_ID_TYPE = 13;
const DRY_RUN_ACTOR = { type: 'SYSTEM' as const, id: 'dry-run', role: null };

export interface TestPerson {
  plan: PlannedPerson;
  beneficiaryId?: string;
  referenceId?: string;
  secretCode?: string;
  slotId?: number | null;
}

/**
 * Registers and books a site's booked test people (walk-ins come at the door). `bookedAt` is when they book: a
 * simulation's clock start, or now for a drill.
 */
export async function createTestPeople(
  app: FastifyInstance,
  run: { id: string; dayMs: number | null },
  site: DryRunSite,
  plan: PlannedPerson[],
  bookedAt: Date,
): Promise<TestPerson[]> {
  const people: TestPerson[] = [];
  for (const planned of plan) {
    if (planned.kind === 'WALKIN') {
      people.push({ plan: planned });
      continue;
    }
    let accountId: string | undefined;
    while (!accountId) accountId = await insertTestAccount(app.db, run.id, testMobile(Math.random));
    const person = await registerBeneficiary(
      { db: app.db, config: app.config, temporal: app.temporal, log: app.log },
      {
        accountId,
        verified: true,
        person: {
          name: `Test Person ${planned.index + 1}`,
          birthYear: planned.birthYear,
          gender: planned.gender,
          idType: OTHERS_ID_TYPE,
          idNumber: testIdNumber(run.id, site.siteId, planned.index),
        },
        actor: DRY_RUN_ACTOR,
        dryRun: { id: run.id, dayMs: run.dayMs },
      },
    );
    const slot = site.slots[planned.slot ?? 0];
    await bookAppointments(
      app.db,
      {
        people: [{ beneficiaryId: person.beneficiaryId }],
        sessionDayId: site.sessionDayId,
        slotId: slot?.id,
        channel: 'PORTAL',
        actor: DRY_RUN_ACTOR,
      },
      bookedAt,
    );
    people.push({
      plan: planned,
      beneficiaryId: person.beneficiaryId,
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      slotId: slot?.id ?? null,
    });
  }
  return people;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

interface Waiting {
  person: TestPerson;
  arrivedAt: Date;
  queueOnArrival: number;
  slotId: number | null;
  verificationId?: string;
  /** Their arrival's row, once written at the door. */
  arrivalId?: string;
}

/** A request of a team member's, answered as the desk's screens see it. */
type Post = (
  url: string,
  payload?: Record<string, unknown>,
) => Promise<{ statusCode: number; json<T = unknown>(): T }>;

interface Observed {
  doseId: string;
  dueAtMs: number;
  aefi: boolean;
}

/** One site's day: its door queue, its vaccination queue, the people under observation, its team at work. */
class SiteDay {
  status: SessionStatus = 'PLANNED';
  readonly door: Waiting[] = [];
  readonly toVaccinate: Waiting[] = [];
  readonly observed: Observed[] = [];
  arrivalsDue: number;
  doses = 0;
  private busy = 0;

  constructor(
    private readonly app: FastifyInstance,
    private readonly runId: string,
    readonly site: DryRunSite,
    private readonly p: DryRunParameters,
    private readonly scale: number,
    private readonly observationMs: number,
    arrivals: number,
  ) {
    this.arrivalsDue = arrivals;
  }

  get open() {
    return this.status === 'OPEN' || this.status === 'STALLED';
  }

  /** Set when the day never ended on time (its workflow did not close it): everyone stops. */
  abandoned = false;

  get finished() {
    if (this.abandoned) return true;
    return (
      FINAL_STATUSES.has(this.status) &&
      this.arrivalsDue === 0 &&
      this.door.length === 0 &&
      this.toVaccinate.length === 0 &&
      this.observed.length === 0 &&
      this.busy === 0
    );
  }

  serviceMs(step: 'verify' | 'vaccinate' | 'release') {
    return this.p.serviceMinutes[step] * 60_000 * this.scale;
  }

  arrive(person: TestPerson) {
    const minute = person.plan.arrivesAtMinute ?? 0;
    const open = timeToMinutes(this.site.opensAt);
    // A walk-in is counted in the slot their arrival falls in; a booked person in the slot they booked.
    const slotId =
      person.slotId ??
      this.site.slots.find((s) => open + minute >= timeToMinutes(s.startsAt) && open + minute < timeToMinutes(s.endsAt))
        ?.id ??
      this.site.slots.at(-1)?.id ??
      null;
    this.arrivalsDue--;
    const waiting = { person, arrivedAt: new Date(), queueOnArrival: this.door.length, slotId };
    if (FINAL_STATUSES.has(this.status)) return void this.turnAway(waiting, 'the session day had closed');
    this.door.push(waiting);
  }

  async turnAway(w: Waiting, reason: string) {
    if (w.arrivalId) return markTurnedAway(this.app.db, w.arrivalId, reason);
    await recordArrival(this.app.db, {
      dryRunId: this.runId,
      sessionDayId: this.site.sessionDayId,
      slotId: w.slotId,
      beneficiaryId: w.person.beneficiaryId ?? null,
      kind: w.person.plan.kind,
      arrivedAt: w.arrivedAt,
      queueOnArrival: w.queueOnArrival,
      outcome: 'TURNED_AWAY',
      reason,
    });
  }

  /** When the day is over: whoever still waits at the door or for a dose goes home unvaccinated. */
  async closeDoors() {
    const left = [...this.door.splice(0), ...this.toVaccinate.splice(0)];
    for (const w of left) await this.turnAway(w, `the session day was ${this.status.toLowerCase()}`);
  }

  /** A team member's day: the most urgent work their steps allow (release, then dose, then door), or a short wait. */
  async member(token: string, steps: TeamStep[]) {
    const headers = { authorization: `Bearer ${token}` };
    const post: Post = (url, payload) =>
      this.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
    while (!this.finished) {
      const due = this.observed.findIndex((o) => o.dueAtMs <= Date.now());
      if (steps.includes('OBSERVE') && due >= 0) {
        const [o] = this.observed.splice(due, 1);
        await this.work('release', async () => {
          if (o.aefi) {
            await post('/api/v1/aefi', {
              doseId: o.doseId,
              severity: 'MINOR',
              symptoms: ['DIZZINESS'],
              clientEventId: `dry-run-${randomUUID()}`,
            });
          }
          await post(`/api/v1/desk/observation/${o.doseId}/release`);
        });
        continue;
      }
      if (steps.includes('VACCINATE') && this.open && this.toVaccinate.length) {
        const w = this.toVaccinate.shift()!;
        await this.work('vaccinate', async () => {
          const dose = await post('/api/v1/doses', {
            referenceId: w.person.referenceId,
            verificationId: w.verificationId,
            sessionDayId: this.site.sessionDayId,
            vaccineCode: this.site.vaccineCode,
            batch: 'DRY-RUN',
          });
          if (dose.statusCode !== 201)
            return this.turnAway(w, dose.json<{ message?: string }>().message ?? 'the dose was refused');
          const index = this.doses++;
          this.observed.push({
            doseId: dose.json<{ doseId: string }>().doseId,
            dueAtMs: Date.now() + this.observationMs,
            aefi: aefiFor(this.p, index + this.site.siteId * 10_000),
          });
        });
        continue;
      }
      if (steps.includes('VERIFY') && this.open && this.door.length) {
        const w = this.door.shift()!;
        await this.work('verify', () => this.checkAtDoor(w, post));
        continue;
      }
      await sleep(20);
    }
  }

  private async work(step: 'verify' | 'vaccinate' | 'release', act: () => Promise<void>) {
    this.busy++;
    try {
      await sleep(this.serviceMs(step));
      await act();
    } finally {
      this.busy--;
    }
  }

  /** A walk-in is registered at the door first; then the check by secret code, as the desk does it. */
  private async checkAtDoor(w: Waiting, post: Post) {
    const person = w.person;
    if (person.plan.kind === 'WALKIN' && !person.referenceId) {
      for (let attempt = 0; attempt < 5 && !person.referenceId; attempt++) {
        const registered = await post('/api/v1/desk/walk-ins', {
          sessionDayId: this.site.sessionDayId,
          // A valid mobile for the desk's form; one a real person holds is refused, and another is tried.
          mobile: testMobile(Math.random),
          person: {
            name: `Test Walkin ${person.plan.index + 1}`,
            birthYear: person.plan.birthYear,
            gender: person.plan.gender,
            idType: OTHERS_ID_TYPE,
            idNumber: testIdNumber(this.runId, this.site.siteId, person.plan.index),
          },
        });
        if (registered.statusCode === 201) {
          const body = registered.json<{ referenceId: string; secretCode: string }>();
          person.referenceId = body.referenceId;
          person.secretCode = body.secretCode;
          const row = await this.app.db
            .selectFrom('beneficiary')
            .select('id')
            .where('reference_id', '=', body.referenceId)
            .executeTakeFirstOrThrow();
          person.beneficiaryId = row.id;
        } else if (registered.json<{ code?: string }>().code !== 'DRY_RUN_MOBILE') {
          return this.turnAway(w, registered.json<{ message?: string }>().message ?? 'walk-in refused');
        }
      }
      if (!person.referenceId) return this.turnAway(w, 'no test mobile could be had');
    }
    const check = await post('/api/v1/desk/verify', {
      sessionDayId: this.site.sessionDayId,
      referenceId: person.referenceId,
      secretCode: person.secretCode,
    });
    if (check.statusCode !== 200) return this.turnAway(w, check.json<{ message?: string }>().message ?? 'not verified');
    w.verificationId = check.json<{ verificationId: string }>().verificationId;
    w.arrivalId = await recordArrival(this.app.db, {
      dryRunId: this.runId,
      sessionDayId: this.site.sessionDayId,
      slotId: w.slotId,
      beneficiaryId: person.beneficiaryId ?? null,
      kind: person.plan.kind,
      arrivedAt: w.arrivedAt,
      queueOnArrival: w.queueOnArrival,
      outcome: 'VERIFIED',
    });
    this.toVaccinate.push(w);
  }
}

/** Plays a simulation's day to its end, then marks the run FINISHED (or FAILED, with why). */
export async function runSimulation(app: FastifyInstance, dryRunId: string): Promise<void> {
  try {
    const run = await findDryRun(app.db, dryRunId);
    if (!run || run.mode !== 'SIMULATION' || !run.dayMs) throw new Error('not a simulation');
    const p = run.parameters as DryRunParameters;
    const scale = run.dayMs / 86_400_000;
    const sites = await dryRunSites(app.db, dryRunId);
    const year = Number(run.date.slice(0, 4));
    const calendarStart = simulationCalendarStart(run.date, p.opensAt);

    // The people book "before the day": at the compressed clock's start, whatever the real time.
    const days: { day: SiteDay; people: TestPerson[] }[] = [];
    for (const [i, site] of sites.entries()) {
      const plan = planArrivals(p, year, p.seed + i);
      const people = await createTestPeople(app, run, site, plan, new Date(calendarStart));
      const arrivals = people.filter((x) => x.plan.arrivesAtMinute !== undefined).length;
      const day = new SiteDay(app, dryRunId, site, p, scale, observationMs(run.dayMs), arrivals);
      days.push({ day, people });
    }
    await setDryRunStatus(app.db, dryRunId, 'RUNNING');

    const client = await app.temporal.client();
    const startConfig = {
      dayMs: app.config.dayMs,
      stallAfterMinutes: app.config.stallAfterMinutes,
      temporal: { taskQueue: app.config.temporal.taskQueue },
    };
    for (const { day } of days) await startSessionDayWorkflow(app.db, client, startConfig, day.site.sessionDayId);
    // The clock's start: every site's workflow began a moment ago, standing for `calendarStart`.
    const startedAtMs = Date.now();
    const realAt = (calendarMs: number) => startedAtMs + (calendarMs - calendarStart) * scale;

    const timers: NodeJS.Timeout[] = [];
    const work: Promise<unknown>[] = [];
    for (const { day, people } of days) {
      const opensAtMs = indiaInstant(run.date, day.site.opensAt).getTime();
      for (const person of people) {
        if (person.plan.arrivesAtMinute === undefined) continue;
        const at = realAt(opensAtMs + person.plan.arrivesAtMinute * 60_000);
        timers.push(setTimeout(() => day.arrive(person), at - Date.now()));
      }
      const shape = shapeOf(day.site.team.map((m) => m.teamRole));
      for (const member of day.site.team) {
        const { token } = await issueStaffToken(app.config.tokenSecret, {
          id: member.staffId,
          role: 'VACCINATOR',
          stateId: day.site.stateId,
          districtId: day.site.districtId,
          name: member.name,
        });
        work.push(day.member(token, stepsOf(member.teamRole, shape)));
      }
      // The day ends at its closing on the clock; a day still not closed well after that is given up on.
      const closesAtMs = indiaInstant(run.date, day.site.closesAt).getTime();
      work.push(watchStatus(app, day, realAt(closesAtMs) + 60_000));
    }
    await Promise.all(work);
    for (const timer of timers) clearTimeout(timer);
    await setDryRunStatus(app.db, dryRunId, 'FINISHED');
  } catch (error) {
    app.log.warn(`dry run ${dryRunId} failed: ${(error as Error).message}`);
    await setDryRunStatus(app.db, dryRunId, 'FAILED', { failure: (error as Error).message }).catch(() => {});
  }
}

/** Follows the session day's status as its workflow moves it; when the day ends, the doors close. */
async function watchStatus(app: FastifyInstance, day: SiteDay, giveUpAtMs: number) {
  while (!day.finished) {
    if (Date.now() > giveUpAtMs) {
      day.abandoned = true;
      throw new Error(`the session day at ${day.site.siteName} was not closed by its workflow`);
    }
    const row = await app.db
      .selectFrom('session_day')
      .select('status')
      .where('id', '=', day.site.sessionDayId)
      .executeTakeFirstOrThrow();
    day.status = row.status;
    if (FINAL_STATUSES.has(day.status)) await day.closeDoors();
    await sleep(100);
  }
}
