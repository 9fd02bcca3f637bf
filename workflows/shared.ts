/**
 * What the API and the worker agree on: task queue, workflow ids, message definitions and DTOs.
 * Imported by workflow code, so it must stay free of Node-only imports.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { BookingRefusal, type RefusalCode } from '../domain/refusals.js';
import type { AppointmentRow } from '../domain/booking-rules.js';
import type { JourneyPolicy } from '../domain/journey-schedule.js';
import type { Stage } from '../domain/journey-state.js';
import type { StaffRole, TeamRole } from '../db/schema.js';
import type { SessionPolicy } from '../domain/session-pace.js';
import type { SessionStatus } from '../domain/session-status.js';

export const DEFAULT_TASK_QUEUE = 'vaccine-journey';

export const workflowIds = {
  health: (probeId: string) => `health-${probeId}`,
  journey: (referenceId: string) => `beneficiary-${referenceId}`,
  sessionDay: (sessionDayId: string) => `session-day-${sessionDayId}`,
  dryRun: (dryRunId: string) => `dry-run-${dryRunId}`,
};

export interface HealthCheckInput {
  probeId: string;
}

export interface HealthCheckResult {
  probeId: string;
  workerIdentity: string;
  databaseTime: string;
}

// ---- Beneficiary journey ----

/** Carries no personal data: activities look up names and mobiles in Postgres when they need them. */
export interface JourneyInput {
  beneficiaryId: string;
  referenceId: string;
  /** Verified at once when registered under a verified beneficiary token or by a vaccinator. */
  verified: boolean;
  registeredAtMs: number;
  policy: JourneyPolicy;
  /**
   * A new run of a journey that ended (fully vaccinated, or awaiting its person's return), started by their booking
   * or dose (workflows/journey-resume.ts): it begins at this stage, where Postgres says the person waits.
   */
  resume?: JourneyResume;
  /**
   * A dry run's simulated person: the calendar instant (India) the journey's start stands for, the run's calendar
   * start, so that its appointment's reminder and no-show check fall on the run's compressed day (as its session
   * day's workflow, `SessionDayInput.calendarStartMs`) whatever the real time of day. Absent: now stands for itself.
   */
  calendarStartMs?: number;
}

/** Where a resumed journey begins: the stage its person waits at, from the doses Postgres holds. */
export interface JourneyResume {
  stage: 'VERIFIED' | 'DOSE1_DONE' | 'FULLY_VACCINATED';
  dosesReceived: number;
  vaccineCode?: string;
}

export interface AppointmentView {
  appointmentId: string;
  sessionDayId: string;
  dose: number;
  date: string;
  slot: string;
  siteName: string;
  stage: Stage;
}

export interface JourneySnapshot {
  referenceId: string;
  stage: Stage;
  appointment?: Omit<AppointmentView, 'stage'>;
  dosesReceived: number;
  vaccineCode?: string;
  dose2WindowOpensOn?: string;
  dose2WindowClosesOn?: string;
  /** Ended awaiting the person's return (`ends-when-inactive`): their next booking or dose resumes it. */
  inactive?: boolean;
  history: Array<{ stage: Stage; atMs: number; reason: string }>;
}

export interface VerifyOtpInput {
  txnId: string;
  /** SHA-256 hex of the OTP digits: the OTP itself never enters workflow history. */
  otpSha256: string;
}
export interface VerifyOtpResult {
  verified: boolean;
  stage: Stage;
  reason?: string;
  /** The refusal's code (OTP_INVALID, OTP_LOCKED, ...) when not verified. */
  code?: RefusalCode;
  attemptsLeft?: number;
}

export type BookingChannel = 'PORTAL' | 'PARTNER' | 'OFFICER';

/** Who asked for a journey step (the person's account, a partner, an officer): the audit row names them. */
export interface RequestedBy {
  type: 'BENEFICIARY' | 'STAFF' | 'PARTNER';
  id: string;
  role?: string;
}

