import { useSyncExternalStore } from 'react';

/**
 * A value kept in localStorage that React components can subscribe to. Other tabs' changes arrive through
 * the `storage` event, so signing out in one tab signs out everywhere.
 */
export function createStoredValue<T>(key: string) {
  const listeners = new Set<() => void>();
  let cachedRaw: string | null | undefined;
  let cachedValue: T | undefined;

  function read(): T | undefined {
    let raw: string | null = null;
    try {
      raw = window.localStorage.getItem(key);
    } catch {
      raw = null;
    }
    if (raw === cachedRaw) return cachedValue;
    cachedRaw = raw;
    try {
      cachedValue = raw === null ? undefined : (JSON.parse(raw) as T);
    } catch {
      cachedValue = undefined;
    }
    return cachedValue;
  }

  function write(value: T | undefined): void {
    try {
      if (value === undefined) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or blocked: the value lives for this page only.
      cachedRaw = undefined;
      cachedValue = value;
    }
    listeners.forEach((listener) => listener());
  }

  function subscribe(listener: () => void): () => void {
    listeners.add(listener);
    const onStorage = (event: StorageEvent) => {
      if (event.key === key) listener();
    };
    window.addEventListener('storage', onStorage);
    return () => {
      listeners.delete(listener);
      window.removeEventListener('storage', onStorage);
    };
  }

  function useValue(): T | undefined {
    return useSyncExternalStore(subscribe, read, () => undefined);
  }

  return { read, write, subscribe, useValue };
}
