/** The district console's API calls: today's sessions (dashboard + planning lists), staff, and interventions. */
import type { Static } from 'typebox';
import type { InterventionAnswer } from '../../../api/schemas/interventions';
import type { PlannedDayView, StaffView } from '../../../api/schemas/planning';
import { apiGet, apiPost } from '../api/client';
import type { DashboardBody, SessionLiveView } from '../warroom/dashboard-api';

/** A session day as the planning API lists it (`GET /api/v1/session-days`): its plan, seats taken and team. */
export type PlannedDay = Static<typeof PlannedDayView>;
export type TeamMember = PlannedDay['team'][number];
/** A staff account as the planning API lists it (`GET /api/v1/staff`). */
export type StaffMember = Static<typeof StaffView>;

export function fetchDistrictDashboard(districtId: number, token: string): Promise<DashboardBody> {
  return apiGet<DashboardBody>(`/api/v1/dashboard/districts/${districtId}`, { token });
}

export async function fetchPlannedDays(districtId: number, token: string, date?: string): Promise<PlannedDay[]> {
  const query = new URLSearchParams({ districtId: String(districtId) });
  if (date) query.set('date', date);
  return (await apiGet<{ sessionDays: PlannedDay[] }>(`/api/v1/session-days?${query}`, { token })).sessionDays;
}

export async function fetchDistrictStaff(districtId: number, token: string): Promise<StaffMember[]> {
  return (
    await apiGet<{ staff: StaffMember[] }>(`/api/v1/staff?districtId=${districtId}&role=VACCINATOR&active=true`, {
      token,
    })
  ).staff;
}

export type Intervention =
  | { kind: 'extend'; minutes: number }
  | { kind: 'pause'; reason?: string }
  | { kind: 'resume' }
  | { kind: 'cancel'; reason: string; moveBookings?: boolean }
  | {
      kind: 'assign';
      staffId: string;
      teamRole: 'VACCINATOR' | 'VERIFIER' | 'OBSERVER';
      replacesStaffId?: string;
      moveFromOtherSession?: boolean;
    }
  | { kind: 'close'; wastage?: number; vials?: { batchId: string; vialsOpened: number }[] };

/** An intervention's answer (api/schemas/interventions.ts): the day's status after it, and any people moved. */
export type InterventionResult = Static<typeof InterventionAnswer>;

/** POST /session-days/:id/interventions/<kind>; replacing a team member goes through the planning API's replace. */
export async function intervene(
  sessionDayId: string,
  intervention: Intervention,
  token: string,
): Promise<InterventionResult> {
  if (intervention.kind === 'assign' && intervention.replacesStaffId) {
    await apiPost(
      `/api/v1/session-days/${sessionDayId}/assignments/${intervention.replacesStaffId}/replace`,
      { replacementStaffId: intervention.staffId },
      { token },
    );
    return apiGet<InterventionResult>(`/api/v1/session-days/${sessionDayId}/status`, { token });
  }
  const { kind, ...fields } = intervention;
  const body =
    kind === 'assign'
      ? {
          staffId: intervention.staffId,
          teamRole: intervention.teamRole,
          moveFromOtherSession: intervention.moveFromOtherSession,
        }
      : fields;
  return apiPost<InterventionResult>(`/api/v1/session-days/${sessionDayId}/interventions/${kind}`, body, { token });
}

/** A console row: the live view (status, pace) joined with the plan (team, no-shows) by session day id. */
export interface ConsoleSession {
  live: SessionLiveView;
  plan?: PlannedDay;
}

export function joinSessions(live: readonly SessionLiveView[], plans: readonly PlannedDay[]): ConsoleSession[] {
  const byId = new Map(plans.map((p) => [p.id, p]));
  return live.map((view) => ({ live: view, plan: byId.get(view.sessionDayId) }));
}

/** Pace as the console shows it: on plan, behind, far behind, or not started. */
export function paceVerdict(
  view: Pick<SessionLiveView, 'pace' | 'status'>,
): 'ahead' | 'on-plan' | 'behind' | 'far-behind' | 'not-started' {
  const ratio = view.pace.ratio;
  if (ratio === null) return 'not-started';
  if (ratio >= 1.1) return 'ahead';
  if (ratio >= 0.8) return 'on-plan';
  if (ratio >= 0.5) return 'behind';
  return 'far-behind';
}
