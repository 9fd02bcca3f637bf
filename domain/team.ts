/**
 * Who takes which step at a session day. A team has three roles, assigned per session day:
 * - the verifier checks identity and the secret code (or an OTP) at the door, and registers walk-ins;
 * - the vaccinator records the dose;
 * - the observer watches each vaccinated person for 30 minutes, reports adverse events and releases them.
 * A small team folds the roles into the vaccinator: with no verifier on the team the vaccinator verifies, with
 * no observer the vaccinator observes. A verifier or observer on the team takes that step alone, so the check at
 * the door, the dose and the release are acts of different people, each on record under their own name.
 */
/** The role a staff member holds in one session day's team. */
export type TeamRole = 'VACCINATOR' | 'VERIFIER' | 'OBSERVER';

export type TeamStep = 'VERIFY' | 'VACCINATE' | 'OBSERVE';
export const TEAM_STEPS: readonly TeamStep[] = ['VERIFY', 'VACCINATE', 'OBSERVE'];

/** What matters about a team for the rota: whether it has its own verifier and observer. */
export interface TeamShape {
  hasVerifier: boolean;
  hasObserver: boolean;
}

export function shapeOf(teamRoles: readonly TeamRole[]): TeamShape {
  return { hasVerifier: teamRoles.includes('VERIFIER'), hasObserver: teamRoles.includes('OBSERVER') };
}

/** The team role that takes `step` in a team of this shape. */
export function whoTakes(step: TeamStep, team: TeamShape): TeamRole {
  switch (step) {
    case 'VERIFY':
      return team.hasVerifier ? 'VERIFIER' : 'VACCINATOR';
    case 'VACCINATE':
      return 'VACCINATOR';
    case 'OBSERVE':
      return team.hasObserver ? 'OBSERVER' : 'VACCINATOR';
  }
}

/** The steps a member with `role` takes in a team of this shape (none for a role the team rota leaves idle). */
export function stepsOf(role: TeamRole, team: TeamShape): TeamStep[] {
  return TEAM_STEPS.filter((step) => whoTakes(step, team) === role);
}

const STEP_TEXT: Record<TeamStep, string> = {
  VERIFY: 'checking identity at the door',
  VACCINATE: 'recording doses',
  OBSERVE: 'watching vaccinated people for 30 minutes and reporting adverse events',
};

/** Why a member with `role` may not take `step`; undefined when they may. */
export function stepRefusal(step: TeamStep, role: TeamRole, team: TeamShape): string | undefined {
  const taker = whoTakes(step, team);
  if (taker === role) return undefined;
  const mine = stepsOf(role, team);
  return `${STEP_TEXT[step]} is the ${taker.toLowerCase()}'s step at this session day; you are its ${role.toLowerCase()}${
    mine.length ? ` (your step: ${mine.map((s) => STEP_TEXT[s]).join('; ')})` : ''
  }`;
}
