import type { Static } from 'typebox';
import type { Health, Ready } from '../../../api/schemas/health';
import { apiGet, ApiError } from './client';

/** What /api/health answers (api/schemas/health.ts). */
export type HealthResponse = Static<typeof Health>;

/**
 * What the public /ready says: ready (Postgres and Temporal answer) or not. It never says which dependency fails or
 * why; operators read that in the API's log and as teeka_dependency_up on /metrics.
 */
export interface Readiness {
  ready: boolean;
}

export function fetchHealth(signal?: AbortSignal): Promise<HealthResponse> {
  return apiGet<HealthResponse>('/api/health', { signal });
}

export async function fetchReadiness(signal?: AbortSignal): Promise<Readiness> {
  try {
    await apiGet<Static<typeof Ready>>('/api/ready', { signal });
    return { ready: true };
  } catch (error) {
    // 503 "not ready" is an expected answer here, not a failed check.
    if (error instanceof ApiError && error.status === 503 && saysNotReady(error.body)) return { ready: false };
    throw error;
  }
}

function saysNotReady(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'not ready';
}
