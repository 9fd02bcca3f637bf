/**
 * One workflow per simulated dry run: it plays the run's day at each of its sites to the end, then marks the run
 * FINISHED (or FAILED, with why). Its state — who waits at each door, who waits for a dose, who is under
 * observation, what each simulated team member is doing — lives here, so the day survives the API process that
 * started it: every step is an activity on the run's steps task queue, which any API process serves.
 *
 * The day: each site's session-day workflow is started on the run's compressed clock (it opens, watches, stalls
 * and closes the day as on any day); each test person comes to the door at their moment; the simulated team
 * members take the real steps through the real API (the door check or a walk-in's registration, the dose, an
 * occasional AEFI report, the release after the observation period), each step taking its configured service
 * time on the run's clock. Everyone still waiting when a day closes is turned away. The run finishes once every
 * site is closed and everyone vaccinated has been released.
 */
import { ApplicationFailure, condition, proxyActivities, sleep } from '@temporalio/workflow';
import { FINAL_STATUSES, type SessionStatus } from '../../domain/session-status.js';
import { aefiFor } from '../../domain/dry-run.js';
import { shapeOf, stepsOf, type TeamStep } from '../../domain/team.js';
import type {
  DryRunArrivalInput,
  DryRunSimPerson,
  DryRunSimPlan,
  DryRunSimSite,
  DryRunSimulationInput,
  DryRunStepActivities,
} from '../shared.js';

/** A day not closed by its workflow this long (real time) after its closing on the run's clock is given up on. */
const GIVE_UP_AFTER_MS = 60_000;

interface Waiting {
  person: DryRunSimPerson;
  arrival: DryRunArrivalInput;
  verificationId?: string;
  arrivalId?: string;
}

interface Observed {
  doseId: string;
  dueAtMs: number;
  aefi: boolean;
}

type Steps = ReturnType<typeof proxyActivities<DryRunStepActivities>>;

class SiteDay {
  status: SessionStatus = 'PLANNED';
  closesAtMs: number;
  readonly door: Waiting[] = [];
  readonly toVaccinate: Waiting[] = [];
  readonly observed: Observed[] = [];
  arrivalsDue: number;
  doses = 0;
  busy = 0;
  abandoned = false;

  constructor(
    private readonly steps: Steps,
    private readonly dryRunId: string,
    readonly site: DryRunSimSite,
    private readonly plan: DryRunSimPlan,
    private readonly realAt: (calendarMs: number) => number,
  ) {
    this.arrivalsDue = site.people.length;
    this.closesAtMs = site.closesAtMs;
  }

  get open() {
    return this.status === 'OPEN' || this.status === 'STALLED';
  }

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

  get giveUpAtMs() {
    return this.realAt(this.closesAtMs) + GIVE_UP_AFTER_MS;
  }

  private serviceMs(step: 'verify' | 'vaccinate' | 'release') {
    return (this.plan.serviceMinutes[step] * 60_000 * this.plan.dayMs) / 86_400_000;
  }

  /** The people come to the door, each at their moment on the run's clock. */
  async arrivals() {
    const people = [...this.site.people].sort((a, b) => a.arrivesAtMinute - b.arrivesAtMinute);
    for (const person of people) {
      const at = this.realAt(this.site.opensAtMs + person.arrivesAtMinute * 60_000);
      if (at > Date.now()) await sleep(at - Date.now());
      if (this.abandoned) return;
      const arrival: DryRunArrivalInput = {
        dryRunId: this.dryRunId,
        sessionDayId: this.site.sessionDayId,
        siteId: this.site.siteId,
        person,
        arrivedAtMs: Date.now(),
        queueOnArrival: this.door.length,
      };
      if (FINAL_STATUSES.has(this.status)) {
        await this.steps.dryRunTurnAway({ arrival, reason: 'the session day had closed' });
        this.arrivalsDue--;
      } else {
        this.arrivalsDue--;
        this.door.push({ person, arrival });
      }
    }
  }

  /** When the day is over: whoever still waits at the door or for a dose goes home unvaccinated. */
  async closeDoors() {
    const left = [...this.door.splice(0), ...this.toVaccinate.splice(0)];
    this.busy++;
    try {
      for (const w of left) {
        await this.steps.dryRunTurnAway({
          arrival: w.arrival,
          arrivalId: w.arrivalId,
          reason: `the session day was ${this.status.toLowerCase()}`,
        });
      }
    } finally {
      this.busy--;
    }
  }

  private hasWork(steps: TeamStep[]) {
    return (
      (steps.includes('OBSERVE') && this.observed.some((o) => o.dueAtMs <= Date.now())) ||
      (steps.includes('VACCINATE') && this.open && this.toVaccinate.length > 0) ||
      (steps.includes('VERIFY') && this.open && this.door.length > 0)
    );
  }

