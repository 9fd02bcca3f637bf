/**
 * The rules for recording a dose, decided from the facts read in one statement (db/repositories/doses.ts). The
 * write re-checks, under the person's row lock, the facts a decision depends on (their last dose, the session's
 * status, the code tries) and reports `stale` when one moved, so the caller decides again on fresh facts.
 */
import { BookingRefusal } from './refusals.js';
import { eligibilityRefusal } from './booking-rules.js';
import { MAX_SECRET_CODE_TRIES } from './desk-code-check.js';
import type { EligibilityPhase, PriorityGroup } from './priority-groups.js';
import type { RefusalCode } from './refusals.js';
import { constantTimeEqual } from './codes.js';
import { daysBetween, indiaDate } from './time.js';
import {
  precautionAfterDays,
  precautionDoseAfter,
  precautionDueOn,
  precautionRefusal,
  type PrecautionRule,
} from './precaution.js';

export const DoseRefusal = {
  PERSON_NOT_FOUND: 'PERSON_NOT_FOUND',
  SECRET_CODE_MISMATCH: 'SECRET_CODE_MISMATCH',
  TOO_MANY_CODE_TRIES: 'TOO_MANY_CODE_TRIES',
  IDENTITY_PROOF_REQUIRED: 'IDENTITY_PROOF_REQUIRED',
  VERIFICATION_INVALID: 'VERIFICATION_INVALID',
  VERIFICATION_EXPIRED: 'VERIFICATION_EXPIRED',
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  SESSION_NOT_OPEN: 'SESSION_NOT_OPEN',
  WRONG_DAY: 'WRONG_DAY',
  VACCINE_MISMATCH: 'VACCINE_MISMATCH',
  DOSE2_TOO_EARLY: 'DOSE2_TOO_EARLY',
  FULLY_VACCINATED: 'FULLY_VACCINATED',
  PRECAUTION_NOT_DUE: 'PRECAUTION_NOT_DUE',
  DOSE_ALREADY_RECORDED: 'DOSE_ALREADY_RECORDED',
  WALKIN_QUOTA_FULL: 'WALKIN_QUOTA_FULL',
  CLIENT_EVENT_CONFLICT: 'CLIENT_EVENT_CONFLICT',
  AGE_NOT_ELIGIBLE: BookingRefusal.AGE_NOT_ELIGIBLE,
  PHASE_NOT_OPEN: BookingRefusal.PHASE_NOT_OPEN,
} as const satisfies Record<string, RefusalCode>;
export type DoseRefusalCode = (typeof DoseRefusal)[keyof typeof DoseRefusal];

/** Session states in which doses are taken. PLANNED too: capture never waits for the session workflow. */
export const RECORDING_STATUSES = ['PLANNED', 'OPEN', 'STALLED'];
/** A device that was offline syncs after the session closed: its doses were given while it was open. */
export const OFFLINE_RECORDING_STATUSES = [...RECORDING_STATUSES, 'CLOSED'];
/** How long a check at the door stands in for the secret code when the dose is recorded. */
export const VERIFICATION_VALID_FOR_MS = 6 * 3_600_000;
/** Clock difference between a device (or the database) and this server that is treated as noise. */
export const CLOCK_TOLERANCE_MS = 5 * 60_000;

export const TOO_MANY_CODE_TRIES_MESSAGE = `the secret code was entered wrongly ${MAX_SECRET_CODE_TRIES} times for this person at this session; verify them by OTP to their mobile instead`;

export function wrongCodeMessage(triesLeft: number): string {
  return triesLeft > 0
    ? `the secret code does not match this person; ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left`
    : 'the secret code does not match this person; no tries left, verify by OTP instead';
}

export interface DoseFacts {
  /** The dose already stored under the request's client event id. */
  replay: { doseId: string; referenceId: string } | null;
  person: {
    id: string;
    referenceId: string;
    secretCode: string;
    birthYear: number;
    priorityGroup: PriorityGroup | null;
    comorbidity: boolean;
  } | null;
  day: {
    id: string;
    date: string;
    status: string;
    vaccineCode: string;
    siteId: number;
    districtId: number;
    stateId: number;
    doses: number;
    minIntervalDays: number;
    maxIntervalDays: number;
    minAge: number;
    maxAge: number | null;
  } | null;
  /**
   * Present when the person holds no booking at this session day (a walk-in): the state's eligibility phases, for
   * the rule a booking of this session would have met.
   */
  walkIn: { phases: EligibilityPhase[] } | null;
  /** The person's latest dose. */
  previous: {
    doseId: string;
    doseNumber: number;
    vaccineCode: string;
    administeredAt: Date;
    sessionDayId: string;
  } | null;
  /** Wrong secret codes for the person at this session day so far. */
  wrongCodeTries: number;
  /** The check at the door the request cites. */
  verification: { referenceId: string; sessionDayId: string; verifiedAt: Date } | null;
  /** Read only once the primary schedule is complete: the precaution intervals of the day's vaccine. */
  precaution?: { rules: PrecautionRule[]; group?: string | null };
}