export interface BookSlotInput {
  sessionDayId: string;
  slotId?: number;
  channel: BookingChannel;
  by?: RequestedBy;
}
export interface RescheduleInput {
  appointmentId: string;
  sessionDayId: string;
  slotId?: number;
  by?: RequestedBy;
}
export interface CancelInput {
  appointmentId: string;
  by?: RequestedBy;
}
/** Who withdraws the person (their account, or an officer releasing a disputed photo ID) and why. */
export interface WithdrawInput {
  by?: RequestedBy;
  reason?: string;
}

export interface DoseAdministeredEvent {
  doseId: string;
  dose: number;
  totalDoses: number;
  vaccineCode: string;
  /** The session day it was given at; absent for a dose given elsewhere that an officer added from evidence. */
  sessionDayId?: string;
  administeredAtMs: number;
  minIntervalDays: number;
  maxIntervalDays: number;
  /** The last primary dose of a vaccine with a precaution dose: the India date the precaution dose is due. */
  precautionDueOn?: string;
}

/**
 * A booking change committed in Postgres by the request that made it (a booking, a reschedule, a cancellation):
 * the journey updates its timeline from it (reminder, no-show check) and sends the SMS. `version` is the person's
 * booking version after the change; the journey applies only versions newer than the last it applied, so a signal
 * relayed late, twice or out of order changes nothing.
 */
export interface BookingChangedEvent {
  version: number;
  change: 'BOOKED' | 'RESCHEDULED' | 'CANCELLED';
  dose: number;
  /** The stage after the change, already written to Postgres with its history row. */
  stage: Stage;
  reason: string;
  /** The person's live appointment after the change; null after a cancellation. */
  appointment: AppointmentRow | null;
  /** The appointment the change ended (moved from, or cancelled). */
  previous?: { appointmentId: string; date: string; siteName: string };
  /** A move the person did not ask for: their session day was cancelled and they were moved to another. */
  cause?: 'SESSION_CANCELLED';
}

export interface SessionCancelledEvent {
  sessionDayId: string;
  reason: string;
}

export const verifyOtpUpdate = defineUpdate<VerifyOtpResult, [VerifyOtpInput]>('verifyOtp');
/**
 * Booking steps as Updates, from an earlier release. The API now books, moves and cancels in Postgres in the request
 * (api/services/bookings.ts) and signals `bookingChanged`; these stay so that journeys recorded with them replay,
 * and so API processes of the earlier release keep working during a rolling upgrade. Nothing of this release sends
 * them.
 */
export const bookSlotUpdate = defineUpdate<AppointmentView, [BookSlotInput]>('bookSlot');
export const rescheduleUpdate = defineUpdate<AppointmentView, [RescheduleInput]>('reschedule');
export const cancelAppointmentUpdate = defineUpdate<{ stage: Stage }, [CancelInput]>('cancelAppointment');
// Journeys of an earlier release were sent no argument: the handler takes the request as optional.
export const withdrawUpdate = defineUpdate<{ stage: Stage }, [WithdrawInput]>('withdraw');
export const doseAdministeredSignal = defineSignal<[DoseAdministeredEvent]>('doseAdministered');
export const bookingChangedSignal = defineSignal<[BookingChangedEvent]>('bookingChanged');
export const sessionCancelledSignal = defineSignal<[SessionCancelledEvent]>('sessionCancelled');
/**
 * To a session day's workflow: a dose was recorded there while it was still PLANNED (the team started before
 * anyone opened it), so the day is open in fact. Sent through the outbox after the dose commits.
 */
export const sessionDoseRecordedSignal = defineSignal<[{ sessionDayId: string }]>('sessionDoseRecorded');
/** The account's mobile was verified by a login OTP: people still REGISTERED under it become VERIFIED. */
export const accountVerifiedSignal = defineSignal<[]>('accountVerified');
export const journeySnapshotQuery = defineQuery<JourneySnapshot>('journeySnapshot');

/** Failure types a journey step raises; the API maps each to an HTTP status. */
export const JourneyFailure = {
  NOT_ALLOWED_AT_STAGE: 'NOT_ALLOWED_AT_STAGE',
  ...BookingRefusal,
} as const satisfies Record<string, RefusalCode>;
export type JourneyFailureType = (typeof JourneyFailure)[keyof typeof JourneyFailure];

// ---- Session day (one workflow per session day: opens, watches the pace, closes; officers intervene) ----

