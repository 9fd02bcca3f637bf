/** The war room's view of the data, whatever level it shows. API answers are normalised into this (warroom/api.ts). */

export type WarRoomLevel = 'national' | 'state' | 'district';

export interface AreaStats {
  id: number;
  name: string;
  /** Target population (adults); 0 when unknown. */
  target: number;
  /** The target is a demo figure, not an imported one: the UI must say so. */
  targetIsDemo: boolean;
  /** People with at least one dose. */
  dose1: number;
  /** People with every dose of their vaccine. */
  fully: number;
  dosesToday: number;
  dosesLastHour: number;
}

export interface SessionRow {
  sessionDayId: string;
  siteName: string;
  districtId: number;
  districtName: string;
  status: string;
  dosesRecorded: number;
  booked: number;
  capacity: number;
  /** ISO instant of the latest dose, null before the first. */
  lastDoseAt: string | null;
  lat?: number;
  lng?: number;
}

export interface HourPoint {
  /** ISO instant of the start of the hour. */
  hour: string;
  doses: number;
}

export interface CoveragePoint {
  /** India date 'YYYY-MM-DD'. */
  date: string;
  dose1: number;
  fully: number;
}

export interface Kpis {
  dosesToday: number;
  dosesThisHour: number;
  liveSessions: number;
  stalledSessions: number;
  /** Registrations carry no location: national only (null elsewhere). */
  registrationsToday: number | null;
}

export interface WarRoomSnapshot {
  level: WarRoomLevel;
  /** State or district id; absent at national level. */
  id?: number;
  name: string;
  /** State id of a district view (for the breadcrumb). */
  stateId?: number;
  generatedAt: string;
  kpis: Kpis;
  coverage: Omit<AreaStats, 'id' | 'name'>;
  /** National level: one row per state. */
  states: AreaStats[];
  /** National and state level: one row per district with any data or target. */
  districts: AreaStats[];
  /** District level (and optionally others): today's session days. */
  sessions: SessionRow[];
  hourly: HourPoint[];
  cumulative: CoveragePoint[];
  stalled: SessionRow[];
}
