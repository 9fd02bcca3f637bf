/**
 * Dry runs: rehearsals of a vaccination day before a drive starts, as the 2021 dry runs were. A DRILL puts test
 * people through real sites at the real time, with real staff at the desk; a SIMULATION runs the same day on a
 * compressed clock with simulated arrivals and simulated team members who take the real steps through the real API.
 *
 * Pure: the parameters and their checks, the seeded arrival plan a simulation follows, and the findings derived
 * from what the database holds for a run (db/repositories/dry-runs.ts reads the facts). All times here are calendar
 * minutes of the simulated day; the runner maps them onto its compressed clock.
 */
import { planSlots, type PlannedSlot } from './slots.js';
import { indiaInstant, timeToMinutes } from './time.js';

export type DryRunMode = 'DRILL' | 'SIMULATION';
export type DryRunStatus = 'PLANNED' | 'RUNNING' | 'FINISHED' | 'FAILED';

export const DRY_RUN_MODES: readonly DryRunMode[] = ['DRILL', 'SIMULATION'];

/** The age groups of an arrival mix, with the birth-year range each stands for (ages on the run's date). */
export const AGE_MIX_GROUPS = [
  { key: '18_44', from: 18, to: 44 },
  { key: '45_59', from: 45, to: 59 },
  { key: '60_plus', from: 60, to: 85 },
] as const;
export type AgeMixGroup = (typeof AGE_MIX_GROUPS)[number]['key'];

export interface DryRunParameters {
  vaccineCode: string;
  opensAt: string;
  closesAt: string;
  slotMinutes: number;
  /** Online seats per site (dose 1). */
  seats: number;
  /** Walk-in seats per site. */
  walkinSeats: number;
  /** People booked in advance per site (at most `seats`), spread over the slots by their seats. */
  people: number;
  /** Share of the booked who never come (0..1). */
  noShowRate: number;
  /** Share of those who come who come after their slot has ended (0..1). */
  lateRate: number;
  /** People per site who walk in without a booking, spread over the day. */
  walkIns: number;
  /** Weights of each age group among the people. */
  ageMix: Record<AgeMixGroup, number>;
  /** The simulated team at each site. */
  team: { verifiers: number; vaccinators: number; observers: number };
  /** Calendar minutes each step takes its taker (the observation itself is 30 minutes on top of `release`). */
  serviceMinutes: { verify: number; vaccinate: number; release: number };
  /** Share of doses followed by a (minor) adverse-event report during observation (0..1). */
  aefiRate: number;
  /** Seed of the arrival plan: the same seed plans the same day. */
  seed: number;
}

export const DEFAULT_PARAMETERS: DryRunParameters = {
  vaccineCode: 'COVISHIELD',
  opensAt: '09:00:00',
  closesAt: '17:00:00',
  slotMinutes: 60,
  seats: 100,
  walkinSeats: 10,
  people: 25,
  noShowRate: 0.1,
  lateRate: 0.1,
  walkIns: 5,
  ageMix: { '18_44': 5, '45_59': 3, '60_plus': 2 },
  team: { verifiers: 1, vaccinators: 1, observers: 1 },
  serviceMinutes: { verify: 2, vaccinate: 4, release: 1 },
  aefiRate: 0.02,
  seed: 1,
};

/** A simulation's default day length on its compressed clock: a whole day in ten minutes. */
export const DEFAULT_SIMULATION_DAY_MS = 600_000;
/** A day shorter than this leaves the API no time between steps; longer than a real day is not a rehearsal. */
export const MIN_SIMULATION_DAY_MS = 60_000;
export const MAX_SIMULATION_DAY_MS = 86_400_000;
/** The observation period every vaccinated person is watched for (calendar minutes). */
export const OBSERVATION_MINUTES = 30;
/** The simulated day starts this many calendar minutes before opening: the team is there, the doors not yet open. */
export const SIMULATION_LEAD_MINUTES = 10;
export const MAX_PEOPLE_PER_SITE = 2_000;

