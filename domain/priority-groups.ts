/**
 * Priority groups and eligibility phases, as India's drive opened in 2021: health-care workers (HCW) and front-line
 * workers (FLW) first, uploaded in bulk by their employers, then the public by age (60+, 45+ with comorbidities,
 * 18+). Pure: the booking rule (booking-rules.ts, `phaseRefusal`), the routes' schemas and the dashboard share it.
 */

/** The groups a person can be listed in by their employer. Everyone else is the general public, by age. */
export const PRIORITY_GROUPS = ['HCW', 'FLW'] as const;
export type PriorityGroup = (typeof PRIORITY_GROUPS)[number];

/**
 * Who a phase admits: listed workers, people who declared a comorbidity, or everyone (GENERAL). A listed worker
 * is also one of the public: a phase for GENERAL 18+ admits a 30-year-old health worker too.
 */
export const PHASE_GROUPS = ['HCW', 'FLW', 'COMORBID', 'GENERAL'] as const;
export type PhaseGroup = (typeof PHASE_GROUPS)[number];

/** One phase of a state's drive: from `opensOn`, sessions of that date or later take these groups at these ages. */
export interface EligibilityPhase {
  name: string;
  opensOn: string;
  groups: PhaseGroup[];
  minAge: number;
  maxAge: number | null;
}

export const MAX_PHASES_PER_STATE = 20;

/** The groups a person belongs to: always the public, plus their listed group and a declared comorbidity. */
export function groupsOf(person: { priorityGroup: PriorityGroup | null; comorbidity: boolean }): PhaseGroup[] {
  return [
    'GENERAL',
    ...(person.priorityGroup ? [person.priorityGroup] : []),
    ...(person.comorbidity ? (['COMORBID'] as const) : []),
  ];
}

/** Whether a phase covers a person of these groups at this age (by the birth year, as Co-WIN counted it). */
export function phaseCovers(phase: EligibilityPhase, groups: readonly PhaseGroup[], age: number): boolean {
  return (
    phase.groups.some((g) => groups.includes(g)) &&
    age >= phase.minAge &&
    (phase.maxAge === null || age <= phase.maxAge)
  );
}

/** What is wrong with a phase as an officer wrote it (empty when nothing). */
export function phaseProblems(phase: EligibilityPhase): string[] {
  const problems: string[] = [];
  if (!phase.name.trim()) problems.push('name the phase');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(phase.opensOn) || Number.isNaN(Date.parse(`${phase.opensOn}T00:00:00Z`)))
    problems.push('opensOn must be a date (YYYY-MM-DD)');
  if (phase.groups.length === 0) problems.push('a phase admits at least one group');
  if (new Set(phase.groups).size !== phase.groups.length) problems.push('name each group once');
  if (phase.maxAge !== null && phase.maxAge < phase.minAge) problems.push('maxAge must not be below minAge');
  return problems;
}

/** A phase in a sentence, for refusals and the audit: "Phase 2 (60+, from 2021-03-01)". */
export function describePhase(phase: EligibilityPhase): string {
  const ages = phase.maxAge === null ? `${phase.minAge}+` : `${phase.minAge}–${phase.maxAge}`;
  const groups = phase.groups.filter((g) => g !== 'GENERAL');
  const who = groups.length ? `${groups.join('/')}${phase.groups.includes('GENERAL') ? ' or anyone' : ''} ` : '';
  return `${phase.name} (${who}${ages}, from ${phase.opensOn})`;
}
