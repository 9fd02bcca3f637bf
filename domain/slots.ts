import { minutesToTime, timeToMinutes } from './time.js';

export interface PlannedSlot {
  startsAt: string;
  endsAt: string;
  capacity: number;
  walkinCapacity: number;
}

/** Spreads `total` over `parts` as evenly as integers allow, earlier parts taking the remainder. */
function spread(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

/**
 * Divides a session day's hours into consecutive slots of `slotMinutes` (the last one shorter if the
 * hours do not divide evenly) that cover opensAt..closesAt exactly, with online and walk-in seats
 * spread evenly so that arrivals spread through the day.
 */
export function planSlots(input: {
  opensAt: string;
  closesAt: string;
  slotMinutes: number;
  onlineCapacity: number;
  walkinCapacity: number;
}): PlannedSlot[] {
  const open = timeToMinutes(input.opensAt);
  const close = timeToMinutes(input.closesAt);
  if (!(close > open)) throw new RangeError('closing time must be after opening time');
  if (!(input.slotMinutes >= 15 && input.slotMinutes <= close - open)) {
    throw new RangeError(`slot length must be between 15 minutes and the session's ${close - open} minutes`);
  }
  const bounds: Array<[number, number]> = [];
  for (let start = open; start < close; start += input.slotMinutes) {
    bounds.push([start, Math.min(start + input.slotMinutes, close)]);
  }
  const online = spread(input.onlineCapacity, bounds.length);
  const walkin = spread(input.walkinCapacity, bounds.length);
  return bounds.map(([start, end], i) => ({
    startsAt: minutesToTime(start),
    endsAt: minutesToTime(end),
    capacity: online[i],
    walkinCapacity: walkin[i],
  }));
}

/** The Co-WIN style label of a slot: "09:00AM-11:00AM". */
export function slotLabel(startsAt: string, endsAt: string): string {
  const fmt = (time: string) => {
    const minutes = timeToMinutes(time);
    const h24 = Math.floor(minutes / 60);
    const h12 = ((h24 + 11) % 12) + 1;
    return `${String(h12).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}${h24 < 12 ? 'AM' : 'PM'}`;
  };
  return `${fmt(startsAt)}-${fmt(endsAt)}`;
}