/** The observation period in real milliseconds: 30 minutes, on a simulation's compressed clock when it has one. */
export function observationMs(simulationDayMs: number | null): number {
  const real = OBSERVATION_MINUTES * 60_000;
  return simulationDayMs === null ? real : (real * simulationDayMs) / 86_400_000;
}

/** The calendar instant a simulated day starts at: a little before its opening (India time). */
export function simulationCalendarStart(date: string, opensAt: string): number {
  return indiaInstant(date, opensAt).getTime() - SIMULATION_LEAD_MINUTES * 60_000;
}
export const MAX_SITES = 20;
/**
 * People one simulation plays (booked and walk-ins, all sites together). Its day is one workflow, whose history
 * records about 40 events per person, and Temporal ends a workflow at 51,200 events; a district's rehearsal is a few
 * dozen people per site.
 */
export const MAX_SIMULATED_PEOPLE_PER_RUN = 1_000;

/** Whether a simulation of these sites fits one run; a reason when it does not. */
export function checkSimulationSize(
  p: Pick<DryRunParameters, 'people' | 'walkIns'>,
  sites: number,
): string | undefined {
  const people = (p.people + p.walkIns) * sites;
  if (people > MAX_SIMULATED_PEOPLE_PER_RUN)
    return (
      `a simulation plays at most ${MAX_SIMULATED_PEOPLE_PER_RUN} people in all (booked and walk-ins, every site); ` +
      `this one would play ${people}`
    );
  return undefined;
}

/** Merges the asked parameters over the defaults and checks them; a reason when they do not make a day. */
export function checkParameters(
  asked: Partial<Omit<DryRunParameters, 'team' | 'serviceMinutes' | 'ageMix'>> & {
    team?: Partial<DryRunParameters['team']>;
    serviceMinutes?: Partial<DryRunParameters['serviceMinutes']>;
    ageMix?: Partial<DryRunParameters['ageMix']>;
  },
): { ok: true; parameters: DryRunParameters } | { ok: false; reason: string } {
  const p: DryRunParameters = {
    ...DEFAULT_PARAMETERS,
    ...asked,
    team: { ...DEFAULT_PARAMETERS.team, ...asked.team },
    serviceMinutes: { ...DEFAULT_PARAMETERS.serviceMinutes, ...asked.serviceMinutes },
    ageMix: { ...DEFAULT_PARAMETERS.ageMix, ...asked.ageMix },
  };
  const open = timeToMinutes(p.opensAt);
  const close = timeToMinutes(p.closesAt);
  if (!(close > open)) return { ok: false, reason: 'closing time must be after opening time' };
  if (!(p.slotMinutes >= 15 && p.slotMinutes <= close - open))
    return { ok: false, reason: `slot length must be between 15 minutes and the day's ${close - open} minutes` };
  if (p.people > p.seats) return { ok: false, reason: `${p.people} people cannot book ${p.seats} seats` };
  if (p.people > MAX_PEOPLE_PER_SITE || p.walkIns > MAX_PEOPLE_PER_SITE)
    return { ok: false, reason: `at most ${MAX_PEOPLE_PER_SITE} booked people and walk-ins per site` };
  for (const [name, rate] of [
    ['no-show rate', p.noShowRate],
    ['late rate', p.lateRate],
    ['AEFI rate', p.aefiRate],
  ] as const) {
    if (!(rate >= 0 && rate <= 1)) return { ok: false, reason: `the ${name} is a share between 0 and 1` };
  }
  if (p.team.vaccinators < 1) return { ok: false, reason: 'a team needs at least one vaccinator' };
  if (Object.values(p.ageMix).reduce((a, b) => a + b, 0) <= 0)
    return { ok: false, reason: 'the age mix needs at least one group with a weight above 0' };
  if (Object.values(p.serviceMinutes).some((m) => !(m > 0 && m <= 120)))
    return { ok: false, reason: 'each service time is more than 0 and at most 120 minutes' };
  return { ok: true, parameters: p };
}

