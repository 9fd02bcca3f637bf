/**
 * Slot searches are the hottest public read (notifier apps poll them). Identical searches within a couple of
 * seconds share one database round trip: a bounded LRU with a short TTL, and concurrent misses for the same
 * key wait for the same fetch. Booking itself always reads live seats, so a cached count can never overbook.
 */
import { LRUCache } from 'lru-cache';
import type { Db } from '../../db/connection.js';
import { findAvailability, type AvailabilityQuery, type AvailableSession } from '../../db/repositories/availability.js';

export type AvailabilitySearch = (query: AvailabilityQuery) => Promise<AvailableSession[]>;

export function createAvailabilitySearch(db: Db, ttlMs: number): AvailabilitySearch {
  if (ttlMs <= 0) return (query) => findAvailability(db, query);
  const cache = new LRUCache<string, AvailableSession[], AvailabilityQuery>({
    max: 5_000,
    ttl: ttlMs,
    fetchMethod: (_key, _stale, { context }) => findAvailability(db, context),
  });
  return async (query) => (await cache.fetch(JSON.stringify(query), { context: query }))!;
}
