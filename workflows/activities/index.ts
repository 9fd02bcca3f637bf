import type { ActivityDeps } from './deps.js';
import { createHealthActivities } from './health.js';
import { createJourneyActivities } from './journey.js';

export type { ActivityDeps } from './deps.js';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createHealthActivities(deps),
    ...createJourneyActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