/** The slots a dry run's session day is divided into (the same rule as every session day's). */
export function dryRunSlots(p: DryRunParameters): PlannedSlot[] {
  return planSlots({
    opensAt: p.opensAt,
    closesAt: p.closesAt,
    slotMinutes: p.slotMinutes,
    onlineCapacity: p.seats,
    walkinCapacity: p.walkinSeats,
  });
}

/** A small seeded generator (mulberry32): the same seed gives the same plan on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface PlannedPerson {
  /** Index among the site's people: booked people first, then walk-ins. */
  index: number;
  kind: 'BOOKED' | 'WALKIN';
  /** The booked slot's index (booked people only). */
  slot?: number;
  birthYear: number;
  gender: 'M' | 'F';
  /** Never comes (booked people only). */
  noShow: boolean;
  late: boolean;
  /** When they come, calendar minutes after opening (undefined for a no-show). */
  arrivesAtMinute?: number;
}

function birthYearFor(mix: Record<AgeMixGroup, number>, year: number, random: () => number): number {
  const total = Object.values(mix).reduce((a, b) => a + b, 0);
  let pick = random() * total;
  for (const group of AGE_MIX_GROUPS) {
    pick -= mix[group.key];
    if (pick < 0 || group === AGE_MIX_GROUPS[AGE_MIX_GROUPS.length - 1]) {
      const age = group.from + Math.floor(random() * (group.to - group.from + 1));
      return year - age;
    }
  }
  return year - 30;
}

/**
 * One site's people and when each comes: the booked spread over the slots by their seats, each coming at a random
 * moment of their slot (a late one after it, before closing); no-shows never; walk-ins through the whole day.
 */
export function planArrivals(p: DryRunParameters, year: number, seed = p.seed): PlannedPerson[] {
  const random = seededRandom(seed);
  const slots = dryRunSlots(p);
  const open = timeToMinutes(p.opensAt);
  const close = timeToMinutes(p.closesAt);
  const people: PlannedPerson[] = [];
  // Seats are taken slot by slot as each slot's share of the booked people.
  const left = slots.map((s) => s.capacity);
  let slot = 0;
  for (let i = 0; i < p.people; i++) {
    while (left[slot] === 0) slot = (slot + 1) % slots.length;
    left[slot]--;
    const s = slots[slot];
    slot = (slot + 1) % slots.length;
    const from = timeToMinutes(s.startsAt) - open;
    const to = timeToMinutes(s.endsAt) - open;
    const noShow = random() < p.noShowRate;
    const late = !noShow && random() < p.lateRate && to < close - open;
    const at = late ? to + random() * Math.min(to - from, close - open - to) : from + random() * (to - from);
    people.push({
      index: i,
      kind: 'BOOKED',
      slot: slots.indexOf(s),
      birthYear: birthYearFor(p.ageMix, year, random),
      gender: random() < 0.5 ? 'F' : 'M',
      noShow,
      late,
      arrivesAtMinute: noShow ? undefined : at,
    });
  }
  for (let i = 0; i < p.walkIns; i++) {
    people.push({
      index: p.people + i,
      kind: 'WALKIN',
      birthYear: birthYearFor(p.ageMix, year, random),
      gender: random() < 0.5 ? 'F' : 'M',
      noShow: false,
      late: false,
      arrivesAtMinute: random() * (close - open),
    });
  }
  return people;
}

/** Whether a dose gets a (minor) adverse-event report, decided by the dose's place in the day. */
export function aefiFor(p: Pick<DryRunParameters, 'seed' | 'aefiRate'>, doseIndex: number): boolean {
  return seededRandom(p.seed * 7919 + doseIndex)() < p.aefiRate;
}

// ── findings ────────────────────────────────────────────────────────────────────────────────────────────

export const WORK_STEPS = ['DOOR_CHECK', 'VACCINATION', 'OBSERVATION', 'RELEASE'] as const;
export type WorkStep = (typeof WORK_STEPS)[number];

