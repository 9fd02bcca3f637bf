import { describe, expect, it } from 'vitest';
import {
  COVERAGE_STOPS,
  coverageColour,
  coveragePercent,
  MAX_RADIUS_PX,
  MIN_RADIUS_PX,
  NO_DATA_COLOUR,
  rateRadius,
  textOnCoverage,
} from './colour-scale';

describe('coverage colour scale', () => {
  it('gives each band its own colour and the band edges belong to the higher band', () => {
    expect(new Set(COVERAGE_STOPS.map((s) => s.colour)).size).toBe(COVERAGE_STOPS.length);
    expect(coverageColour(0)).toBe(COVERAGE_STOPS[0]!.colour);
    expect(coverageColour(9.99)).toBe(COVERAGE_STOPS[0]!.colour);
    expect(coverageColour(10)).toBe(COVERAGE_STOPS[1]!.colour);
    expect(coverageColour(84.9)).toBe(COVERAGE_STOPS[5]!.colour);
    expect(coverageColour(85)).toBe(COVERAGE_STOPS[6]!.colour);
    expect(coverageColour(140)).toBe(COVERAGE_STOPS[6]!.colour);
  });

  it('shows missing data as grey, never as zero coverage', () => {
    expect(coverageColour(undefined)).toBe(NO_DATA_COLOUR);
    expect(coverageColour(Number.NaN)).toBe(NO_DATA_COLOUR);
    expect(COVERAGE_STOPS.map((s) => s.colour)).not.toContain(NO_DATA_COLOUR);
  });

  it('computes coverage against the target and refuses a missing or zero target', () => {
    expect(coveragePercent(250, 1000)).toBe(25);
    expect(coveragePercent(250, 0)).toBeUndefined();
    expect(coveragePercent(250, null)).toBeUndefined();
    expect(coveragePercent(-5, 100)).toBe(0);
  });

  it('picks dark text on the light half of the scale', () => {
    expect(textOnCoverage(90)).toBe('#0b1117');
    expect(textOnCoverage(5)).toBe('#ffffff');
    expect(textOnCoverage(undefined)).toBe('#ffffff');
  });
});

describe('rate radius', () => {
  it('makes circle area, not radius, proportional to doses per hour', () => {
    const small = rateRadius(25, 100) - MIN_RADIUS_PX;
    const big = rateRadius(100, 100) - MIN_RADIUS_PX;
    expect(big / small).toBeCloseTo(2, 5);
    expect(rateRadius(100, 100)).toBe(MAX_RADIUS_PX);
  });

  it('gives quiet districts the smallest dot and never exceeds the maximum', () => {
    expect(rateRadius(0, 100)).toBe(MIN_RADIUS_PX);
    expect(rateRadius(5, 0)).toBe(MIN_RADIUS_PX);
    expect(rateRadius(500, 100)).toBe(MAX_RADIUS_PX);
  });
});
