/**
 * The precaution dose: one more dose of the same vaccine, due a set number of days after the person's last dose of
 * the primary schedule. Co-WIN numbered it dose 3 (after a two-dose schedule), and so does Teeka.
 *
 * The interval is configured per vaccine (table `precaution_interval`) and per priority group of a vaccine
 * (`precaution_group_interval`): the rule of the person's group wins over the vaccine's rule for everyone. Pure: the
 * facts are read by the repositories, decided here.
 */
import { addDays, daysBetween, indiaDate } from './time.js';
import type { RefusalCode } from './refusals.js';

/** Co-WIN's number for the precaution dose, after a two-dose primary schedule. */
export const PRECAUTION_DOSE = 3;

/** One configured interval: for a vaccine, and (when set) only for people of one priority group. */
export interface PrecautionRule {
  vaccineCode: string;
  /** A priority group's code; absent: everyone given this vaccine. */
  group?: string | null;
  afterDays: number;
}

/** Who the interval is looked up for. */
export interface PrecautionKey {
  vaccineCode: string;
  group?: string | null;
}

/** The interval that applies (a rule of the person's group first, then the vaccine's), or none: no precaution dose. */
export function precautionAfterDays(rules: readonly PrecautionRule[], key: PrecautionKey): number | undefined {
  const forVaccine = rules.filter((r) => r.vaccineCode === key.vaccineCode);
  const ofGroup = key.group ? forVaccine.find((r) => r.group === key.group) : undefined;
  return (ofGroup ?? forVaccine.find((r) => !r.group))?.afterDays;
}

/** The precaution dose's number after a primary schedule of `primaryDoses`, if the schedule has one. */
export function precautionDoseAfter(primaryDoses: number): number | undefined {
  return primaryDoses + 1 === PRECAUTION_DOSE ? PRECAUTION_DOSE : undefined;
}

/** Whether this dose number is the precaution dose of a schedule of `primaryDoses`. */
export const isPrecautionDose = (dose: number, primaryDoses: number): boolean =>
  precautionDoseAfter(primaryDoses) === dose;

/** The India date from which the precaution dose is due, after the last primary dose given on `lastDoseOn`. */
export const precautionDueOn = (lastDoseOn: string, afterDays: number): string => addDays(lastDoseOn, afterDays);

/** A dose's name for people: "2 of 2", or "precaution" for the dose beyond the primary schedule. */
export function doseLabel(dose: number, primaryDoses: number): string {
  return dose > primaryDoses ? 'precaution' : `${dose} of ${primaryDoses}`;
}

export const PrecautionRefusal = {
  /** Not fully vaccinated, no precaution dose for this vaccine, or not yet due. */
  PRECAUTION_NOT_DUE: 'PRECAUTION_NOT_DUE',
} as const satisfies Record<string, RefusalCode>;

export interface PrecautionFacts {
  /** The person's latest dose. */
  previous: { doseNumber: number; vaccineCode: string; administeredAt: Date } | null;
  /** The primary schedule's doses of the vaccine offered. */
  primaryDoses: number;
  /** Configured intervals for the vaccine offered (every group's). */
  rules: readonly PrecautionRule[];
  group?: string | null;
}

/**
 * Whether the precaution dose may be given (or booked) on `date` with `vaccineCode`: after the full primary
 * schedule, of the same vaccine, on or after its due date. Undefined when it may; the refusal's words otherwise.
 */
export function precautionRefusal(
  facts: PrecautionFacts,
  at: { date: string; vaccineCode: string },
): { code: RefusalCode; message: string; details?: Record<string, unknown> } | undefined {
  const code = PrecautionRefusal.PRECAUTION_NOT_DUE;
  const previous = facts.previous;
  if (!precautionDoseAfter(facts.primaryDoses)) return { code, message: `${at.vaccineCode} has no precaution dose` };
  if (!previous || previous.doseNumber < facts.primaryDoses)
    return {
      code,
      message: `the precaution dose is given only after all ${facts.primaryDoses} doses; ${previous?.doseNumber ?? 0} recorded`,
    };
  if (previous.vaccineCode !== at.vaccineCode)
    return {
      code: 'VACCINE_MISMATCH',
      message: `the precaution dose must be ${previous.vaccineCode}, the vaccine of the earlier doses; this session offers ${at.vaccineCode}`,
    };
  const afterDays = precautionAfterDays(facts.rules, { vaccineCode: at.vaccineCode, group: facts.group });
  if (afterDays === undefined) return { code, message: `${at.vaccineCode} has no precaution dose` };
  const lastOn = indiaDate(previous.administeredAt);
  const dueOn = precautionDueOn(lastOn, afterDays);
  if (daysBetween(lastOn, at.date) < afterDays)
    return {
      code,
      message: `the precaution dose of ${at.vaccineCode} is due from ${dueOn}, ${afterDays} days after dose ${previous.doseNumber}`,
      details: { dueOn },
    };
  return undefined;
}