/** What the database holds for one slot of one site. */
export interface SlotFacts {
  startsAt: string;
  endsAt: string;
  seats: number;
  booked: number;
  arrived: number;
  walkIns: number;
  verified: number;
  turnedAway: number;
  /** Calendar minutes each person who was checked waited at the door (arrival to check). */
  waits: number[];
  /** The longest queue a person found at the door on arriving. */
  longestQueue: number;
}

/** What the database holds for one site of a run. */
export interface SiteFacts {
  sessionDayId: string;
  siteId: number;
  siteName: string;
  districtId: number;
  status: string;
  openMinutes: number;
  seats: number;
  walkinSeats: number;
  booked: number;
  walkInsArrived: number;
  walkInsVaccinated: number;
  doses: number;
  noShows: number;
  turnedAway: number;
  vaccinators: { staffId: string; name: string; doses: number }[];
  /** Per step, calendar minutes each person spent in it (waiting included). */
  stepMinutes: Record<WorkStep, number[]>;
  slots: SlotFacts[];
  stalls: number;
  interventions: number;
  sms: { sent: number; delivered: number; failed: number };
  aefi: { minor: number; serious: number; severe: number };
  offlineDoses: number;
}

export interface StepFinding {
  step: WorkStep;
  people: number;
  meanMinutes: number;
  maxMinutes: number;
}

