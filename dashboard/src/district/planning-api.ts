import { ApiError, apiGet, apiPost, apiPostText } from '../api/client';
import type { PlannedDay } from './api';

export interface Site {
  id: number;
  name: string;
  nameHi: string | null;
  address: string;
  block: string;
  pincode: number;
  lat: number;
  lng: number;
  ownership: 'GOVERNMENT' | 'PRIVATE';
  feeInr: number;
  districtId: number;
  stateId: number;
}

export interface NewSite {
  districtId: number;
  name: string;
  address: string;
  block: string;
  pincode: number;
  lat: number;
  lng: number;
  ownership: 'GOVERNMENT' | 'PRIVATE';
  feeInr?: number;
}

export interface NewSessionDay {
  siteId: number;
  date: string;
  vaccineCode: string;
  minAge?: number;
  dose1Capacity: number;
  dose2Capacity: number;
  walkinCapacity?: number;
  opensAt: string;
  closesAt: string;
  slotMinutes?: number;
}

export interface ImportRowError {
  row: number;
  column?: string;
  message: string;
}

export type ImportOutcome = { ok: true; rows: number; created: number; dryRun: boolean } | { ok: false; message: string; errors: ImportRowError[] };

export async function fetchSites(districtId: number, token: string): Promise<Site[]> {
  return (await apiGet<{ sites: Site[] }>(`/api/v1/sites?districtId=${districtId}`, { token })).sites;
}

export function createSite(site: NewSite, token: string): Promise<Site> {
  return apiPost<Site>('/api/v1/sites', site, { token });
}

export function createSessionDay(day: NewSessionDay, token: string): Promise<PlannedDay> {
  return apiPost<PlannedDay>('/api/v1/session-days', day, { token });
}

/** Uploads a CSV; a 422 answer is not a failure here but the list of every row's problems. */
export async function importSessionDays(csv: string, token: string, dryRun: boolean): Promise<ImportOutcome> {
  try {
    const result = await apiPostText<{ rows: number; created: number; dryRun: boolean }>(`/api/v1/session-days/import${dryRun ? '?dry_run=true' : ''}`, csv, 'text/csv', { token });
    return { ok: true, ...result };
  } catch (error) {
    if (error instanceof ApiError && error.status === 422 && hasRowErrors(error.body)) return { ok: false, message: error.message, errors: error.body.errors };
    throw error;
  }
}

function hasRowErrors(body: unknown): body is { errors: ImportRowError[] } {
  return typeof body === 'object' && body !== null && Array.isArray((body as { errors?: unknown }).errors);
}

export const CSV_TEMPLATE = 'site_id,date,vaccine,min_age,max_age,dose1_capacity,dose2_capacity,walkin_capacity,opens_at,closes_at,slot_minutes\n';
