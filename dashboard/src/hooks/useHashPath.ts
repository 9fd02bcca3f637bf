import { useSyncExternalStore } from 'react';

/**
 * Current route from the URL hash (`#/status` → `/status`).
 * Hash routing needs no server-side fallback, so the built bundle works from any static host.
 */
export function useHashPath(defaultPath: string): string {
  const hash = useSyncExternalStore(subscribeToHashChange, readHash);
  const path = hash.replace(/^#/, '');
  return path === '' || path === '/' ? defaultPath : path;
}

export function hrefForPath(path: string): string {
  return `#${path}`;
}

function subscribeToHashChange(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function readHash(): string {
  return window.location.hash;
}