export interface SiteFindings extends Omit<SiteFacts, 'stepMinutes' | 'slots'> {
  demand: number;
  utilisation: number;
  steps: StepFinding[];
  bottleneck: WorkStep | null;
  dosesPerVaccinatorHour: number;
  vaccinatorIdleMinutes: { staffId: string; name: string; doses: number; idleMinutes: number }[];
  staffing: 'OVER' | 'UNDER' | 'BALANCED';
  slots: (Omit<SlotFacts, 'waits'> & {
    meanWaitMinutes: number;
    maxWaitMinutes: number;
    load: 'OVERFULL' | 'IDLE' | 'NORMAL';
  })[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);

/** The waiting steps: the observation's own 30 minutes is fixed, so it is never the bottleneck. */
const QUEUED_STEPS: WorkStep[] = ['DOOR_CHECK', 'VACCINATION', 'RELEASE'];

export function siteFindings(facts: SiteFacts, vaccinateMinutes: number): SiteFindings {
  const { stepMinutes, slots, ...rest } = facts;
  const steps = WORK_STEPS.map((step) => ({
    step,
    people: stepMinutes[step].length,
    meanMinutes: round1(mean(stepMinutes[step])),
    maxMinutes: round1(max(stepMinutes[step])),
  }));
  const queued = steps.filter((s) => QUEUED_STEPS.includes(s.step) && s.people > 0);
  const bottleneck = queued.length ? queued.reduce((a, b) => (b.meanMinutes > a.meanMinutes ? b : a)).step : null;
  const vaccinatorHours = (facts.vaccinators.length * facts.openMinutes) / 60;
  const vaccinatorIdleMinutes = facts.vaccinators.map((v) => ({
    ...v,
    idleMinutes: round1(Math.max(0, facts.openMinutes - v.doses * vaccinateMinutes)),
  }));
  const idleShare = facts.vaccinators.length
    ? vaccinatorIdleMinutes.reduce((n, v) => n + v.idleMinutes, 0) / (facts.vaccinators.length * facts.openMinutes)
    : 0;
  // Over-staffed: vaccinators idle most of the day with nobody turned away; under: people turned away or a long queue.
  const doorWait = steps.find((s) => s.step === 'DOOR_CHECK')!.meanMinutes;
  const staffing = facts.turnedAway > 0 || doorWait > 30 ? 'UNDER' : idleShare > 0.5 ? 'OVER' : 'BALANCED';
  const seats = facts.seats + facts.walkinSeats;
  return {
    ...rest,
    demand: facts.booked + facts.walkInsArrived,
    utilisation: seats ? round1((100 * facts.doses) / seats) : 0,
    steps,
    bottleneck,
    dosesPerVaccinatorHour: vaccinatorHours ? round1(facts.doses / vaccinatorHours) : 0,
    vaccinatorIdleMinutes,
    staffing,
    slots: slots.map(({ waits, ...slot }) => ({
      ...slot,
      meanWaitMinutes: round1(mean(waits)),
      maxWaitMinutes: round1(max(waits)),
      load: slot.arrived > slot.seats ? 'OVERFULL' : slot.arrived === 0 ? 'IDLE' : 'NORMAL',
    })),
  };
}

/** The whole run: sums over its sites, and the step that held people longest across them. */
export function runTotals(sites: SiteFindings[], all: SiteFacts[]) {
  const sum = (f: (s: SiteFindings) => number) => sites.reduce((n, s) => n + f(s), 0);
  const seats = sum((s) => s.seats + s.walkinSeats);
  const doses = sum((s) => s.doses);
  const vaccinatorHours = sites.reduce((n, s) => n + (s.vaccinators.length * s.openMinutes) / 60, 0);
  const steps = WORK_STEPS.map((step) => {
    const xs = all.flatMap((s) => s.stepMinutes[step]);
    return { step, people: xs.length, meanMinutes: round1(mean(xs)), maxMinutes: round1(max(xs)) };
  });
  const queued = steps.filter((s) => QUEUED_STEPS.includes(s.step) && s.people > 0);
  return {
    sites: sites.length,
    seats,
    booked: sum((s) => s.booked),
    demand: sum((s) => s.demand),
    doses,
    utilisation: seats ? round1((100 * doses) / seats) : 0,
    turnedAway: sum((s) => s.turnedAway),
    walkInsArrived: sum((s) => s.walkInsArrived),
    walkInsVaccinated: sum((s) => s.walkInsVaccinated),
    noShows: sum((s) => s.noShows),
    steps,
    bottleneck: queued.length ? queued.reduce((a, b) => (b.meanMinutes > a.meanMinutes ? b : a)).step : null,
    dosesPerVaccinatorHour: vaccinatorHours ? round1(doses / vaccinatorHours) : 0,
    stalls: sum((s) => s.stalls),
    interventions: sum((s) => s.interventions),
    sms: {
      sent: sum((s) => s.sms.sent),
      delivered: sum((s) => s.sms.delivered),
      failed: sum((s) => s.sms.failed),
    },
    aefi: {
      minor: sum((s) => s.aefi.minor),
      serious: sum((s) => s.aefi.serious),
      severe: sum((s) => s.aefi.severe),
    },
    offlineDoses: sum((s) => s.offlineDoses),
  };
}

/** Calendar minutes of a span of real milliseconds on a clock where a day lasts `dayMs`. */
export function calendarMinutes(realMs: number, dayMs: number): number {
  return (realMs * 86_400_000) / dayMs / 60_000;
}

/** The synthetic photo ID of a dry run's person ("Others" type): it can never be anyone's real number. */
export function testIdNumber(dryRunKey: string, site: number, index: number): string {
  return `DRYRUN-${dryRunKey.slice(0, 8).toUpperCase()}-${site}-${index}`;
}

/**
 * A test person's mobile: a valid-looking number from the 60 range. A dry run only ever takes a number no account
 * holds yet (the account is its own, marked as its own); a taken one is skipped for another.
 */
export function testMobile(random: () => number): string {
  let digits = '60';
  for (let i = 0; i < 8; i++) digits += Math.floor(random() * 10);
  return digits;
}

/**
 * A site's name in a dry run's SMS: marked as a rehearsal, within an SMS variable's 30 characters (DLT), so no
 * one who gets it takes it for a real day.
 */
export function dryRunSiteName(site: string): string {
  const marked = `DRY RUN ${site}`;
  return marked.length <= 30 ? marked : `${marked.slice(0, 29)}…`;
}
