/**
 * Colours and sizes of the war-room map, in one place so the legend and the map can never disagree.
 * Coverage uses a sequential scale that reads on a dark wall screen and for red–green colour blindness
 * (dark purple → teal → bright yellow-green, after viridis); "no data" is a neutral grey, never a scale colour.
 */

export interface ColourStop {
  /** Lower bound of the band, as a percentage of the target population. */
  from: number;
  colour: string;
  label: string;
}

/** Bands of coverage (percent of the target population). */
export const COVERAGE_STOPS: readonly ColourStop[] = [
  { from: 0, colour: '#3b1f5c', label: '< 10%' },
  { from: 10, colour: '#3d4a8a', label: '10–25%' },
  { from: 25, colour: '#2a7b8e', label: '25–40%' },
  { from: 40, colour: '#22a884', label: '40–55%' },
  { from: 55, colour: '#5ec962', label: '55–70%' },
  { from: 70, colour: '#b5de2b', label: '70–85%' },
  { from: 85, colour: '#fde725', label: '≥ 85%' },
];

export const NO_DATA_COLOUR = '#4b5563';

/** Percentage (0–100, may exceed 100 when the demo target is low) of `done` against `target`; undefined without a target. */
export function coveragePercent(done: number, target: number | null | undefined): number | undefined {
  if (!target || target <= 0 || !Number.isFinite(done)) return undefined;
  return (Math.max(0, done) / target) * 100;
}

export function coverageColour(percent: number | undefined): string {
  if (percent === undefined || Number.isNaN(percent)) return NO_DATA_COLOUR;
  let colour = COVERAGE_STOPS[0]!.colour;
  for (const stop of COVERAGE_STOPS) if (percent >= stop.from) colour = stop.colour;
  return colour;
}

/** Text colour that stays readable on top of a coverage colour (light text on the dark half of the scale). */
export function textOnCoverage(percent: number | undefined): string {
  return percent !== undefined && percent >= 40 ? '#0b1117' : '#ffffff';
}

/** Throughput markers stay small: they sit on the district's coverage fill and must not hide it. */
export const MIN_RADIUS_PX = 3;
export const MAX_RADIUS_PX = 9;

/**
 * Marker radius for a district's doses this hour. Area (not radius) is proportional to the rate, so a district
 * doing four times the doses looks four times as big, not sixteen; the scale is relative to the busiest district
 * shown so one wall view always uses the full range. No doses → the smallest dot (the map draws none).
 */
export function rateRadius(dosesPerHour: number, busiest: number): number {
  if (!(dosesPerHour > 0) || !(busiest > 0)) return MIN_RADIUS_PX;
  const share = Math.min(1, dosesPerHour / busiest);
  return MIN_RADIUS_PX + (MAX_RADIUS_PX - MIN_RADIUS_PX) * Math.sqrt(share);
}

/** Series colours of the charts (one config for every chart). */
export const SERIES_COLOURS = {
  dose1: '#4fc3f7',
  fullyVaccinated: '#b5de2b',
  doses: '#ffb74d',
  plan: '#9aa5b1',
  stalled: '#ff6b6b',
} as const;
