/**
 * Carrying held seats over when a session day's slots are generated again with another slot length. A booked
 * person was told a time window; they move to a new slot that overlaps that window, so they are never asked to
 * come at a time they were not given. Old slots are taken in time order and each fills the earliest overlapping
 * new slot with room first: with windows in time order this greedy choice places every seat whenever any
 * placement could.
 */
import { timeToMinutes } from './time.js';

export interface SlotWindow {
  startsAt: string;
  endsAt: string;
}

export type SeatPlacement =
  | { ok: true; /** Per old slot, the index of the new slot taking each of its held seats. */ placed: number[][] }
  | { ok: false; /** The first old slot whose seats do not fit. */ index: number; held: number; room: number };

const overlaps = (a: SlotWindow, b: SlotWindow) =>
  timeToMinutes(a.startsAt) < timeToMinutes(b.endsAt) && timeToMinutes(b.startsAt) < timeToMinutes(a.endsAt);

/**
 * Places the `held` seats of each old slot on the new slots (`capacity` each). With `anywhere`, seats that do not
 * fit the overlapping slots take any slot with room (walk-in seats: the people were already vaccinated).
 */
export function placeHeldSeats(
  oldSlots: ReadonlyArray<SlotWindow & { held: number }>,
  newSlots: ReadonlyArray<SlotWindow & { capacity: number }>,
  options: { anywhere?: boolean } = {},
): SeatPlacement {
  const room = newSlots.map((s) => s.capacity);
  const order = oldSlots
    .map((_, i) => i)
    .sort((a, b) => timeToMinutes(oldSlots[a].startsAt) - timeToMinutes(oldSlots[b].startsAt));
  const placed: number[][] = oldSlots.map(() => []);
  for (const i of order) {
    const old = oldSlots[i];
    const near = newSlots.map((s, j) => j).filter((j) => overlaps(old, newSlots[j]));
    // Hours never change here, so every old window overlaps a new slot; were one outside them, it may go anywhere.
    const candidates = near.length ? near : newSlots.map((_, j) => j);
    const fallback = options.anywhere ? newSlots.map((_, j) => j) : [];
    for (let seat = 0; seat < old.held; seat++) {
      const j = candidates.find((c) => room[c] > 0) ?? fallback.find((c) => room[c] > 0);
      if (j === undefined) {
        return { ok: false, index: i, held: old.held, room: seat + candidates.reduce((sum, c) => sum + room[c], 0) };
      }
      room[j]--;
      placed[i].push(j);
    }
  }
  return { ok: true, placed };
}