export interface SessionDayInput {
  sessionDayId: string;
  /** India date of the session day. */
  date: string;
  /** Opening wall-clock time ('HH:MM:SS', India). */
  opensAt: string;
  /** Calendar instant of closing, an officer's extension included. */
  closesAtMs: number;
  /** The status in Postgres when the workflow was started. */
  status: SessionStatus;
  policy: SessionPolicy;
  /**
   * A dry run's simulated day: the calendar instant (India) the workflow's start stands for, so its day runs on the
   * compressed clock from that hour whenever it is run. Absent: the start stands for itself.
   */
  calendarStartMs?: number;
  /** Where the previous run stopped, when the workflow continued as new. */
  carried?: SessionDayCarried;
}

export interface SessionDayCarried {
  anchorMs: number;
  calendarAnchorMs?: number;
  status: SessionStatus;
  closesAtMs: number;
  watchedSinceMs: number;
  nextPollAtMs: number;
  stall?: { episode: number; dosesAtStall: number };
  stallEpisodes: number;
  closedAtMs?: number;
  cancelReason?: string;
  /** Steps taken so far: step keys (SMS idempotency) stay unique across runs. */
  steps: number;
}

export interface SessionDayState {
  sessionDayId: string;
  status: SessionStatus;
  /** ISO instant of closing (calendar), an extension included. */
  closesAt: string;
  stallEpisodes: number;
}

/** The officer (or, for closing, the assigned vaccinator) who intervenes; written to every audit row. */
export interface InterventionBy {
  staffId: string;
  role: StaffRole;
}

export interface ExtendSessionInput {
  by: InterventionBy;
  /** Calendar minutes added to the current closing time. */
  minutes: number;
}
export interface PauseSessionInput {
  by: InterventionBy;
  reason?: string;
}
export interface ResumeSessionInput {
  by: InterventionBy;
}
export interface CancelSessionInput {
  by: InterventionBy;
  reason: string;
  /** Move everyone booked to the next session day with seats (same site or nearby), rather than only release them. */
  moveBookings?: boolean;
}
export interface AssignStaffInput {
  by: InterventionBy;
  staffId: string;
  teamRole: TeamRole;
  /** Someone on this session day whom the new person replaces. */
  replacesStaffId?: string;
  /** Move the person from the session day they are assigned to on the same date. */
  moveFromOtherSession?: boolean;
}
export interface CloseSessionInput {
  by: InterventionBy;
  /** Doses wasted (opened vials not used up); 0 when not reported. */
  wastage?: number;
}

export interface InterventionResult extends SessionDayState {
  /** Workflow commands (journey signals) the caller delivers right after the update; the relay is the fallback. */
  commandIds?: string[];
  /** For a cancellation that moved the people booked: how many were moved, and how many found no seat. */
  moves?: { moved: number; notMoved: number };
  /** For an assignment: whom, and whether they were moved from another session day of the date. */
  assignment?: { staffId: string; teamRole: TeamRole; created: boolean; movedFrom?: string };
}

export const extendSessionUpdate = defineUpdate<InterventionResult, [ExtendSessionInput]>('sessionExtend');
export const pauseSessionUpdate = defineUpdate<InterventionResult, [PauseSessionInput]>('sessionPause');
export const resumeSessionUpdate = defineUpdate<InterventionResult, [ResumeSessionInput]>('sessionResume');
export const cancelSessionUpdate = defineUpdate<InterventionResult, [CancelSessionInput]>('sessionCancel');
export const assignStaffUpdate = defineUpdate<InterventionResult, [AssignStaffInput]>('sessionAssignStaff');
export const closeSessionUpdate = defineUpdate<InterventionResult, [CloseSessionInput]>('sessionClose');
export const sessionDayStateQuery = defineQuery<SessionDayState>('sessionDayState');

/** Failure types a session intervention raises (besides the repositories' refusal codes); the API maps them. */
export const SessionFailure = {
  NOT_ALLOWED_IN_STATUS: 'SESSION_NOT_ALLOWED_IN_STATUS',
  INVALID_EXTENSION: 'INVALID_EXTENSION',
  INVALID_INTERVENTION: 'INVALID_INTERVENTION',
} as const satisfies Record<string, RefusalCode>;

