import type { Static } from 'typebox';
import type * as schemas from '../../../api/schemas/priority-groups';
import { apiGet, apiRequest } from '../api/client';

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
