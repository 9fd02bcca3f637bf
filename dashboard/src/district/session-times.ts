import { indiaClock } from '../format';
import type { SessionLiveView } from '../warroom/dashboard-api';

const EXTENSION_MINUTES = [30, 60, 90, 120];

/**
 * The extensions offered: the usual steps that end by midnight, and the time left until midnight when that is
 * less than the longest step (no session day runs past its date, so a later choice would only be refused).
 */
export function extensionChoices(live: SessionLiveView): number[] {
  const room = live.extendableMinutes;
  const choices = EXTENSION_MINUTES.filter((minutes) => minutes <= room);
  if (room > 0 && room < EXTENSION_MINUTES.at(-1)! && !choices.includes(room)) choices.push(room);
  return choices;
}

/** The closing time in force: the extension's once extended ('24:00' when that is midnight). */
export function closingTime(live: SessionLiveView): string {
  if (!live.extendedUntil) return live.closesAt.slice(0, 5);
  return live.extendableMinutes === 0 ? '24:00' : indiaClock(live.extendedUntil);
}