export interface DoseProof {
  secretCode?: string;
  verificationId?: string | null;
}

export type DoseDecision =
  | { kind: 'replay'; doseId: string }
  | { kind: 'refuse'; code: DoseRefusalCode; message: string; existingDoseId?: string }
  /** The code is wrong and tries are left: the try is counted before the refusal. */
  | { kind: 'wrong-code'; personId: string }
  | {
      kind: 'record';
      doseNumber: number;
      /** The dose number of the person's latest dose when decided (0: none); the write re-checks it. */
      previousDose: number;
      recordingStatuses: string[];
      /** Set when a secret code was checked: the write re-checks that the try limit was not reached meanwhile. */
      maxCodeTries: number | null;
      /** The last primary dose of a vaccine with a precaution dose: the India date that dose becomes due. */
      precautionDueOn?: string;
    };

const refusal = (code: DoseRefusalCode, message: string, existingDoseId?: string): DoseDecision => ({
  kind: 'refuse',
  code,
  message,
  ...(existingDoseId ? { existingDoseId } : {}),
});

/** A check at the door stands in for the code only for the same person and session, given recently enough. */
export function verificationRefusal(
  verification: DoseFacts['verification'],
  request: { referenceId: string; sessionDayId: string; at: Date },
): DoseDecision | undefined {
  if (
    !verification ||
    verification.referenceId !== request.referenceId ||
    verification.sessionDayId !== request.sessionDayId
  ) {
    return refusal(
      DoseRefusal.VERIFICATION_INVALID,
      'that verification is not for this person at this session day; check the secret code or an OTP',
    );
  }
  const at = request.at.getTime();
  const verifiedAt = verification.verifiedAt.getTime();
  if (verifiedAt > at + CLOCK_TOLERANCE_MS) {
    return refusal(DoseRefusal.VERIFICATION_INVALID, 'that verification was recorded after the dose was given');
  }
  if (verifiedAt < at - VERIFICATION_VALID_FOR_MS) {
    return refusal(
      DoseRefusal.VERIFICATION_EXPIRED,
      `that verification is more than ${Math.round(VERIFICATION_VALID_FOR_MS / 3_600_000)} hours old; verify the person again`,
    );
  }
  return undefined;
}

export function decideDose(
  facts: DoseFacts,
  request: DoseProof & {
    referenceId: string;
    sessionDayId: string;
    vaccineCode: string;
    administeredAt: Date;
    source: 'ONLINE' | 'OFFLINE';
  },
): DoseDecision {
  if (facts.replay) {
    if (facts.replay.referenceId !== request.referenceId)
      return refusal(DoseRefusal.CLIENT_EVENT_CONFLICT, 'this client event id was already used for another person');
    return { kind: 'replay', doseId: facts.replay.doseId };
  }
  const byCode = request.secretCode !== undefined;
  if (byCode === (request.verificationId !== undefined && request.verificationId !== null)) {
    return refusal(
      DoseRefusal.IDENTITY_PROOF_REQUIRED,
      "give either the person's secret code or the verificationId of a check at the door (one of them)",
    );
  }
  const person = facts.person;
  if (!person) return refusal(DoseRefusal.PERSON_NOT_FOUND, 'no registered person has that reference id');
  const day = facts.day;
  if (!day) return refusal(DoseRefusal.SESSION_NOT_FOUND, 'no such session day');

  if (byCode) {
    if (facts.wrongCodeTries >= MAX_SECRET_CODE_TRIES)
      return refusal(DoseRefusal.TOO_MANY_CODE_TRIES, TOO_MANY_CODE_TRIES_MESSAGE);
    if (!constantTimeEqual(person.secretCode, request.secretCode!)) return { kind: 'wrong-code', personId: person.id };
  } else {
    const refused = verificationRefusal(facts.verification, { ...request, at: request.administeredAt });
    if (refused) return refused;
  }

  const recordingStatuses = request.source === 'OFFLINE' ? OFFLINE_RECORDING_STATUSES : RECORDING_STATUSES;
  if (!recordingStatuses.includes(day.status))
    return refusal(DoseRefusal.SESSION_NOT_OPEN, `this session day is ${day.status.toLowerCase()}`);
  const givenOn = indiaDate(request.administeredAt);
  if (givenOn !== day.date)
    return refusal(DoseRefusal.WRONG_DAY, `this session day is for ${day.date}; the dose was given on ${givenOn}`);
  if (request.vaccineCode !== day.vaccineCode)
    return refusal(
      DoseRefusal.VACCINE_MISMATCH,
      `this session day gives ${day.vaccineCode}, not ${request.vaccineCode}`,
    );

  // A walk-in meets the rule a booking of this session meets: its ages, then the state's phases. Online only: a
  // dose synced from a desk that had no network was given already, and is stored.
  if (facts.walkIn && request.source === 'ONLINE') {
    const ineligible = eligibilityRefusal({ ...day, phases: facts.walkIn.phases }, person);
    if (ineligible) return refusal(ineligible.code as DoseRefusalCode, ineligible.message);
  }

  const previous = facts.previous;
  if (previous && previous.sessionDayId === day.id) {
    return refusal(
      DoseRefusal.DOSE_ALREADY_RECORDED,
      `dose ${previous.doseNumber} was already recorded for this person at this session`,
      previous.doseId,
    );
  }
  const doseNumber = (previous?.doseNumber ?? 0) + 1;
  const schedule = {
    previous,
    doseNumber,
    vaccineCode: day.vaccineCode,
    date: day.date,
    primaryDoses: day.doses,
    minIntervalDays: day.minIntervalDays,
    precaution: facts.precaution,
  };
  const refused = scheduleRefusal(schedule);
  if (refused) return refusal(refused.code, refused.message);
  const dueOn = precautionDueAfter(schedule);
  return {
    kind: 'record',
    doseNumber,
    previousDose: previous?.doseNumber ?? 0,
    recordingStatuses,
    maxCodeTries: byCode ? MAX_SECRET_CODE_TRIES : null,
    ...(dueOn ? { precautionDueOn: dueOn } : {}),
  };
}

