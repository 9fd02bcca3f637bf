import { describe, expect, it } from 'vitest';
import { indiaInstant } from '../../../domain/time';
import { flagsMissingVaccinator, possibleActions } from './session-actions';

describe('actions offered on a session card', () => {
  it('offers pause and close only to a running session, resume only to a paused one', () => {
    expect(possibleActions({ status: 'OPEN', extendableMinutes: 120 })).toEqual([
      'assign',
      'extend',
      'pause',
      'close',
      'cancel',
    ]);
    expect(possibleActions({ status: 'STALLED', extendableMinutes: 120 })).toEqual([
      'assign',
      'extend',
      'pause',
      'close',
      'cancel',
    ]);
    expect(possibleActions({ status: 'PAUSED', extendableMinutes: 120 })).toEqual([
      'assign',
      'extend',
      'resume',
      'close',
      'cancel',
    ]);
  });

  it('offers a session not open yet staffing, an extension and cancelling, nothing that needs it open', () => {
    expect(possibleActions({ status: 'PLANNED', extendableMinutes: 60 })).toEqual(['assign', 'extend', 'cancel']);
  });

  it('offers no extension once the day has no time left, and a closed session only its wastage report', () => {
    expect(possibleActions({ status: 'OPEN', extendableMinutes: 0 })).not.toContain('extend');
    expect(possibleActions({ status: 'CLOSED', extendableMinutes: 0 })).toEqual(['close']);
    expect(possibleActions({ status: 'CANCELLED', extendableMinutes: 0 })).toEqual([]);
  });
});

describe('a session with no vaccinator', () => {
  const live = { date: '2026-12-20', opensAt: '09:00:00', status: 'PLANNED' };
  const at = (time: string) => indiaInstant('2026-12-20', time);

  it('is flagged from an hour before it opens, and while it runs', () => {
    expect(flagsMissingVaccinator(live, 0, at('07:59'))).toBe(false);
    expect(flagsMissingVaccinator(live, 0, at('08:00'))).toBe(true);
    expect(flagsMissingVaccinator({ ...live, status: 'OPEN' }, 0, at('10:00'))).toBe(true);
  });

  it('is not flagged once someone is assigned, or when the session is over', () => {
    expect(flagsMissingVaccinator(live, 1, at('08:30'))).toBe(false);
    expect(flagsMissingVaccinator({ ...live, status: 'CLOSED' }, 0, at('18:00'))).toBe(false);
    expect(flagsMissingVaccinator({ ...live, status: 'CANCELLED' }, 0, at('08:30'))).toBe(false);
  });
});
