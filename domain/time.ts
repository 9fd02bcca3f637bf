/** Calendar dates shown to people are India's (Asia/Kolkata, UTC+05:30, no daylight saving). */
export const INDIA_TZ = 'Asia/Kolkata';
const IST_OFFSET_MS = 330 * 60_000;

/** 'YYYY-MM-DD' of the given instant in India. */
export function indiaDate(at: Date = new Date()): string {
  return new Date(at.getTime() + IST_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both 'YYYY-MM-DD'). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The instant at which a wall-clock time ('HH:MM[:SS]') on an India date occurs. */
export function indiaInstant(date: string, time: string): Date {
  const [h, m, s = '0'] = time.split(':');
  const utc = Date.parse(`${date}T00:00:00Z`) + ((+h * 60 + +m) * 60 + +s) * 1000;
  return new Date(utc - IST_OFFSET_MS);
}

/** The India wall-clock time ('HH:MM:SS') of an instant. */
export function indiaTime(at: Date): string {
  return new Date(at.getTime() + IST_OFFSET_MS).toISOString().slice(11, 19);
}

/** Start of the India clock hour an instant falls in (rollup buckets: date_trunc('hour', t, 'Asia/Kolkata')). */
export function indiaHourStart(at: Date = new Date()): Date {
  const dayStart = indiaInstant(indiaDate(at), '00:00');
  return new Date(dayStart.getTime() + Math.floor((at.getTime() - dayStart.getTime()) / 3_600_000) * 3_600_000);
}

/** 'HH:MM:SS' of minutes since midnight. */
export function minutesToTime(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
}

export function timeToMinutes(time: string): number {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
}
