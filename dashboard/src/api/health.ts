import { apiGet, ApiError } from './client';

export interface HealthResponse {
  status: 'ok';
  version: string;
  uptimeSeconds: number;
}

/** Each value is `'ok'` or `'error: <reason>'`. */
export type DependencyChecks = Record<string, string>;

export interface Readiness {
  ready: boolean;
  checks: DependencyChecks;
}

export function fetchHealth(signal?: AbortSignal): Promise<HealthResponse> {
  return apiGet<HealthResponse>('/api/health', { signal });
}

export async function fetchReadiness(signal?: AbortSignal): Promise<Readiness> {
  try {
    const body = await apiGet<{ checks: DependencyChecks }>('/api/ready', { signal });
    return { ready: true, checks: body.checks };
  } catch (error) {
    // 503 is an expected answer here: its body still says which dependency is failing.
    if (error instanceof ApiError && error.status === 503 && hasDependencyChecks(error.body)) {
      return { ready: false, checks: error.body.checks };
    }
    throw error;
  }
}

export function isCheckPassing(result: string): boolean {
  return result === 'ok';
}

function hasDependencyChecks(body: unknown): body is { checks: DependencyChecks } {
  if (typeof body !== 'object' || body === null || !('checks' in body)) return false;
  const { checks } = body;
  return (
    typeof checks === 'object' && checks !== null && Object.values(checks).every((value) => typeof value === 'string')
  );
}
