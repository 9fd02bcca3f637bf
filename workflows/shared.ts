/**
 * What the API and the worker agree on: task queue, workflow ids, message definitions and DTOs.
 * Imported by workflow code, so it must stay free of Node-only imports.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { JourneyPolicy } from './journey/schedule.js';
import type { Stage } from './journey/state.js';

export const DEFAULT_TASK_QUEUE = 'vaccine-journey';

export const workflowIds = {
  health: (probeId: string) => `health-${probeId}`,
  journey: (referenceId: string) => `beneficiary-${referenceId}`,
  sessionDay: (sessionDayId: string) => `session-day-${sessionDayId}`,
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
  attemptsLeft?: number;
}

export type BookingChannel = 'PORTAL' | 'PARTNER' | 'OFFICER';

export interface BookSlotInput {
  sessionDayId: string;
  slotId?: number;
  channel: BookingChannel;
}
export interface RescheduleInput {
  appointmentId: string;
  sessionDayId: string;
  slotId?: number;
}
export interface CancelInput {
  appointmentId: string;
}

export interface DoseAdministeredEvent {
  doseId: string;
  dose: number;
  totalDoses: number;
  vaccineCode: string;
  sessionDayId: string;
  administeredAtMs: number;
  minIntervalDays: number;
  maxIntervalDays: number;
}

export interface SessionCancelledEvent {
  sessionDayId: string;
  reason: string;
}

export const verifyOtpUpdate = defineUpdate<VerifyOtpResult, [VerifyOtpInput]>('verifyOtp');
export const bookSlotUpdate = defineUpdate<AppointmentView, [BookSlotInput]>('bookSlot');
export const rescheduleUpdate = defineUpdate<AppointmentView, [RescheduleInput]>('reschedule');
export const cancelAppointmentUpdate = defineUpdate<{ stage: Stage }, [CancelInput]>('cancelAppointment');
export const withdrawUpdate = defineUpdate<{ stage: Stage }, []>('withdraw');
export const doseAdministeredSignal = defineSignal<[DoseAdministeredEvent]>('doseAdministered');
export const sessionCancelledSignal = defineSignal<[SessionCancelledEvent]>('sessionCancelled');
/** The account's mobile was verified by a login OTP: people still REGISTERED under it become VERIFIED. */
export const accountVerifiedSignal = defineSignal<[]>('accountVerified');
export const journeySnapshotQuery = defineQuery<JourneySnapshot>('journeySnapshot');

/** Failure types a journey step raises; the API maps each to an HTTP status. */
export const JourneyFailure = {
  NOT_ALLOWED_AT_STAGE: 'NOT_ALLOWED_AT_STAGE',
  SESSION_FULL: 'SESSION_FULL',
  SLOT_FULL: 'SLOT_FULL',
  SESSION_NOT_BOOKABLE: 'SESSION_NOT_BOOKABLE',
  AGE_NOT_ELIGIBLE: 'AGE_NOT_ELIGIBLE',
  DOSE2_WINDOW: 'DOSE2_WINDOW',
  VACCINE_MISMATCH: 'VACCINE_MISMATCH',
  ALREADY_BOOKED: 'ALREADY_BOOKED',
  APPOINTMENT_NOT_FOUND: 'APPOINTMENT_NOT_FOUND',
} as const;
export type JourneyFailureType = (typeof JourneyFailure)[keyof typeof JourneyFailure];
