/**
 * Axis scales for the war-room charts: round ticks (1, 2, 2.5 or 5 × a power of ten), labels with exactly the
 * decimals the step needs, and coverage as a percentage only once it is big enough to read as one.
 */

export interface AxisScale {
  /** Top of the axis: a whole number of steps at or above the largest value. */
  max: number;
  ticks: number[];
  /** Decimals the tick labels need. */
  digits: number;
}

/** Round ticks from 0 up to at least `largest`, about `count` of them. */
export function niceAxis(largest: number, count = 4): AxisScale {
  if (!(largest > 0) || !Number.isFinite(largest)) return { max: 1, ticks: [0, 1], digits: 0 };
  const raw = largest / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const multiple = [1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw)!;
  const step = multiple * magnitude;
  const steps = Math.ceil(largest / step - 1e-9);
  const digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (multiple === 2.5 ? 1 : 0));
  const round = (v: number) => Number(v.toFixed(Math.min(20, digits + 2)));
  const ticks = Array.from({ length: steps + 1 }, (_, i) => round(i * step));
  return { max: ticks[ticks.length - 1]!, ticks, digits };
}

/** Below this share of the target, coverage is drawn as people: "0.0004%" tells a war room nothing. */
export const PERCENT_AXIS_FROM = 1;

/** Whether to draw coverage as a percentage of the target (else as people), given the largest percentage. */
export function coverageAsPercent(target: number, largestPercent: number): boolean {
  return target > 0 && largestPercent >= PERCENT_AXIS_FROM;
}
