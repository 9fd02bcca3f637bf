import type { ActivityDeps } from './deps.js';
import { createHealthActivities } from './health.js';
import { createJourneyActivities } from './journey.js';
import { createSessionDayActivities } from './session-day.js';

export type { ActivityDeps } from './deps.js';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createHealthActivities(deps),
    ...createJourneyActivities(deps),
    ...createSessionDayActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
