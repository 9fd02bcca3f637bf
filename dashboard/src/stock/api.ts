/** Vaccine batches and stock: the registry, a session day's stock, tomorrow's stock of a district. */
import type { Static } from 'typebox';
import type * as schemas from '../../../api/schemas/vaccine-batches';
import type * as storeSchemas from '../../../api/schemas/site-stores';
import type * as precautionSchemas from '../../../api/schemas/precaution-intervals';
import { apiGet, apiRequest } from '../api/client';

// The server's own route schemas: a change there that these screens do not follow fails their build.
export type BatchView = Static<typeof schemas.BatchView>;
export type StockLine = Static<typeof schemas.StockLine>;
export type SessionStock = Static<typeof schemas.SessionStock>;
export type TomorrowStock = Static<typeof schemas.TomorrowStock>;
export type BatchInput = Static<typeof schemas.BatchBody>;
export type BatchPatch = Static<typeof schemas.BatchPatch>;
export type PrecautionIntervalView = Static<typeof precautionSchemas.PrecautionIntervalView>;
export type PrecautionIntervalChange = Static<typeof precautionSchemas.PrecautionIntervalBody>;
export type PrecautionGroupIntervalChange = Static<typeof precautionSchemas.PrecautionGroupIntervalBody>;

/** The vaccines the drive gives (db/seed.ts), as officers pick them. */
export const VACCINE_CODES = ['COVISHIELD', 'COVAXIN', 'SPUTNIK V'];

export function readBatches(token: string, vaccineCode?: string) {
  const query = vaccineCode ? `?vaccineCode=${encodeURIComponent(vaccineCode)}` : '';
  return apiGet<{ batches: BatchView[] }>(`/api/v1/vaccine-batches${query}`, { token });
}

export function registerBatch(input: BatchInput, token: string) {
  return apiRequest<BatchView>('/api/v1/vaccine-batches', { method: 'POST', body: input, token });
}

export function correctBatch(batchId: string, patch: BatchPatch, token: string) {
  return apiRequest<BatchView>(`/api/v1/vaccine-batches/${batchId}`, { method: 'PATCH', body: patch, token });
}

export function readSessionStock(sessionDayId: string, token: string) {
  return apiGet<SessionStock>(`/api/v1/session-days/${sessionDayId}/stock`, { token });
}

export function issueStock(sessionDayId: string, batchId: string, vialsIssued: number, token: string) {
  return apiRequest<SessionStock>(`/api/v1/session-days/${sessionDayId}/stock/${batchId}`, {
    method: 'PUT',
    body: { vialsIssued },
    token,
  });
}

export function readTomorrowStock(districtId: number, token: string) {
  return apiGet<TomorrowStock>(`/api/v1/districts/${districtId}/stock/tomorrow`, { token });
}

// Sites' stores (api/schemas/site-stores.ts).
export type SiteStore = Static<typeof storeSchemas.SiteStore>;
export type StoreBatch = Static<typeof storeSchemas.StoreBatch>;
export type StoreMovement = Static<typeof storeSchemas.StoreMovement>;
export type DistrictStores = Static<typeof storeSchemas.DistrictStores>;
export type ReceiptInput = Static<typeof storeSchemas.ReceiptBody>;
export type DiscardInput = Static<typeof storeSchemas.DiscardBody>;
type MovementAnswer = Static<typeof storeSchemas.MovementAnswer>;

export function readSiteStore(siteId: number, token: string) {
  return apiGet<SiteStore>(`/api/v1/sites/${siteId}/store`, { token });
}

export function readDistrictStores(districtId: number, token: string) {
  return apiGet<DistrictStores>(`/api/v1/districts/${districtId}/stores`, { token });
}

export function recordReceipt(siteId: number, input: ReceiptInput, token: string) {
  return apiRequest<MovementAnswer>(`/api/v1/sites/${siteId}/store/receipts`, { method: 'POST', body: input, token });
}

export function recordDiscard(siteId: number, input: DiscardInput, token: string) {
  return apiRequest<MovementAnswer>(`/api/v1/sites/${siteId}/store/discards`, { method: 'POST', body: input, token });
}

export function readPrecautionIntervals(token: string) {
  return apiGet<{ intervals: PrecautionIntervalView[] }>('/api/v1/precaution-intervals', { token });
}

export function setPrecautionInterval(vaccineCode: string, change: PrecautionIntervalChange, token: string) {
  return apiRequest<PrecautionIntervalView>(`/api/v1/precaution-intervals/${encodeURIComponent(vaccineCode)}`, {
    method: 'PUT',
    body: change,
    token,
  });
}

/** A priority group's own interval for a vaccine; `afterDays: null`: the group follows the vaccine's again. */
export function setPrecautionGroupInterval(
  vaccineCode: string,
  group: string,
  change: PrecautionGroupIntervalChange,
  token: string,
) {
  return apiRequest<PrecautionIntervalView>(
    `/api/v1/precaution-intervals/${encodeURIComponent(vaccineCode)}/groups/${encodeURIComponent(group)}`,
    { method: 'PUT', body: change, token },
  );
}