/** A dose in the person's schedule: the one before it, and the vaccine's schedule for the one asked about. */
export interface ScheduledDose {
  /** The person's latest dose. */
  previous: { doseNumber: number; vaccineCode: string; administeredAt: Date } | null;
  doseNumber: number;
  vaccineCode: string;
  /** The India date the dose is (or was) given. */
  date: string;
  /** The primary schedule's doses of the vaccine, and the least days between them. */
  primaryDoses: number;
  minIntervalDays: number;
  /** The precaution intervals of the vaccine and the person's group. */
  precaution?: { rules: readonly PrecautionRule[]; group?: string | null };
}

/**
 * Whether the next dose may be given on that date after the person's previous one: within the primary schedule,
 * the vaccine of the earlier doses and at least the vaccine's interval after the previous dose; beyond it, only the
 * precaution dose, once due. One rule for a dose at a session and a dose an officer adds from evidence.
 */
export function scheduleRefusal(dose: ScheduledDose): { code: DoseRefusalCode; message: string } | undefined {
  const { previous, doseNumber } = dose;
  const rules = dose.precaution?.rules ?? [];
  const group = dose.precaution?.group;
  if (doseNumber > dose.primaryDoses) {
    const precautionDue =
      doseNumber === precautionDoseAfter(dose.primaryDoses) &&
      precautionAfterDays(rules, { vaccineCode: dose.vaccineCode, group }) !== undefined;
    if (!precautionDue)
      return { code: DoseRefusal.FULLY_VACCINATED, message: 'this person has already received every dose' };
    const refused = precautionRefusal({ previous, primaryDoses: dose.primaryDoses, rules, group }, dose);
    if (refused) return { code: refused.code as DoseRefusalCode, message: refused.message };
  } else if (previous) {
    if (previous.vaccineCode !== dose.vaccineCode) {
      return {
        code: DoseRefusal.VACCINE_MISMATCH,
        message: `dose ${doseNumber} must be ${previous.vaccineCode}, the vaccine of dose ${previous.doseNumber}`,
      };
    }
    const since = daysBetween(indiaDate(previous.administeredAt), dose.date);
    if (since < dose.minIntervalDays) {
      return {
        code: DoseRefusal.DOSE2_TOO_EARLY,
        message: `dose ${doseNumber} of ${dose.vaccineCode} is due ${dose.minIntervalDays} days after dose ${previous.doseNumber}; only ${since} have passed`,
      };
    }
  }
  return undefined;
}

/** The last primary dose of a vaccine with a precaution dose: the India date the precaution dose becomes due. */
export function precautionDueAfter(dose: ScheduledDose): string | undefined {
  if (dose.doseNumber !== dose.primaryDoses || !precautionDoseAfter(dose.primaryDoses)) return undefined;
  const afterDays = precautionAfterDays(dose.precaution?.rules ?? [], {
    vaccineCode: dose.vaccineCode,
    group: dose.precaution?.group,
  });
  return afterDays === undefined ? undefined : precautionDueOn(dose.date, afterDays);
}
