import { describe, expect, it } from 'vitest';
import { formatDayMonth } from '../format';
import { coverageAsPercent, niceAxis } from './chart-scale';

describe('chart axes', () => {
  it('picks round steps and only the decimals they need', () => {
    expect(niceAxis(37)).toEqual({ max: 40, ticks: [0, 10, 20, 30, 40], digits: 0 });
    expect(niceAxis(7.3)).toEqual({ max: 8, ticks: [0, 2, 4, 6, 8], digits: 0 });
    expect(niceAxis(1.2)).toEqual({ max: 1.5, ticks: [0, 0.5, 1, 1.5], digits: 1 });
    expect(niceAxis(0.9)).toEqual({ max: 1, ticks: [0, 0.25, 0.5, 0.75, 1], digits: 2 });
    expect(niceAxis(100)).toEqual({ max: 100, ticks: [0, 25, 50, 75, 100], digits: 0 });
    expect(niceAxis(12_34_567).max).toBe(15_00_000);
  });

  it('gives an empty chart a plain 0–1 axis', () => {
    expect(niceAxis(0)).toEqual({ max: 1, ticks: [0, 1], digits: 0 });
  });

  it('draws coverage as a percentage only from 1% of a known target', () => {
    expect(coverageAsPercent(1000, 0.0004)).toBe(false);
    expect(coverageAsPercent(1000, 1)).toBe(true);
    expect(coverageAsPercent(0, 50)).toBe(false);
  });

  it('writes dates as dd MMM in India', () => {
    expect(formatDayMonth('2026-12-06')).toBe('06 Dec');
    expect(formatDayMonth('2026-01-31')).toBe('31 Jan');
  });
});
