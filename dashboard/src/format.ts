/** Compact human duration: `42s`, `5m 3s`, `2h 15m`, `3d 4h 12m`. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  const remainingSeconds = seconds % 60;

  if (days > 0) return `${days}d ${hours}h ${minutes}m`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${remainingSeconds}s`;
  return `${remainingSeconds}s`;
}

export function formatClockTime(date: Date): string {
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

const indianNumber = new Intl.NumberFormat('en-IN');

/** 12,34,567 — Indian digit grouping, as the war room reads numbers. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return indianNumber.format(Math.round(value));
}

export function formatPercent(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  // A drive's first days are small fractions of a percent: show them rather than a flat 0.0%.
  if (value > 0 && value < 0.01) return '< 0.01%';
  if (value > 0 && value < 1) return `${value.toFixed(2)}%`;
  return `${value.toFixed(digits)}%`;
}

/** India clock time 'HH:MM' of an instant. */
export function indiaClock(at: string | Date): string {
  return new Date(at).toLocaleTimeString('en-IN', {
    timeZone: 'Asia/Kolkata',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

/** Minutes (rounded down) from an instant to now; undefined without an instant. */
export function minutesSince(at: string | null | undefined, now: Date = new Date()): number | undefined {
  if (!at) return undefined;
  return Math.max(0, Math.floor((now.getTime() - Date.parse(at)) / 60_000));
}

const compactIndian = new Intl.NumberFormat('en-IN', { notation: 'compact', maximumFractionDigits: 1 });

/** 1.2L, 3.4Cr — compact Indian units for chart axes. */
export function formatCompact(value: number): string {
  return compactIndian.format(value);
}

/** 'dd MMM' of an India date 'YYYY-MM-DD' in the language's locale (06 Dec, 06 दिस॰). */
export function formatDayMonth(date: string, locale = 'en-IN'): string {
  // Noon UTC of the date is the same date in India, whatever the browser's time zone.
  return new Date(`${date}T12:00:00Z`).toLocaleDateString(locale, {
    day: '2-digit',
    month: 'short',
    timeZone: 'Asia/Kolkata',
  });
}

/** India clock time 'HH:MM:SS' of an instant. */
export function indiaClockSeconds(at: string | Date): string {
  return new Date(at).toLocaleTimeString('en-IN', {
    timeZone: 'Asia/Kolkata',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}
