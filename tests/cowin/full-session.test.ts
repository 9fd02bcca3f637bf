/**
 * Partner auto-bookers race for the last seats. A v2 booking takes a seat through the same journey workflow
 * and conditional update as the portal, so a session never takes more people than it has seats, and every
 * extra attempt is told what Co-WIN told it: 409 APPOIN0040.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSessionDay, PUNE, uniqueMobile } from '../support/fixtures.js';
import { aadhaar } from '../support/journey.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { cowinClient, cowinDate, cowinLogin } from './client.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

const SEATS = 5;
const PEOPLE = 25;
const PER_MOBILE = 4;

describe('a full session over the Co-WIN API', () => {
  it(`books exactly ${SEATS} of ${PEOPLE} people booking at once; the other ${PEOPLE - SEATS} get 409 APPOIN0040`, async () => {
    const { app, db } = platform;
    const tomorrow = cowinDate(1).split('-').reverse().join('-');
    const session = await insertSessionDay(db, {
      district: PUNE,
      date: tomorrow,
      dose1: SEATS,
      dose2: 0,
      opensAt: '09:00:00',
      closesAt: '17:00:00',
      slotMinutes: 480,
    });

    // Families of up to four people per mobile, each mobile logging in from its own address.
    const people: Array<{ token: string; referenceId: string; ip: string }> = [];
    for (let family = 0; people.length < PEOPLE; family++) {
      const ip = `10.55.9.${family + 1}`;
      const client = cowinClient(app, ip);
      const token = await cowinLogin(app, client, uniqueMobile());
      for (let i = 0; i < PER_MOBILE && people.length < PEOPLE; i++) {
        const registered = await client.post(
          '/v2/registration/beneficiary/new',
          {
            name: `Racer ${'ABCDEFGHIJ'[family]} ${'abcd'[i]}`,
            birth_year: '1988',
            gender_id: 1 + (i % 3),
            photo_id_type: 1,
            photo_id_number: aadhaar(),
            consent_version: 'V1',
          },
          { token },
        );
        expect(registered.statusCode, registered.body).toBe(200);
        people.push({ token, referenceId: registered.json().beneficiary_reference_id, ip });
      }
    }

    const attempts = await Promise.all(
      people.map((p) =>
        cowinClient(app, p.ip).post(
          '/v2/appointment/schedule',
          { dose: 1, session_id: session.id, slot: '09:00AM-05:00PM', beneficiaries: [p.referenceId] },
          { token: p.token },
        ),
      ),
    );
    const statuses = attempts.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(SEATS);
    expect(statuses.filter((s) => s === 409)).toHaveLength(PEOPLE - SEATS);
    for (const refused of attempts.filter((a) => a.statusCode === 409)) {
      expect(refused.json()).toEqual({
        errorCode: 'APPOIN0040',
        error:
          'This vaccination center is completely booked for the selected date. Please try another date or vaccination center.',
      });
    }

    // What everyone now sees: no seats left, five live appointments, and the next attempt refused the same way.
    const seen = await cowinClient(app, '10.55.9.200').get(
      `/v2/appointment/sessions/public/findByDistrict?district_id=${PUNE.districtId}&date=${cowinDate(1)}`,
    );
    expect(seen.json().sessions.find((s: { session_id: string }) => s.session_id === session.id)).toMatchObject({
      available_capacity: 0,
      available_capacity_dose1: 0,
    });
    const live = await db
      .selectFrom('appointment')
      .select('id')
      .where('session_day_id', '=', session.id)
      .where('status', '=', 'BOOKED')
      .execute();
    expect(live).toHaveLength(SEATS);

    const unlucky = people[attempts.findIndex((a) => a.statusCode === 409)];
    const retry = await cowinClient(app, unlucky.ip).post(
      '/v2/appointment/schedule',
      { dose: 1, session_id: session.id, slot: '09:00AM-05:00PM', beneficiaries: [unlucky.referenceId] },
      { token: unlucky.token },
    );
    expect(retry.statusCode).toBe(409);
    expect(retry.json().errorCode).toBe('APPOIN0040');

    // The winners see their appointment; the others none.
    const winners = people.filter((_, i) => attempts[i].statusCode === 200).map((p) => p.referenceId);
    for (const token of new Set(people.map((p) => p.token))) {
      const listed = (await cowinClient(app, '10.55.9.201').get('/v2/appointment/beneficiaries', { token })).json()
        .beneficiaries;
      for (const person of listed) {
        expect(person.appointments.length, person.beneficiary_reference_id).toBe(
          winners.includes(person.beneficiary_reference_id) ? 1 : 0,
        );
      }
    }
  });

  it('a group booking is all or none: with seats for fewer than the group, nobody is booked', async () => {
    const { app, db } = platform;
    const tomorrow = cowinDate(1).split('-').reverse().join('-');
    const session = await insertSessionDay(db, {
      district: PUNE,
      date: tomorrow,
      dose1: 2,
      dose2: 0,
      opensAt: '09:00:00',
      closesAt: '17:00:00',
      slotMinutes: 480,
    });
    const client = cowinClient(app, '10.55.9.150');
    const token = await cowinLogin(app, client, uniqueMobile());
    const family = [];
    for (const name of ['Anil Deshmukh', 'Sunita Deshmukh', 'Rohan Deshmukh']) {
      const registered = await client.post(
        '/v2/registration/beneficiary/new',
        { name, birth_year: '1980', gender_id: 1, photo_id_type: 1, photo_id_number: aadhaar(), consent_version: 'V1' },
        { token },
      );
      family.push(registered.json().beneficiary_reference_id);
    }
    const refused = await client.post(
      '/v2/appointment/schedule',
      { dose: 1, session_id: session.id, slot: '09:00AM-05:00PM', beneficiaries: family },
      { token },
    );
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().errorCode).toBe('APPOIN0040');
    const listed = (await client.get('/v2/appointment/beneficiaries', { token })).json().beneficiaries;
    expect(listed.map((p: { appointments: unknown[] }) => p.appointments.length)).toEqual([0, 0, 0]);
    const day = await db
      .selectFrom('session_day')
      .select('dose1_booked')
      .where('id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(day.dose1_booked).toBe(0);

    const pair = await client.post(
      '/v2/appointment/schedule',
      { dose: 1, session_id: session.id, slot: '09:00AM-05:00PM', beneficiaries: family.slice(0, 2) },
      { token },
    );
    expect(pair.statusCode, pair.body).toBe(200);
    const after = (await client.get('/v2/appointment/beneficiaries', { token })).json().beneficiaries;
    expect(after.map((p: { appointments: unknown[] }) => p.appointments.length)).toEqual([1, 1, 0]);
    expect(after[0].appointments[0].appointment_id).toBe(pair.json().appointment_confirmation_no);
  });
});
