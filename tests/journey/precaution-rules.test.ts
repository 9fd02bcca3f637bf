/** The precaution dose's rules (domain/precaution.ts), with the facts given directly. */
import { describe, expect, it } from 'vitest';
import { doseLabel, precautionAfterDays, precautionRefusal, type PrecautionRule } from '../../domain/precaution.js';
import { indiaInstant } from '../../domain/time.js';

const rules: PrecautionRule[] = [
  { vaccineCode: 'COVAXIN', afterDays: 273 },
  { vaccineCode: 'COVAXIN', group: 'HCW', afterDays: 182 },
  { vaccineCode: 'COVISHIELD', afterDays: 273 },
];
const dose2 = { doseNumber: 2, vaccineCode: 'COVAXIN', administeredAt: indiaInstant('2026-01-10', '10:00') };

describe('precaution dose rules', () => {
  it("takes the interval of the person's group before the vaccine's, and none for a vaccine without one", () => {
    expect(precautionAfterDays(rules, { vaccineCode: 'COVAXIN' })).toBe(273);
    expect(precautionAfterDays(rules, { vaccineCode: 'COVAXIN', group: 'HCW' })).toBe(182);
    expect(precautionAfterDays(rules, { vaccineCode: 'COVAXIN', group: 'FLW' })).toBe(273);
    expect(precautionAfterDays(rules, { vaccineCode: 'SPUTNIK V' })).toBeUndefined();
  });

  it('is due on the interval after dose 2, of the same vaccine, and only after the full schedule', () => {
    const facts = { previous: dose2, primaryDoses: 2, rules };
    expect(precautionRefusal(facts, { date: '2026-10-10', vaccineCode: 'COVAXIN' })).toBeUndefined();
    expect(precautionRefusal(facts, { date: '2026-10-09', vaccineCode: 'COVAXIN' })).toEqual({
      code: 'PRECAUTION_NOT_DUE',
      message: 'the precaution dose of COVAXIN is due from 2026-10-10, 273 days after dose 2',
      details: { dueOn: '2026-10-10' },
    });
    expect(
      precautionRefusal({ ...facts, group: 'HCW' }, { date: '2026-07-11', vaccineCode: 'COVAXIN' }),
    ).toBeUndefined();
    expect(precautionRefusal(facts, { date: '2026-10-09', vaccineCode: 'COVISHIELD' })?.code).toBe('VACCINE_MISMATCH');
    expect(
      precautionRefusal(
        { ...facts, previous: { ...dose2, doseNumber: 1 } },
        { date: '2026-12-01', vaccineCode: 'COVAXIN' },
      )?.message,
    ).toBe('the precaution dose is given only after all 2 doses; 1 recorded');
    expect(precautionRefusal({ ...facts, primaryDoses: 1 }, { date: '2026-12-01', vaccineCode: 'COVAXIN' })?.code).toBe(
      'PRECAUTION_NOT_DUE',
    );
  });

  it('names the precaution dose on the certificate', () => {
    expect(doseLabel(2, 2)).toBe('2 of 2');
    expect(doseLabel(3, 2)).toBe('precaution');
  });
});
