/** The pure stage machine, on every stage × event pair. */
import { describe, expect, it } from 'vitest';
import {
  bookableDose,
  bookedDose,
  FINAL_STAGES,
  nextStage,
  STAGES,
  type JourneyEvent,
  type Stage,
} from '../../domain/journey-state.js';

const EVENTS: JourneyEvent[] = [
  { type: 'OTP_VERIFIED' },
  { type: 'OTP_EXPIRED' },
  { type: 'BOOKED', dose: 1 },
  { type: 'BOOKED', dose: 2 },
  { type: 'RESCHEDULED', dose: 1 },
  { type: 'RESCHEDULED', dose: 2 },
  { type: 'CANCELLED', dose: 1 },
  { type: 'CANCELLED', dose: 2 },
  { type: 'NO_SHOW', dose: 1 },
  { type: 'NO_SHOW', dose: 2 },
  { type: 'SESSION_CANCELLED', dose: 1 },
  { type: 'SESSION_CANCELLED', dose: 2 },
  { type: 'DOSE_ADMINISTERED', dose: 1, totalDoses: 2 },
  { type: 'DOSE_ADMINISTERED', dose: 2, totalDoses: 2 },
  { type: 'DOSE_ADMINISTERED', dose: 1, totalDoses: 1 },
  { type: 'BOOKED', dose: 3 },
  { type: 'RESCHEDULED', dose: 3 },
  { type: 'CANCELLED', dose: 3 },
  { type: 'NO_SHOW', dose: 3 },
  { type: 'SESSION_CANCELLED', dose: 3 },
  { type: 'DOSE_ADMINISTERED', dose: 3, totalDoses: 2 },
  { type: 'WITHDRAWN' },
];

const key = (e: JourneyEvent) =>
  `${e.type}${'dose' in e ? `:${e.dose}` : ''}${'totalDoses' in e ? `/${e.totalDoses}` : ''}`;

/** Every allowed transition; anything not listed must be refused. */
const ALLOWED: Record<string, Stage> = {
  'REGISTERED|OTP_VERIFIED': 'VERIFIED',
  'REGISTERED|OTP_EXPIRED': 'EXPIRED',
  'REGISTERED|WITHDRAWN': 'WITHDRAWN',
  'VERIFIED|BOOKED:1': 'DOSE1_BOOKED',
  'VERIFIED|DOSE_ADMINISTERED:1/2': 'DOSE1_DONE',
  'VERIFIED|DOSE_ADMINISTERED:1/1': 'FULLY_VACCINATED',
  'VERIFIED|WITHDRAWN': 'WITHDRAWN',
  'DOSE1_BOOKED|RESCHEDULED:1': 'DOSE1_BOOKED',
  'DOSE1_BOOKED|CANCELLED:1': 'VERIFIED',
  'DOSE1_BOOKED|NO_SHOW:1': 'VERIFIED',
  'DOSE1_BOOKED|SESSION_CANCELLED:1': 'VERIFIED',
  'DOSE1_BOOKED|DOSE_ADMINISTERED:1/2': 'DOSE1_DONE',
  'DOSE1_BOOKED|DOSE_ADMINISTERED:1/1': 'FULLY_VACCINATED',
  'DOSE1_BOOKED|WITHDRAWN': 'WITHDRAWN',
  'DOSE1_DONE|BOOKED:2': 'DOSE2_BOOKED',
  'DOSE1_DONE|DOSE_ADMINISTERED:2/2': 'FULLY_VACCINATED',
  'DOSE2_BOOKED|RESCHEDULED:2': 'DOSE2_BOOKED',
  'DOSE2_BOOKED|CANCELLED:2': 'DOSE1_DONE',
  'DOSE2_BOOKED|NO_SHOW:2': 'DOSE1_DONE',
  'DOSE2_BOOKED|SESSION_CANCELLED:2': 'DOSE1_DONE',
  'DOSE2_BOOKED|DOSE_ADMINISTERED:2/2': 'FULLY_VACCINATED',
  // The precaution dose (Co-WIN's dose 3) after a two-dose schedule.
  'FULLY_VACCINATED|BOOKED:3': 'PRECAUTION_BOOKED',
  'FULLY_VACCINATED|DOSE_ADMINISTERED:3/2': 'PRECAUTION_DONE',
  'PRECAUTION_BOOKED|RESCHEDULED:3': 'PRECAUTION_BOOKED',
  'PRECAUTION_BOOKED|CANCELLED:3': 'FULLY_VACCINATED',
  'PRECAUTION_BOOKED|NO_SHOW:3': 'FULLY_VACCINATED',
  'PRECAUTION_BOOKED|SESSION_CANCELLED:3': 'FULLY_VACCINATED',
  'PRECAUTION_BOOKED|DOSE_ADMINISTERED:3/2': 'PRECAUTION_DONE',
};

describe('journey stage machine', () => {
  for (const stage of STAGES) {
    for (const event of EVENTS) {
      const expected = ALLOWED[`${stage}|${key(event)}`];
      it(`${stage} + ${key(event)} → ${expected ?? 'refused'}`, () => {
        const result = nextStage(stage, event);
        if (expected) {
          expect(result).toEqual({ ok: true, stage: expected });
        } else {
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.reason).toMatch(new RegExp(`stage ${stage}`));
        }
      });
    }
  }

  it('lists no transition out of a final stage', () => {
    for (const entry of Object.keys(ALLOWED)) expect(FINAL_STAGES.has(entry.split('|')[0] as Stage)).toBe(false);
  });

  it('knows which dose is bookable and which is booked at each stage', () => {
    expect(STAGES.map((s) => [s, bookableDose(s) ?? null, bookedDose(s) ?? null])).toEqual([
      ['REGISTERED', null, null],
      ['VERIFIED', 1, null],
      ['EXPIRED', null, null],
      ['DOSE1_BOOKED', null, 1],
      ['DOSE1_DONE', 2, null],
      ['DOSE2_BOOKED', null, 2],
      ['FULLY_VACCINATED', 3, null],
      ['PRECAUTION_BOOKED', null, 3],
      ['PRECAUTION_DONE', null, null],
      ['WITHDRAWN', null, null],
    ]);
  });
});
