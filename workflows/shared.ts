/**
 * What the API and the worker agree on: task queue, workflow ids, message definitions and DTOs.
 * Imported by workflow code, so it must stay free of Node-only imports.
 */
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
