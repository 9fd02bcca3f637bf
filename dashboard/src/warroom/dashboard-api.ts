/**
 * The war-room API (GET /api/v1/dashboard/{national,states/:id,districts/:id} and the socket.io `snapshot`
 * message, which carries the same body) and its normalisation into the page's model (warroom/types.ts).
 */
import { apiGet } from '../api/client';
import type { WarRoomView } from '../auth/permissions';
import type { AreaStats, SessionRow, WarRoomSnapshot } from './types';
import type { DashboardBody, SessionLiveView } from '../../../api/schemas/dashboard';

// The server's own schemas (api/schemas/dashboard.ts): a change there that this page does not follow fails its build.
export type { DashboardBody, SessionLiveView };
type CoverageFigures = DashboardBody['totals'];

export function dashboardPath(view: WarRoomView): string {
  if (view.level === 'national') return '/api/v1/dashboard/national';
  if (view.level === 'state') return `/api/v1/dashboard/states/${view.id}`;
  return `/api/v1/dashboard/districts/${view.id}`;
}

export function roomOf(view: WarRoomView): string {
  return view.level === 'national' ? 'national' : `${view.level}:${view.id}`;
}

export async function fetchDashboard(view: WarRoomView, token: string, signal?: AbortSignal): Promise<WarRoomSnapshot> {
  return normaliseDashboard(await apiGet<DashboardBody>(dashboardPath(view), { token, signal }));
}

function areaRow(
  row: { id: number; name: string; dosesThisHour?: number; dosesToday?: number } & CoverageFigures,
): AreaStats {
  return {
    id: row.id,
    name: row.name,
    target: row.targetPopulation,
    targetIsDemo: row.targetIsDemo,
    dose1: row.dose1,
    fully: row.dose2,
    dosesToday: row.dosesToday ?? 0,
    dosesLastHour: row.dosesThisHour ?? 0,
  };
}

function stateRow(body: DashboardBody): AreaStats {
  return areaRow({
    id: body.scope.id!,
    name: body.scope.name,
    ...body.totals,
    dosesToday: body.kpis.dosesToday,
    dosesThisHour: body.kpis.dosesThisHour,
  });
}

export function sessionRow(view: SessionLiveView): SessionRow {
  return {
    sessionDayId: view.sessionDayId,
    siteName: view.siteName,
    districtId: view.districtId,
    districtName: view.districtName,
    status: view.status,
    dosesRecorded: view.vaccinated,
    booked: view.booked,
    capacity: view.capacity,
    lastDoseAt: view.lastDoseAt,
    lat: view.lat,
    lng: view.lng,
  };
}

export function normaliseDashboard(body: DashboardBody): WarRoomSnapshot {
  const rows = body.coverage.map(areaRow);
  const level = body.scope.kind;
  const kpis = {
    dosesToday: body.kpis.dosesToday,
    dosesThisHour: body.kpis.dosesThisHour,
    liveSessions: body.kpis.liveSessions,
    stalledSessions: body.kpis.stalledSessions,
    registrationsToday: body.kpis.registrationsToday ?? null,
  };
  const districts = level === 'national' ? (body.districts ?? []).map(areaRow) : rows;
  // A district view's one row is the district itself: its hour figure is the KPI.
  if (level === 'district')
    for (const row of districts)
      if (row.id === body.scope.id)
        Object.assign(row, { dosesToday: kpis.dosesToday, dosesLastHour: kpis.dosesThisHour });
  return {
    level,
    id: body.scope.id ?? undefined,
    name: body.scope.name,
    stateId: body.scope.stateId ?? undefined,
    generatedAt: body.asOf,
    kpis,
    coverage: {
      target: body.totals.targetPopulation,
      targetIsDemo: body.totals.targetIsDemo,
      dose1: body.totals.dose1,
      fully: body.totals.dose2,
      dosesToday: body.kpis.dosesToday,
      dosesLastHour: body.kpis.dosesThisHour,
    },
    // Below national level the map still colours the state's own shape: from the totals of a state view.
    states: level === 'national' ? rows : level === 'state' && body.scope.id !== null ? [stateRow(body)] : [],
    districts,
    sessions: (body.sessions ?? []).map(sessionRow),
    hourly: body.dosesPerHour.map((p) => ({ hour: p.hour, doses: p.doses })),
    cumulative: body.coverageByDay.map((d) => ({ date: d.date, dose1: d.dose1Cumulative, fully: d.dose2Cumulative })),
    stalled: body.stalledSessions.map(sessionRow),
  };
}