  /** A team member's day: the most urgent work their steps allow (release, then dose, then door), or a wait for some. */
  async member(staffId: string, steps: TeamStep[]) {
    while (!this.finished) {
      const due = this.observed.findIndex((o) => o.dueAtMs <= Date.now());
      if (steps.includes('OBSERVE') && due >= 0) {
        const [o] = this.observed.splice(due, 1);
        await this.work('release', () =>
          this.steps.dryRunRelease({ staffId, sessionDayId: this.site.sessionDayId, doseId: o.doseId, aefi: o.aefi }),
        );
        continue;
      }
      if (steps.includes('VACCINATE') && this.open && this.toVaccinate.length) {
        const w = this.toVaccinate.shift()!;
        await this.work('vaccinate', async () => {
          const dose = await this.steps.dryRunVaccinate({
            sessionDayId: this.site.sessionDayId,
            staffId,
            vaccineCode: this.site.vaccineCode,
            personIndex: w.person.index,
            referenceId: w.person.referenceId!,
            verificationId: w.verificationId!,
            arrivalId: w.arrivalId!,
          });
          if (!('doseId' in dose)) return;
          const index = this.doses++;
          this.observed.push({
            doseId: dose.doseId,
            dueAtMs: Date.now() + this.plan.observationMs,
            aefi: aefiFor(this.plan, index + this.site.siteId * 10_000),
          });
        });
        continue;
      }
      if (steps.includes('VERIFY') && this.open && this.door.length) {
        const w = this.door.shift()!;
        await this.work('verify', async () => {
          const checked = await this.steps.dryRunCheckAtDoor({ ...w.arrival, staffId });
          if (!checked.verified) return;
          w.person.referenceId = checked.referenceId;
          w.person.beneficiaryId = checked.beneficiaryId;
          w.verificationId = checked.verificationId;
          w.arrivalId = checked.arrivalId;
          this.toVaccinate.push(w);
        });
        continue;
      }
      // Nothing to do: wait for work (an arrival, a check, a dose) or for the next release to fall due.
      const nextDue =
        steps.includes('OBSERVE') && this.observed.length
          ? Math.min(...this.observed.map((o) => o.dueAtMs)) - Date.now()
          : undefined;
      await condition(
        () => this.finished || this.hasWork(steps),
        nextDue !== undefined ? Math.max(1, nextDue) : undefined,
      );
    }
  }

  private async work(step: 'verify' | 'vaccinate' | 'release', act: () => Promise<unknown>) {
    this.busy++;
    try {
      const ms = this.serviceMs(step);
      if (ms >= 1) await sleep(ms);
      await act();
    } finally {
      this.busy--;
    }
  }
}

export async function dryRunSimulationWorkflow(input: DryRunSimulationInput): Promise<'FINISHED' | 'FAILED'> {
  // Long steps: making the test people (each registered and booked) and starting the days.
  const setup = proxyActivities<DryRunStepActivities>({
    taskQueue: input.stepsTaskQueue,
    startToCloseTimeout: '10 minutes',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 10 },
  });
  // A team member's step: one or two requests. An API process that dies mid-step loses it to the timeout, and the
  // retry runs on another (or the restarted) process; a step waits without limit for an API process to take it.
  const steps = proxyActivities<DryRunStepActivities>({
    taskQueue: input.stepsTaskQueue,
    startToCloseTimeout: '30 seconds',
    retry: {
      initialInterval: '200 milliseconds',
      backoffCoefficient: 2,
      maximumInterval: '5 seconds',
      maximumAttempts: 10,
    },
  });
  const days: SiteDay[] = [];
  try {
    const plan = await setup.prepareDryRunSimulation({ dryRunId: input.dryRunId });
    await setup.startDryRunDays({ dryRunId: input.dryRunId });
    // The clock's start: every site's workflow began a moment ago, standing for the plan's calendar start.
    const startedAtMs = Date.now();
    const realAt = (calendarMs: number) =>
      startedAtMs + ((calendarMs - plan.calendarStartMs) * plan.dayMs) / 86_400_000;
    for (const site of plan.sites) days.push(new SiteDay(steps, input.dryRunId, site, plan, realAt));

    const work: Promise<unknown>[] = [];
    for (const day of days) {
      work.push(day.arrivals());
      const shape = shapeOf(day.site.team.map((m) => m.teamRole));
      for (const member of day.site.team) work.push(day.member(member.staffId, stepsOf(member.teamRole, shape)));
    }
    work.push(watchDays(steps, days, Math.min(60_000, Math.max(250, plan.dayMs / 1440))));
    await Promise.all(work);
    await setup.finishDryRun({ dryRunId: input.dryRunId });
    return 'FINISHED';
  } catch (error) {
    for (const day of days) day.abandoned = true;
    const cause =
      error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    await setup.finishDryRun({ dryRunId: input.dryRunId, failure: cause });
    return 'FAILED';
  }
}

/** Follows each session day's status as its workflow moves it; when a day ends, its doors close. */
async function watchDays(steps: Steps, days: SiteDay[], everyMs: number) {
  const ids = days.map((d) => d.site.sessionDayId);
  while (!days.every((d) => d.finished)) {
    const readings = await steps.dryRunDayReadings({ sessionDayIds: ids });
    for (const day of days) {
      if (day.finished) continue;
      const reading = readings[day.site.sessionDayId];
      if (!reading) throw ApplicationFailure.nonRetryable(`the session day ${day.site.sessionDayId} is gone`);
      day.status = reading.status;
      day.closesAtMs = reading.closesAtMs;
      if (!FINAL_STATUSES.has(day.status) && Date.now() > day.giveUpAtMs)
        throw ApplicationFailure.nonRetryable(`a session day of the run was not closed by its workflow`);
      if (FINAL_STATUSES.has(day.status) && (day.door.length || day.toVaccinate.length)) await day.closeDoors();
    }
    await sleep(everyMs);
  }
}
