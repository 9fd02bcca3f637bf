import { describe, expect, it } from 'vitest';
import { indiaInstant } from '../../domain/time.js';
import { minutesLeftInIndiaDay, minutesToMidnight, openNowHours } from './india-day.js';

const at = (time: string) => indiaInstant('2026-12-06', time);

describe('session hours for tests', () => {
  it('keep the wanted closing time when it is far enough, and move it past now late in the evening', () => {
    expect(openNowHours({}, at('09:15'))).toEqual({ date: '2026-12-06', opensAt: '00:00:00', closesAt: '23:59:00' });
    expect(openNowHours({ closesAt: '23:00:00' }, at('17:59'))).toMatchObject({ closesAt: '23:00:00' });
    expect(openNowHours({ closesAt: '23:00:00' }, at('23:29:10'))).toMatchObject({ closesAt: '23:35:00' });
    expect(openNowHours({ closesAt: '23:00:00', minutesOpen: 20 }, at('22:50'))).toMatchObject({
      closesAt: '23:10:00',
    });
  });

  it('belong to the India date, not the UTC one', () => {
    // 02:50 in India is still the previous day in UTC.
    expect(openNowHours({}, indiaInstant('2026-12-07', '02:50'))).toMatchObject({ date: '2026-12-07' });
  });

  it('say how far midnight is, and refuse hours that would have to cross it', () => {
    expect(minutesLeftInIndiaDay(at('23:45'))).toBe(15);
    expect(minutesToMidnight({ date: '2026-12-06', opensAt: '00:00:00', closesAt: '23:35:00' })).toBe(25);
    expect(() => openNowHours({}, at('23:56'))).toThrow(/midnight is too close/);
  });
});
