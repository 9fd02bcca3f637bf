import { describe, expect, it } from 'vitest';
import type { SessionOffer } from './api';
import { bookableOffers, firstSearchDate, requiredVaccine, type SearchTarget } from './slot-search';

const offer = (overrides: Partial<SessionOffer>): SessionOffer => ({
  sessionDayId: 'day',
  date: '2026-12-20',
  vaccineCode: 'COVISHIELD',
  minAge: 18,
  maxAge: null,
  status: 'PLANNED',
  dose1Available: 5,
  dose2Available: 5,
  opensAt: '09:00:00',
  closesAt: '17:00:00',
  slots: [],
  phases: [],
  site: {
    id: 1,
    name: 'PHC',
    address: 'Main road',
    block: 'Haveli',
    pincode: 411001,
    lat: 18.52,
    lng: 73.85,
    ownership: 'GOVERNMENT',
    feeInr: 0,
    districtId: 363,
    districtName: 'Pune',
    stateId: 27,
    stateName: 'Maharashtra',
  },
  ...overrides,
});

const dose2: SearchTarget = {
  dose: 2,
  person: {
    birthYear: 1980,
    comorbidity: false,
    priorityGroup: null,
    nextDoseDueOn: '2026-12-18',
    doses: [{ dose: 1, vaccineCode: 'COVISHIELD', batch: 'B1', date: '2026-09-25', siteName: 'PHC' }],
  },
};
const dose1: SearchTarget = {
  dose: 1,
  person: { birthYear: 1980, comorbidity: false, priorityGroup: null, nextDoseDueOn: null, doses: [] },
};

describe('slot search for a dose', () => {
  it('starts a second dose on the day its window opens, and a first dose today', () => {
    expect(firstSearchDate(dose2, '2026-12-07')).toBe('2026-12-18');
    expect(firstSearchDate(dose2, '2026-12-19')).toBe('2026-12-19');
    expect(firstSearchDate(dose1, '2026-12-07')).toBe('2026-12-07');
  });

  it("offers a second dose only of the first dose's vaccine, inside its window, with a dose-2 seat", () => {
    expect(requiredVaccine(dose2)).toBe('COVISHIELD');
    const offers = [
      offer({ sessionDayId: 'fits' }),
      offer({ sessionDayId: 'other-vaccine', vaccineCode: 'COVAXIN' }),
      offer({ sessionDayId: 'too-early', date: '2026-12-17' }),
      offer({ sessionDayId: 'no-dose-2-seat', dose2Available: 0 }),
    ];
    expect(bookableOffers(offers, dose2).map((o) => o.sessionDayId)).toEqual(['fits']);
  });

  it('offers a first dose of any vaccine, only at sessions for the age and with a dose-1 seat', () => {
    const offers = [
      offer({ sessionDayId: 'covaxin', vaccineCode: 'COVAXIN' }),
      offer({ sessionDayId: 'covishield' }),
      offer({ sessionDayId: 'for-60-plus', minAge: 60 }),
      offer({ sessionDayId: 'for-under-45', maxAge: 44 }),
      offer({ sessionDayId: 'no-dose-1-seat', dose1Available: 0 }),
    ];
    expect(bookableOffers(offers, dose1).map((o) => o.sessionDayId)).toEqual(['covaxin', 'covishield']);
  });

  it("offers only sessions whose state's phases take the person by then, and any session in a state with none", () => {
    const phases = [
      { name: 'Phase 1', opensOn: '2026-12-01', groups: ['HCW' as const], minAge: 18, maxAge: null },
      { name: 'Phase 3', opensOn: '2026-12-22', groups: ['GENERAL' as const], minAge: 18, maxAge: null },
    ];
    const offers = [
      offer({ sessionDayId: 'before-phase-3', phases }),
      offer({ sessionDayId: 'phase-3-open', date: '2026-12-22', phases }),
      offer({ sessionDayId: 'state-without-phases' }),
    ];
    expect(bookableOffers(offers, dose1).map((o) => o.sessionDayId)).toEqual(['phase-3-open', 'state-without-phases']);
    const worker = { ...dose1, person: { ...dose1.person, priorityGroup: 'HCW' as const } };
    expect(bookableOffers(offers, worker)).toHaveLength(3);
  });
});