// ---- Dry-run simulation (one workflow per simulated dry run: its day, durable across API restarts) ----

/**
 * The simulation's driver. `stepsTaskQueue` is where its steps run: API processes poll it (api/plugins/dry-run-steps.ts),
 * since each step is a request to the real API; any API process takes any step, so the run outlives the one that
 * started it.
 */
export interface DryRunSimulationInput {
  dryRunId: string;
  stepsTaskQueue: string;
}

/** A test person who comes to the door (no-shows never do), as the workflow knows them: no secret code, no name. */
export interface DryRunSimPerson {
  index: number;
  kind: 'BOOKED' | 'WALKIN';
  /** Calendar minutes after opening. */
  arrivesAtMinute: number;
  /** The booked slot (a walk-in: the slot their arrival falls in). */
  slotId: number | null;
  referenceId?: string;
  beneficiaryId?: string;
}

export interface DryRunSimSite {
  sessionDayId: string;
  siteId: number;
  vaccineCode: string;
  /** Calendar instants (India) of opening and closing. */
  opensAtMs: number;
  closesAtMs: number;
  team: { staffId: string; teamRole: TeamRole }[];
  people: DryRunSimPerson[];
}

export interface DryRunSimPlan {
  dayMs: number;
  /** The calendar instant the simulated day starts at (a little before opening). */
  calendarStartMs: number;
  /** The observation period on the run's clock (real ms). */
  observationMs: number;
  serviceMinutes: { verify: number; vaccinate: number; release: number };
  aefiRate: number;
  seed: number;
  sites: DryRunSimSite[];
}

/** One person at one site's door, as their arrival is written. */
export interface DryRunArrivalInput {
  dryRunId: string;
  sessionDayId: string;
  siteId: number;
  person: DryRunSimPerson;
  arrivedAtMs: number;
  queueOnArrival: number;
}

export type DryRunDoorResult =
  | { verified: true; referenceId: string; beneficiaryId: string; verificationId: string; arrivalId: string }
  | { verified: false };

export interface DryRunVaccinateInput {
  sessionDayId: string;
  staffId: string;
  vaccineCode: string;
  personIndex: number;
  referenceId: string;
  verificationId: string;
  arrivalId: string;
}

/** What a session day is at, read by the simulation between its steps. */
export interface DryRunDayReading {
  status: SessionStatus;
  /** Calendar instant of closing, an officer's extension included. */
  closesAtMs: number;
}

/**
 * The steps of a simulation, implemented by the API (api/services/dry-run-steps.ts) and run on `stepsTaskQueue`.
 * Each is idempotent: a retry after an API restart finds what the first try did (dose and AEFI by client event id,
 * the release answering the first one, a person or arrival already written).
 */
export interface DryRunStepActivities {
  /** Registers and books the run's test people (those not yet made), and says who comes when. */
  prepareDryRunSimulation(input: { dryRunId: string }): Promise<DryRunSimPlan>;
  /** Marks the run RUNNING and starts its session days' workflows on the run's clock. */
  startDryRunDays(input: { dryRunId: string }): Promise<void>;
  dryRunDayReadings(input: { sessionDayIds: string[] }): Promise<Record<string, DryRunDayReading>>;
  /** The door: a walk-in registered first, then the check by secret code; the arrival written. */
  dryRunCheckAtDoor(input: DryRunArrivalInput & { staffId: string }): Promise<DryRunDoorResult>;
  /** The dose; a refusal turns the person away. */
  dryRunVaccinate(input: DryRunVaccinateInput): Promise<{ doseId: string } | { refused: string }>;
  /** The release after observation, with an AEFI report first when the dose drew one. */
  dryRunRelease(input: { staffId: string; sessionDayId: string; doseId: string; aefi: boolean }): Promise<void>;
  /** Someone who goes home unvaccinated: their arrival (already written at the door) or a new one. */
  dryRunTurnAway(input: { arrival: DryRunArrivalInput; arrivalId?: string; reason: string }): Promise<void>;
  finishDryRun(input: { dryRunId: string; failure?: string }): Promise<void>;
}
