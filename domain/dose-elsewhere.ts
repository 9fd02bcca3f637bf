/**
 * A dose given elsewhere (another site or district, abroad, a paper record never entered), added to a person's
 * record by an officer from evidence. It is the person's next dose: the same schedule rules as a dose at a session
 * (`scheduleRefusal` in dose-rules.ts: the vaccine of the earlier doses, the vaccine's interval, the precaution
 * dose once due), on the date it was given, which may not be in the future. Pure: the facts are read under the
 * person's lock by the service.
 */
import type { Stage } from './journey-state.js';
import type { RefusalCode } from './refusals.js';
import { DoseRefusal, precautionDueAfter, scheduleRefusal, type ScheduledDose } from './dose-rules.js';

export const ElsewhereRefusal = {
  ...DoseRefusal,
  DATE_IN_FUTURE: 'DATE_IN_FUTURE',
  VACCINE_NOT_FOUND: 'VACCINE_NOT_FOUND',
  DOSE_OUT_OF_ORDER: 'DOSE_OUT_OF_ORDER',
  PERSON_NOT_VERIFIED: 'PERSON_NOT_VERIFIED',
  JOURNEY_ENDED: 'JOURNEY_ENDED',
} as const satisfies Record<string, RefusalCode>;
export type ElsewhereRefusalCode = (typeof ElsewhereRefusal)[keyof typeof ElsewhereRefusal];

/** Stages from which a person's journey takes no dose: not yet verified, or ended without being vaccinated. */
const NOT_VERIFIED: ReadonlySet<Stage> = new Set(['REGISTERED']);
const ENDED_UNVACCINATED: ReadonlySet<Stage> = new Set(['EXPIRED', 'WITHDRAWN']);

export interface ElsewhereDoseFacts {
  stage: Stage;
  /** The person's latest dose. */
  previous: ScheduledDose['previous'];
  /** The vaccine named, as registered; null when no vaccine has that code. */
  vaccine: { code: string; doses: number; minIntervalDays: number } | null;
  precaution?: ScheduledDose['precaution'];
}

export interface ElsewhereDoseRequest {
  doseNumber: number;
  vaccineCode: string;
  /** India date the dose was given. */
  givenOn: string;
  /** India date today. */
  today: string;
}

export type ElsewhereDecision =
  | { kind: 'refuse'; code: ElsewhereRefusalCode; message: string }
  /** precautionDueOn: the last primary dose of a vaccine with a precaution dose, the India date it becomes due. */
  | { kind: 'record'; precautionDueOn?: string };

export function decideDoseElsewhere(facts: ElsewhereDoseFacts, request: ElsewhereDoseRequest): ElsewhereDecision {
  const refuse = (code: ElsewhereRefusalCode, message: string): ElsewhereDecision => ({
    kind: 'refuse',
    code,
    message,
  });
  if (request.givenOn > request.today)
    return refuse(ElsewhereRefusal.DATE_IN_FUTURE, `the date given, ${request.givenOn}, is in the future`);
  if (NOT_VERIFIED.has(facts.stage))
    return refuse(
      ElsewhereRefusal.PERSON_NOT_VERIFIED,
      "this person's mobile is not verified yet; a dose can be added once it is",
    );
  if (ENDED_UNVACCINATED.has(facts.stage))
    return refuse(
      ElsewhereRefusal.JOURNEY_ENDED,
      `this person's registration has ended (${facts.stage.toLowerCase()}); no dose can be added`,
    );
  const vaccine = facts.vaccine;
  if (!vaccine) return refuse(ElsewhereRefusal.VACCINE_NOT_FOUND, `no vaccine has the code ${request.vaccineCode}`);
  const last = facts.previous?.doseNumber ?? 0;
  if (request.doseNumber <= last)
    return refuse(
      ElsewhereRefusal.DOSE_ALREADY_RECORDED,
      `dose ${request.doseNumber} is already recorded for this person (${last} ${last === 1 ? 'dose' : 'doses'} on record)`,
    );
  if (request.doseNumber !== last + 1)
    return refuse(
      ElsewhereRefusal.DOSE_OUT_OF_ORDER,
      `this person has ${last} ${last === 1 ? 'dose' : 'doses'} on record; add dose ${last + 1} first`,
    );
  const dose: ScheduledDose = {
    previous: facts.previous,
    doseNumber: request.doseNumber,
    vaccineCode: vaccine.code,
    date: request.givenOn,
    primaryDoses: vaccine.doses,
    minIntervalDays: vaccine.minIntervalDays,
    precaution: facts.precaution,
  };
  const refused = scheduleRefusal(dose);
  if (refused) return refuse(refused.code, refused.message);
  const dueOn = precautionDueAfter(dose);
  return { kind: 'record', ...(dueOn ? { precautionDueOn: dueOn } : {}) };
}
