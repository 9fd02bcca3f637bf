import type { Static } from 'typebox';
import type * as schemas from '../../../api/schemas/planning';
import { ApiError, apiGet, apiPost, apiPostText } from '../api/client';
import type { PlannedDay } from './api';

/** A vaccination site, a new one, and a new session day, as the planning API's schemas say. */
export type Site = Static<typeof schemas.SiteView>;
export type NewSite = Static<typeof schemas.NewSiteBody>;
export type NewSessionDay = Static<typeof schemas.NewSessionDayBody>;

/** A problem of a CSV row, as the server's schema says (a code the page words, and the English message). */
export type ImportRowError = Static<typeof schemas.ImportRowError>;

/** A session-day import's answer: the rows read and the session days created (none on a dry run). */
export type ImportOutcome = CsvOutcome<Static<typeof schemas.ImportResult>>;

export async function fetchSites(districtId: number, token: string): Promise<Site[]> {
  return (await apiGet<{ sites: Site[] }>(`/api/v1/sites?districtId=${districtId}`, { token })).sites;
}

export function createSite(site: NewSite, token: string): Promise<Site> {
  return apiPost<Site>('/api/v1/sites', site, { token });
}

export function createSessionDay(day: NewSessionDay, token: string): Promise<PlannedDay> {
  return apiPost<PlannedDay>('/api/v1/session-days', day, { token });
}

/** A CSV upload's answer: the import's result, or (422) every row's problems. */
export type CsvOutcome<T> = ({ ok: true } & T) | { ok: false; message: string; errors: ImportRowError[] };

/** Uploads a CSV; a 422 answer is not a failure here but the list of every row's problems. */
async function postCsv<T extends object>(
  path: string,
  csv: string,
  token: string,
  dryRun: boolean,
): Promise<CsvOutcome<T>> {
  try {
    const result = await apiPostText<T>(`${path}${dryRun ? '?dry_run=true' : ''}`, csv, 'text/csv', { token });
    return { ok: true, ...result };
  } catch (error) {
    if (error instanceof ApiError && error.status === 422 && hasRowErrors(error.body))
      return { ok: false, message: error.message, errors: error.body.errors };
    throw error;
  }
}

export function importSessionDays(csv: string, token: string, dryRun: boolean): Promise<ImportOutcome> {
  return postCsv<Static<typeof schemas.ImportResult>>('/api/v1/session-days/import', csv, token, dryRun);
}

function hasRowErrors(body: unknown): body is { errors: ImportRowError[] } {
  return typeof body === 'object' && body !== null && Array.isArray((body as { errors?: unknown }).errors);
}

export const CSV_TEMPLATE =
  'site_id,date,vaccine,min_age,max_age,dose1_capacity,dose2_capacity,walkin_capacity,opens_at,closes_at,slot_minutes\n';

// --- target populations (what war-room coverage is measured against)

/** A state's target populations, each district's, as the targets API says. */
export type DistrictTarget = Static<typeof schemas.DistrictTargetView>;
export type StateTargets = Static<typeof schemas.StateTargets>;
type TargetImportResult = Static<typeof schemas.TargetImportResult>;

export type TargetImportOutcome = CsvOutcome<TargetImportResult>;

export function fetchTargets(stateId: number, token: string): Promise<StateTargets> {
  return apiGet<StateTargets>(`/api/v1/targets?stateId=${stateId}`, { token });
}

export function importTargets(csv: string, token: string, dryRun: boolean): Promise<TargetImportOutcome> {
  return postCsv<TargetImportResult>('/api/v1/targets/import', csv, token, dryRun);
}

export const TARGETS_CSV_TEMPLATE = 'district_id,target_population\n';

// --- the current district list (api/routes/v1/district-import.ts)

/** A district list import's answer: districts added (or that would be), updated, and those the file left out. */
export type DistrictImportResult = Static<typeof schemas.DistrictImportResult>;

export function importDistrictList(csv: string, token: string, dryRun: boolean) {
  return postCsv<DistrictImportResult>('/api/v1/districts/import', csv, token, dryRun);
}

export const DISTRICTS_CSV_TEMPLATE = 'state_id,district_id,name,name_hi,lat,lng,target_population,pincodes\n';

/** The list as a file to edit: every district with its id, so a row changed keeps its district. */
export function districtListCsv(
  districts: ReadonlyArray<{
    id: number;
    stateId: number;
    name: string;
    nameHi?: string | null;
    lat: number;
    lng: number;
  }>,
): string {
  const field = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return (
    DISTRICTS_CSV_TEMPLATE +
    [...districts]
      .sort((a, b) => a.stateId - b.stateId || a.id - b.id)
      .map((d) => [d.stateId, d.id, field(d.name), field(d.nameHi ?? ''), d.lat, d.lng, '', ''].join(',') + '\n')
      .join('')
  );
}
