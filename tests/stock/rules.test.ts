/** The batch rules a dose meets (domain/vaccine-batches.ts): pure, no services. */
import { describe, expect, it } from 'vitest';
import { canonicalBatchNumber, decideBatch, openVialWastage, type BatchFacts } from '../../domain/vaccine-batches.js';
import { expiryState, vialsBackOnCancel, vialsHeldBySession } from '../../domain/site-store.js';

const batch = (overrides: Partial<BatchFacts> = {}): BatchFacts => ({
  id: 'b1',
  vaccineCode: 'COVAXIN',
  batchNumber: 'CVX-2041',
  expiresOn: '2026-12-31',
  dosesPerVial: 20,
  ...overrides,
});

describe('the batch a dose names', () => {
  it('is good through its expiry date, India time, and refused the day after', () => {
    const dose = (at: string) => decideBatch('CVX-2041', [batch()], { vaccineCode: 'COVAXIN', at: new Date(at) });
    // 23:59 on 31 December in India is 18:29 UTC.
    expect(dose('2026-12-31T18:29:00Z')).toMatchObject({ ok: true });
    // 00:10 on 1 January in India is still 31 December in UTC: expired all the same.
    const after = dose('2026-12-31T18:40:00Z');
    expect(after).toMatchObject({ ok: false, code: 'BATCH_EXPIRED' });
    expect(after.ok === false && after.message).toBe(
      'batch CVX-2041 expired on 2026-12-31; the dose was given on 2027-01-01. Use an unexpired batch',
    );
  });

  it("must be of the session's vaccine, known, and complete", () => {
    const at = new Date('2026-12-01T06:00:00Z');
    expect(decideBatch('CVX-2041', [batch()], { vaccineCode: 'COVISHIELD', at })).toMatchObject({
      ok: false,
      code: 'BATCH_OF_ANOTHER_VACCINE',
    });
    expect(decideBatch('NOPE', [], { vaccineCode: 'COVAXIN', at })).toMatchObject({ ok: false, code: 'BATCH_UNKNOWN' });
    expect(
      decideBatch('CVX-2041', [batch({ expiresOn: null, dosesPerVial: null })], { vaccineCode: 'COVAXIN', at }),
    ).toMatchObject({ ok: false, code: 'BATCH_INCOMPLETE' });
    // The same number registered for two vaccines: the session's one is taken.
    const both = [batch({ id: 'x', vaccineCode: 'COVISHIELD' }), batch()];
    expect(decideBatch('CVX-2041', both, { vaccineCode: 'COVAXIN', at })).toMatchObject({
      ok: true,
      batch: { id: 'b1' },
    });
  });

  it('is matched as printed on the vial, whatever the case and spaces typed', () => {
    expect(canonicalBatchNumber(' cvx-2041 ')).toBe('CVX-2041');
  });
});

describe('open-vial wastage', () => {
  it('is the doses the opened vials held beyond those given', () => {
    expect(openVialWastage(3, 10, 27)).toBe(3);
    expect(openVialWastage(2, 20, 40)).toBe(0);
    expect(openVialWastage(1, 10, 12)).toBe(-2);
  });
});

describe("a site's store (domain/site-store.ts)", () => {
  it('warns of a batch from 7 days before its expiry, through its expiry date, and calls it expired after', () => {
    const today = '2026-12-07';
    expect(expiryState('2026-12-06', today)).toBe('EXPIRED');
    expect(expiryState('2026-12-07', today)).toBe('EXPIRING');
    expect(expiryState('2026-12-14', today)).toBe('EXPIRING');
    expect(expiryState('2026-12-15', today)).toBe('GOOD');
    expect(expiryState(null, today)).toBe('UNKNOWN');
  });

  it('counts what a session day holds of its store: all it was issued until closed with its vials counted', () => {
    expect(vialsHeldBySession({ vialsIssued: 5, vialsOpened: null, closed: false })).toBe(5);
    expect(vialsHeldBySession({ vialsIssued: 5, vialsOpened: 2, closed: true })).toBe(2);
    expect(vialsHeldBySession({ vialsIssued: 5, vialsOpened: null, closed: true })).toBe(5);
    // More opened than issued (a batch used but not issued): the day holds what it was issued, no more.
    expect(vialsHeldBySession({ vialsIssued: 1, vialsOpened: 3, closed: true })).toBe(1);
  });
});

describe('a cancelled session day', () => {
  it('gives back every vial of a batch none of its doses came from, and none of a batch it used', () => {
    expect(vialsBackOnCancel({ vialsHeld: 4, dosesGiven: 0 })).toBe(4);
    expect(vialsBackOnCancel({ vialsHeld: 4, dosesGiven: 1 })).toBe(0);
    expect(vialsBackOnCancel({ vialsHeld: 0, dosesGiven: 0 })).toBe(0);
  });
});
