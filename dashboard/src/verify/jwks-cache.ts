/**
 * The published verification keys (/.well-known/jwks.json), fetched once and kept in localStorage so the
 * verify page checks signatures with no network. Refreshed when online and older than a day (keys rotate).
 */
import type { JSONWebKeySet } from 'jose';
import { apiGet } from '../api/client';

const KEY = 'teeka.jwks';
const MAX_AGE_MS = 24 * 3_600_000;

interface CachedJwks {
  jwks: JSONWebKeySet;
  fetchedAt: number;
}

export function cachedJwks(): CachedJwks | undefined {
  try {
    const raw = window.localStorage.getItem(KEY);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as CachedJwks;
    return Array.isArray(parsed?.jwks?.keys) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The cached key set; fetched first when there is none or it is stale (and the network allows). */
export async function loadJwks(): Promise<CachedJwks | undefined> {
  const cached = cachedJwks();
  if (cached && Date.now() - cached.fetchedAt < MAX_AGE_MS) return cached;
  try {
    const jwks = await apiGet<JSONWebKeySet>('/.well-known/jwks.json');
    const fresh = { jwks, fetchedAt: Date.now() };
    window.localStorage.setItem(KEY, JSON.stringify(fresh));
    return fresh;
  } catch {
    return cached;
  }
}
