/**
 * Slot searches are the hottest public read (notifier apps poll them). Identical searches within a couple of
 * seconds share one answer: a bounded LRU with a short TTL, where concurrent misses for the same key wait for
 * the same computation. Answers are cached as built for the client (mapped, localised), so a hit costs only
 * serialisation. Booking itself always reads live seats, so a cached count can never overbook.
 */
import { LRUCache } from 'lru-cache';

/** Returns the cached answer for `key`, computing it once per TTL however many callers ask at once. */
export type SharedAnswers = <T extends object>(key: string, compute: () => Promise<T>) => Promise<T>;

export function createSharedAnswers(ttlMs: number): SharedAnswers {
  if (ttlMs <= 0) return (_key, compute) => compute();
  const cache = new LRUCache<string, object, () => Promise<object>>({
    max: 5_000,
    ttl: ttlMs,
    fetchMethod: (_key, _stale, { context }) => context(),
  });
  return async <T extends object>(key: string, compute: () => Promise<T>) =>
    (await cache.fetch(key, { context: compute })) as T;
}
