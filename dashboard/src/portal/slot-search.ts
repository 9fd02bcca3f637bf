/**
 * What the portal's slot search offers a person for a dose: only sessions the booking would not refuse. A later
 * dose is searched from the day its window opens, and only at sessions giving the vaccine of the doses before it;
 * sessions the person may not be vaccinated at (the session's ages, then its state's eligibility phases: the one
 * rule of the booking, `eligibilityRefusal`), or without a seat for the dose, are left out. The server decides again.
 */
import type { Static } from 'typebox';
import type { SessionSearchAnswer as SearchAnswerSchema } from '../../../api/schemas/sessions';
import { eligibilityRefusal } from '../../../domain/booking-rules';
import type { Person, SessionOffer } from './api';

/** GET /api/v1/sessions as it answers: the sessions, and the eligibility phases of their states. */
export type SessionSearchAnswer = Static<typeof SearchAnswerSchema>;

/** Each session with its state's phases (none: the state restricts nobody beyond the session's ages). */
export function offersOf(answer: SessionSearchAnswer): SessionOffer[] {
  const phases = new Map(answer.eligibilityPhases.map((state) => [state.stateId, state.phases]));
  return answer.sessions.map((session) => ({ ...session, phases: phases.get(session.site.stateId) ?? [] }));
}

export interface SearchTarget {
  dose: number;
  person: Pick<Person, 'birthYear' | 'nextDoseDueOn' | 'doses' | 'comorbidity' | 'priorityGroup'>;
}

/** The first date worth searching: today, or for a later dose the day its window opens when that is later. */
export function firstSearchDate(target: SearchTarget, today: string): string {
  const opens = target.dose > 1 ? target.person.nextDoseDueOn : null;
  return opens && opens > today ? opens : today;
}

/** The vaccine a later dose must be: the one of the dose before it (none for a first dose). */
export function requiredVaccine(target: SearchTarget): string | undefined {
  if (target.dose <= 1) return undefined;
  return target.person.doses.find((d) => d.dose === target.dose - 1)?.vaccineCode;
}

export function seatsFor(offer: SessionOffer, dose: number): number {
  return dose === 1 ? offer.dose1Available : offer.dose2Available;
}

/** The offers this person can book for this dose. */
export function bookableOffers(offers: readonly SessionOffer[], target: SearchTarget): SessionOffer[] {
  const vaccine = requiredVaccine(target);
  const from = firstSearchDate(target, '0000-00-00');
  return offers.filter(
    (offer) =>
      (vaccine === undefined || offer.vaccineCode === vaccine) &&
      offer.date >= from &&
      seatsFor(offer, target.dose) > 0 &&
      eligibilityRefusal(offer, target.person) === undefined,
  );
}
