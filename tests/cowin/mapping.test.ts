/** The pure Co-WIN mappers: dates, shapes, localised fields and error codes. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../api/errors.js';
import type { AvailableSession } from '../../db/repositories/availability.js';
import {
  COWIN_ERRORS,
  cowinAnswerFor,
  parseCowinDate,
  slotIdForLabel,
  toCalendarCenters,
  toCowinBeneficiary,
  toCowinDate,
  toCowinDistricts,
  toCowinStates,
  toFlatSession,
  toNearbyCenter,
  toPublicReport,
  vaccinationStatus,
  vaccineKey,
  wantsHindi,
} from '../../api/services/cowin-mapping.js';

const site: AvailableSession['site'] = {
  id: 501,
  name: 'Kothrud Centre',
  nameHi: 'कोथरूड केंद्र',
  address: '12 Paud Road',
  block: 'Haveli',
  pincode: 411038,
  lat: 18.5074,
  lng: 73.8077,
  ownership: 'GOVERNMENT',
  feeInr: 0,
  districtId: 27024,
  districtName: 'Pune',
  districtNameHi: null,
  stateId: 27,
  stateName: 'Maharashtra',
  stateNameHi: 'महाराष्ट्र',
};

function session(overrides: Partial<AvailableSession> = {}): AvailableSession {
  return {
    sessionDayId: '0b8a6c1e-2f7d-4c59-9e0e-6f1c4d2a9b10',
    date: '2031-05-04',
    vaccineCode: 'COVISHIELD',
    minAge: 18,
    maxAge: null,
    status: 'OPEN',
    dose1Available: 7,
    dose2Available: 3,
    opensAt: '09:00:00',
    closesAt: '17:00:00',
    slots: [
      { slotId: 1, label: '09:00AM-11:00AM', startsAt: '09:00:00', endsAt: '11:00:00', available: 5 },
      { slotId: 2, label: '11:00AM-01:00PM', startsAt: '11:00:00', endsAt: '13:00:00', available: 5 },
    ],
    site,
    ...overrides,
  };
}

describe('dates', () => {
  it('reads DD-MM-YYYY and DD-MM-YY, refuses impossible dates', () => {
    expect(parseCowinDate('04-05-2031')).toBe('2031-05-04');
    expect(parseCowinDate('04-05-31')).toBe('2031-05-04');
    expect(parseCowinDate('29-02-2024')).toBe('2024-02-29');
    expect(parseCowinDate('29-02-2023')).toBeUndefined();
    expect(parseCowinDate('31-04-2031')).toBeUndefined();
    expect(parseCowinDate('2031-05-04')).toBeUndefined();
    expect(parseCowinDate('4-5-2031')).toBeUndefined();
  });

  it('writes DD-MM-YYYY', () => {
    expect(toCowinDate('2031-05-04')).toBe('04-05-2031');
  });
});

describe('Accept-Language', () => {
  it('asks for Hindi with hi_IN, hi-IN or hi, alone or among others', () => {
    for (const header of ['hi_IN', 'hi-IN', 'hi', 'en-US,hi;q=0.8', 'HI_in'])
      expect(wantsHindi(header), header).toBe(true);
    for (const header of [undefined, '', 'en_US', 'en-IN,en;q=0.9', 'hin'])
      expect(wantsHindi(header), String(header)).toBe(false);
  });
});

describe('shapes', () => {
  it('a flat session: centre and session fields together, pincode a number, fee a string, slots strings', () => {
    const flat = toFlatSession(session(), false);
    expect(flat).toEqual({
      center_id: 501,
      name: 'Kothrud Centre',
      address: '12 Paud Road',
      state_name: 'Maharashtra',
      district_name: 'Pune',
      block_name: 'Haveli',
      pincode: 411038,
      lat: 18.5074,
      long: 73.8077,
      from: '09:00:00',
      to: '17:00:00',
      fee_type: 'Free',
      session_id: '0b8a6c1e-2f7d-4c59-9e0e-6f1c4d2a9b10',
      date: '04-05-2031',
      available_capacity: 10,
      available_capacity_dose1: 7,
      available_capacity_dose2: 3,
      min_age_limit: 18,
      allow_all_age: true,
      vaccine: 'COVISHIELD',
      slots: ['09:00AM-11:00AM', '11:00AM-01:00PM'],
      fee: '0',
    });
  });

  it('an age band keeps max_age_limit and is not for all ages; a paid centre says Paid with its fee', () => {
    const flat = toFlatSession(
      session({ minAge: 45, maxAge: 60, site: { ...site, feeInr: 780, ownership: 'PRIVATE' } }),
      false,
    );
    expect(flat).toMatchObject({
      min_age_limit: 45,
      max_age_limit: 60,
      allow_all_age: false,
      fee_type: 'Paid',
      fee: '780',
    });
  });

  it('localised fields only with Hindi, falling back to the English name where we have no Hindi one', () => {
    expect(Object.keys(toFlatSession(session(), false)).filter((k) => k.endsWith('_l'))).toEqual([]);
    expect(toFlatSession(session(), true)).toMatchObject({
      name_l: 'कोथरूड केंद्र',
      state_name_l: 'महाराष्ट्र',
      district_name_l: 'Pune',
      block_name_l: 'Haveli',
      address_l: '12 Paud Road',
    });
    expect(toCowinStates([{ id: 27, name: 'Maharashtra', name_hi: 'महाराष्ट्र' }], true).states).toEqual([
      { state_id: 27, state_name: 'Maharashtra', state_name_l: 'महाराष्ट्र' },
    ]);
    expect(toCowinStates([{ id: 27, name: 'Maharashtra', name_hi: 'महाराष्ट्र' }], false)).toEqual({
      states: [{ state_id: 27, state_name: 'Maharashtra' }],
      ttl: 24,
    });
    expect(toCowinDistricts([{ id: 27024, name: 'Pune', name_hi: null }], true).districts).toEqual([
      { district_id: 27024, district_name: 'Pune', district_name_l: 'Pune' },
    ]);
  });

  it('the calendar shape groups sessions by centre, spans their hours and lists paid vaccines with a string fee', () => {
    const other = { ...site, id: 502, name: 'Paid Clinic', feeInr: 1410 };
    const centres = toCalendarCenters(
      [
        session({ sessionDayId: 'a', date: '2031-05-04', opensAt: '10:00:00', closesAt: '14:00:00' }),
        session({ sessionDayId: 'b', site: other, vaccineCode: 'COVAXIN' }),
        session({ sessionDayId: 'c', date: '2031-05-06', opensAt: '08:30:00', closesAt: '12:00:00' }),
        session({ sessionDayId: 'd', site: other, vaccineCode: 'SPUTNIK V' }),
      ],
      false,
    );
    expect(centres.map((c) => [c.center_id, c.from, c.to, c.sessions.map((s) => s.session_id)])).toEqual([
      [501, '08:30:00', '14:00:00', ['a', 'c']],
      [502, '09:00:00', '17:00:00', ['b', 'd']],
    ]);
    expect(centres[0]).not.toHaveProperty('vaccine_fees');
    expect(centres[1].vaccine_fees).toEqual([
      { vaccine: 'COVAXIN', fee: '1410' },
      { vaccine: 'SPUTNIK V', fee: '1410' },
    ]);
    expect(centres[0].sessions[0]).not.toHaveProperty('fee');
  });

  it('findByLatLong has pincode, lat and long as strings', () => {
    expect(toNearbyCenter(site, false)).toEqual({
      center_id: 501,
      name: 'Kothrud Centre',
      district_name: 'Pune',
      state_name: 'Maharashtra',
      location: '12 Paud Road',
      pincode: '411038',
      block_name: 'Haveli',
      lat: '18.5074',
      long: '73.8077',
    });
  });

  it('finds a slot by its Co-WIN string', () => {
    const slots = [
      { id: 7, startsAt: '09:00:00', endsAt: '11:00:00' },
      { id: 8, startsAt: '13:00:00', endsAt: '15:30:00' },
    ];
    expect(slotIdForLabel(slots, '01:00PM-03:30PM')).toBe(8);
    expect(slotIdForLabel(slots, '09:00am-11:00am')).toBe(7);
    expect(slotIdForLabel(slots, '11:00AM-01:00PM')).toBeUndefined();
  });

  it('a beneficiary: birth year a string, masked mobile, Y/N comorbidity, dose dates DD-MM-YYYY or ""', () => {
    const centres = new Map([['s1', { site, opensAt: '09:00:00', closesAt: '17:00:00' }]]);
    const person = {
      referenceId: '41234567890123',
      name: 'Meera Joshi',
      birthYear: 1985,
      gender: 'F' as const,
      idType: 1,
      idNumberMasked: 'XXXXXXXX4321',
      comorbidity: false,
      stage: 'DOSE1_DONE',
      vaccineCode: 'COVISHIELD',
      appointments: [
        {
          appointmentId: 'ap1',
          sessionDayId: 's1',
          dose: 1,
          date: '2031-05-04',
          slot: '09:00AM-11:00AM',
          status: 'COMPLETED',
        },
      ],
      doses: [{ dose: 1, date: '2031-05-04' }],
    };
    expect(toCowinBeneficiary(person, '9876543210', centres)).toEqual({
      beneficiary_reference_id: '41234567890123',
      name: 'Meera Joshi',
      birth_year: '1985',
      gender: 'Female',
      mobile_number: '******3210',
      photo_id_type: 'Aadhaar Card',
      photo_id_number: 'XXXXXXXX4321',
      comorbidity_ind: 'N',
      vaccination_status: 'Partially Vaccinated',
      vaccine: 'COVISHIELD',
      dose1_date: '04-05-2031',
      dose2_date: '',
      appointments: [
        {
          appointment_id: 'ap1',
          center_id: 501,
          name: 'Kothrud Centre',
          state_name: 'Maharashtra',
          district_name: 'Pune',
          block_name: 'Haveli',
          pincode: 411038,
          from: '09:00:00',
          to: '17:00:00',
          fee_type: 'Free',
          dose: 1,
          session_id: 's1',
          date: '04-05-2031',
          slot: '09:00AM-11:00AM',
        },
      ],
    });
    expect(vaccinationStatus('VERIFIED', 0)).toBe('Not Vaccinated');
    expect(vaccinationStatus('FULLY_VACCINATED', 2)).toBe('Vaccinated');
  });

  it('public report figures: per-vaccine keys beside the named counts', () => {
    expect(vaccineKey('SPUTNIK V')).toBe('sputnik_v');
    const report = toPublicReport(
      {
        doses: {
          total: 10,
          today: 2,
          dose1: 7,
          dose2: 3,
          byGender: { M: 4, F: 5, O: 1 },
          byVaccine: { COVISHIELD: 6, 'SPUTNIK V': 4 },
        },
        byAgeBand: { under_12: 0, '12_14': 0, '15_17': 1, '18_44': 5, '45_59': 3, '60_plus': 1 },
        byHour: [{ hour: '2031-05-03T18:30:00.000Z', doses: 2, dose1: 1, dose2: 1 }],
        last30Days: [{ date: '2031-05-04', doses: 2, dose1: 1, dose2: 1 }],
        aefi: { total: 1, last30Days: [{ date: '2031-05-04', reports: 1 }] },
        registrations: 12,
        sites: { total: 3, government: 2, private: 1, today: 1 },
        areas: [
          {
            id: 27,
            stateId: 27,
            stateName: 'Maharashtra',
            title: 'Maharashtra',
            today: 2,
            total: 10,
            fullyVaccinated: 3,
          },
        ],
      },
      new Date('2031-05-04T10:00:00Z'),
    );
    expect(report).toEqual({
      topBlock: {
        vaccination: {
          total: 10,
          today: 2,
          tot_dose_1: 7,
          tot_dose_2: 3,
          male: 4,
          female: 5,
          others: 1,
          aefi: 1,
          covishield: 6,
          sputnik_v: 4,
        },
        registration: { total: 12 },
        sites: { total: 3, govt: 2, pvt: 1, today: 1 },
      },
      vaccinationByAge: { total: 10, vac_12_14: 0, vac_15_17: 1, vac_18_45: 5, vac_45_60: 3, above_60: 1 },
      vaccinationDoneByTime: [{ ts: '2031-05-03T18:30:00.000Z', label: '00:00', count: 2, dose_one: 1, dose_two: 1 }],
      last30DaysVaccination: [{ vaccine_date: '2031-05-04', label: '04 May', total: 2, dose_1: 1, dose_2: 1 }],
      last30DaysAefi: [{ vaccine_date: '2031-05-04', label: '04 May', aefi: 1 }],
      getBeneficiariesGroupBy: [
        {
          id: 27,
          state_id: 27,
          state_name: 'Maharashtra',
          title: 'Maharashtra',
          today: 2,
          total: 10,
          totally_vaccinated: 3,
        },
      ],
      timestamp: '2031-05-04T10:00:00.000Z',
    });
  });
});

describe('errors', () => {
  const json = (error: Parameters<typeof cowinAnswerFor>[0]) => {
    const answer = cowinAnswerFor(error);
    return answer.kind === 'json' ? { status: answer.status, ...answer.body } : answer.kind;
  };

  it("a full session is 409 APPOIN0040 with Co-WIN's wording", () => {
    expect(json(new AppError('SESSION_FULL', 'no dose 1 seats left on this session day'))).toEqual({
      status: 409,
      errorCode: 'APPOIN0040',
      error:
        'This vaccination center is completely booked for the selected date. Please try another date or vaccination center.',
    });
  });

  it('a missing or bad token is the plain-text 401; a wrong OTP is 400 USRAUT0014', () => {
    expect(cowinAnswerFor(new AppError('UNAUTHENTICATED', 'authentication required'))).toEqual({
      kind: 'unauthenticated',
    });
    expect(json({ code: 'OTP_INVALID', message: 'wrong OTP; 2 tries left', statusCode: 401 })).toEqual({
      status: 400,
      errorCode: 'USRAUT0014',
      error: 'Invalid OTP',
    });
  });

  it('validation: missing → USRRES0001, bad pincode → APPOIN0018, others → USRRES9001', () => {
    expect(
      json({
        validation: [{ keyword: 'required', instancePath: '', params: { missingProperty: 'date' } }],
        validationContext: 'querystring',
      }),
    ).toEqual({
      status: 400,
      errorCode: 'USRRES0001',
      error: 'Input parameter missing',
    });
    expect(
      json({ validation: [{ keyword: 'pattern', instancePath: '/pincode' }], validationContext: 'querystring' }),
    ).toEqual({ status: 400, errorCode: 'APPOIN0018', error: 'Invalid Pincode' });
    expect(
      json({
        validation: [{ keyword: 'maximum', instancePath: '/gender_id' }],
        validationContext: 'body',
        message: 'body/gender_id must be <= 3',
      }),
    ).toEqual({
      status: 400,
      errorCode: 'USRRES9001',
      error: 'Invalid input: gender_id must be <= 3',
    });
  });

  it('our own refusals keep their message under a Teeka code; unknown ones go by status; 5xx hide details', () => {
    expect(json(new AppError('AGE_NOT_ELIGIBLE', 'this session is for ages 45+'))).toEqual({
      status: 400,
      errorCode: 'APPOIN9005',
      error: 'this session is for ages 45+',
    });
    expect(json({ code: 'SOMETHING_NEW', message: 'a new rule said no', statusCode: 409 })).toEqual({
      status: 409,
      errorCode: 'APPOIN9000',
      error: 'a new rule said no',
    });
    expect(json(new AppError('RATE_LIMITED', 'slow down'))).toMatchObject({
      status: 429,
      errorCode: 'USRRES9429',
    });
    expect(json(new Error('connection refused at 10.0.0.5'))).toEqual({
      status: 500,
      errorCode: 'SYSERR9500',
      error: COWIN_ERRORS.INTERNAL.error,
    });
  });

  it('every Co-WIN code partner apps match on keeps its status', () => {
    const cowin = Object.values(COWIN_ERRORS)
      .filter((e) => e.cowin)
      .map((e) => [e.errorCode, e.status]);
    expect(cowin).toEqual(
      expect.arrayContaining([
        ['USRRES0001', 400],
        ['APPOIN0018', 400],
        ['APPOIN0040', 409],
        ['USRAUT0014', 400],
      ]),
    );
  });
});
