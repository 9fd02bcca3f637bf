import type { Static } from 'typebox';
import type * as planning from '../../../api/schemas/planning';
import type * as schemas from '../../../api/schemas/priority-groups';
import { ApiError, apiGet, apiPostText, apiRequest } from '../api/client';

// The server's own route schemas: a change there that this screen does not follow fails its build.
export type StatePhases = Static<typeof schemas.StatePhases>;
export type PhaseInput = Static<typeof schemas.PhaseInput>;
export type PhaseGroup = Static<typeof schemas.PhaseGroup>;

export function readPhases(stateId: number, token: string) {
  return apiGet<StatePhases>(`/api/v1/states/${stateId}/eligibility-phases`, { token });
}

export function savePhases(stateId: number, phases: PhaseInput[], token: string) {
  return apiRequest<StatePhases>(`/api/v1/states/${stateId}/eligibility-phases`, {
    method: 'PUT',
    body: { phases },
    token,
  });
}

/** A row's problem in a refused worker list, and a list's answer, as the server's schemas say. */
export type ListRowError = Static<typeof planning.ImportRowError>;
export type WorkerListResult = Static<typeof schemas.PriorityListResult>;

export type WorkerListOutcome =
  ({ ok: true } & WorkerListResult) | { ok: false; message: string; errors: ListRowError[] };

/** Uploads a worker list (text/csv); a refused file answers its rows' problems instead of throwing. */
export async function uploadWorkerList(
  csv: string,
  group: 'HCW' | 'FLW',
  dryRun: boolean,
  token: string,
): Promise<WorkerListOutcome> {
  try {
    const result = await apiPostText<WorkerListResult>(
      `/api/v1/priority-lists/import?group=${group}${dryRun ? '&dry_run=true' : ''}`,
      csv,
      'text/csv',
      { token },
    );
    return { ok: true, ...result };
  } catch (error) {
    const body = error instanceof ApiError ? (error.body as { errors?: ListRowError[] } | undefined) : undefined;
    if (error instanceof ApiError && error.status === 422 && Array.isArray(body?.errors))
      return { ok: false, message: error.message, errors: body.errors };
    throw error;
  }
}

export const WORKER_LIST_TEMPLATE = 'name,birth_year,gender,mobile,id_type,id_number,comorbidity\n';
