/**
 * The current district list (GET /api/v1/geo/districts), which an admin's import of the current list can change
 * after the map data was generated. Pickers and the map use it; until it arrives, or when it cannot be read, they
 * use the generated list, so nothing waits on the network.
 */
import { useEffect, useState } from 'react';
import type { Static } from 'typebox';
import type { GeoDistricts } from '../../../api/schemas/geo';
import { apiGet } from '../api/client';
import type { MapDistrict } from './map-types';

export interface ListedDistrict extends MapDistrict {
  nameHi?: string | null;
}

let list: readonly ListedDistrict[] | undefined;
let pending: Promise<readonly ListedDistrict[]> | undefined;
const listeners = new Set<(districts: readonly ListedDistrict[]) => void>();

/** Reads the list once per page load; `fresh` reads it again (after an import) and tells every user of it. */
export function loadDistrictList(fresh = false): Promise<readonly ListedDistrict[]> {
  if (fresh || !pending) {
    pending = apiGet<Static<typeof GeoDistricts>>('/api/v1/geo/districts').then(({ districts }) => {
      list = districts;
      listeners.forEach((listener) => listener(districts));
      return districts;
    });
    // A failed read is tried again by the next page that asks.
    pending.catch(() => (pending = undefined));
  }
  return pending;
}

/** The current list, or `fallback` (the generated one) until it has been read. */
export function useDistrictList(fallback: readonly MapDistrict[]): readonly ListedDistrict[] {
  const [districts, setDistricts] = useState<readonly ListedDistrict[]>(list ?? fallback);
  useEffect(() => {
    listeners.add(setDistricts);
    if (list) setDistricts(list); // read between this render and now
    loadDistrictList().catch(() => {}); // offline: the generated list stands
    return () => void listeners.delete(setDistricts);
  }, []);
  return districts;
}
