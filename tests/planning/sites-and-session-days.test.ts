import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointments } from '../../db/repositories/bookings.js';
import { addDays, indiaDate, timeToMinutes } from '../../domain/time.js';
import { insertAccount, insertBeneficiary, insertSite } from '../support/fixtures.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { bearer, createActor, HOME, MUMBAI, type Actor, type MatrixEnv } from '../support/route-matrix.js';

let platform: TestPlatform;
let env: MatrixEnv;
let officer: Actor;
beforeAll(async () => {
  platform = await startTestPlatform();
  env = { app: platform.app, db: platform.db, config: platform.config };
  officer = await createActor(env, 'DISTRICT_OFFICER', HOME);
});
afterAll(() => platform.close());

const tomorrow = () => addDays(indiaDate(), 1);
const as = (actor: Actor) => bearer(actor.token);
type Slot = { startsAt: string; endsAt: string; capacity: number; walkinCapacity: number; booked: number };

async function planDay(body: Record<string, unknown> = {}) {
  const siteId = body.siteId ?? (await insertSite(env.db, HOME)).id;
  return env.app.inject({
    method: 'POST',
    url: '/api/v1/session-days',
    headers: as(officer),
    payload: {
      siteId,
      date: tomorrow(),
      vaccineCode: 'COVAXIN',
      dose1Capacity: 50,
      dose2Capacity: 25,
      walkinCapacity: 10,
      opensAt: '09:00',
      closesAt: '16:30',
      slotMinutes: 120,
      ...body,
    },
  });
}

/** The slots run back to back from opening to closing, and their seats add up to the day's. */
function expectSlotsCover(day: {
  opensAt: string;
  closesAt: string;
  dose1Capacity: number;
  dose2Capacity: number;
  walkinCapacity: number;
  slots: Slot[];
}) {
  expect(day.slots[0].startsAt).toBe(day.opensAt);
  expect(day.slots.at(-1)!.endsAt).toBe(day.closesAt);
  day.slots.slice(1).forEach((slot, i) => expect(slot.startsAt).toBe(day.slots[i].endsAt));
  expect(day.slots.reduce((sum, s) => sum + s.capacity, 0)).toBe(day.dose1Capacity + day.dose2Capacity);
  expect(day.slots.reduce((sum, s) => sum + s.walkinCapacity, 0)).toBe(day.walkinCapacity);
}

async function book(sessionDayId: string, birthYear = 1980) {
  const person = await insertBeneficiary(env.db, (await insertAccount(env.db)).id);
  await env.db
    .updateTable('beneficiary')
    .set({ birth_year: birthYear, stage: 'VERIFIED' })
    .where('id', '=', person.id)
    .execute();
  return bookAppointments(env.db, {
    people: [{ beneficiaryId: person.id }],
    sessionDayId,
    channel: 'PORTAL',
    actor: { type: 'SYSTEM', id: 'test' },
  });
}

describe('sites', () => {
  it('an officer adds a site to their district, corrects it, and lists it; its pincode must be of that district', async () => {
    const body = {
      districtId: HOME.districtId,
      name: 'Aundh Community Hall',
      address: '12 ITI Road, Aundh',
      block: 'Haveli',
      pincode: HOME.pincode,
      lat: 18.56,
      lng: 73.81,
      ownership: 'PRIVATE',
      feeInr: 250,
    };
    const created = await env.app.inject({ method: 'POST', url: '/api/v1/sites', headers: as(officer), payload: body });
    expect(created.statusCode, created.body).toBe(201);
    const site = created.json();
    expect(site).toMatchObject({
      name: 'Aundh Community Hall',
      districtId: HOME.districtId,
      stateId: HOME.stateId,
      feeInr: 250,
    });

    const edited = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/sites/${site.id}`,
      headers: as(officer),
      payload: { name: 'Aundh Community Hall (east wing)', feeInr: 300 },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      name: 'Aundh Community Hall (east wing)',
      feeInr: 300,
      pincode: HOME.pincode,
    });

    const listed = await env.app.inject({ method: 'GET', url: '/api/v1/sites', headers: as(officer) });
    expect(listed.json().sites.find((s: { id: number }) => s.id === site.id)).toMatchObject({
      name: 'Aundh Community Hall (east wing)',
    });

    const wrongPincode = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sites',
      headers: as(officer),
      payload: { ...body, pincode: MUMBAI.pincode },
    });
    expect(wrongPincode.statusCode).toBe(422);
    expect(wrongPincode.json()).toMatchObject({
      code: 'PINCODE_OUTSIDE_DISTRICT',
      message: expect.stringContaining('Mumbai'),
    });
    const fee = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/sites/${site.id}`,
      headers: as(officer),
      payload: { ownership: 'GOVERNMENT' },
    });
    expect(fee.statusCode).toBe(422);

    const audit = await env.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'site')
      .where('entity_id', '=', String(site.id))
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['SITE_CREATED', 'SITE_UPDATED']);
  });
});

describe('session days', () => {
  it('are planned with slots that cover the hours exactly, the last one shorter', async () => {
    const response = await planDay({
      opensAt: '09:00',
      closesAt: '16:30',
      slotMinutes: 120,
      dose1Capacity: 50,
      dose2Capacity: 25,
      walkinCapacity: 10,
    });
    expect(response.statusCode, response.body).toBe(201);
    const day = response.json();
    expect(day).toMatchObject({
      date: tomorrow(),
      vaccineCode: 'COVAXIN',
      status: 'PLANNED',
      minAge: 18,
      maxAge: null,
      booked: 0,
      vaccinated: 0,
      noShows: 0,
    });
    expect(day.slots.map((s: Slot) => `${s.startsAt}-${s.endsAt}`)).toEqual([
      '09:00:00-11:00:00',
      '11:00:00-13:00:00',
      '13:00:00-15:00:00',
      '15:00:00-16:30:00',
    ]);
    expectSlotsCover(day);

    const audit = await env.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('entity_id', '=', day.id)
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'SESSION_DAY_CREATED', actor_id: officer.staffId });
  });

  it('refuse a second day at the same site and date, a past date, hours out of order and an unknown vaccine', async () => {
    const first = await planDay();
    const again = await planDay({ siteId: first.json().siteId });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain(first.json().id);

    const past = await planDay({ date: addDays(indiaDate(), -1) });
    expect(past.statusCode).toBe(422);
    expect(past.json().message).toMatch(/in the past/);
    const hours = await planDay({ opensAt: '17:00', closesAt: '09:00' });
    expect(hours.statusCode).toBe(422);
    expect(hours.json().message).toMatch(/must be after opens_at/);
    const vaccine = await planDay({ vaccineCode: 'NOVAX' });
    expect(vaccine.statusCode).toBe(422);
    const elsewhere = await planDay({ siteId: (await insertSite(env.db, MUMBAI)).id });
    expect(elsewhere.statusCode).toBe(403);
  });

  it('are edited: seats, quota, hours and ages, with slots planned afresh while nobody has booked', async () => {
    const day = (await planDay()).json();
    const edited = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/session-days/${day.id}`,
      headers: as(officer),
      payload: {
        opensAt: '10:00',
        closesAt: '14:00',
        slotMinutes: 60,
        dose1Capacity: 30,
        walkinCapacity: 6,
        minAge: 45,
        maxAge: 60,
      },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const after = edited.json();
    expect(after).toMatchObject({
      opensAt: '10:00:00',
      closesAt: '14:00:00',
      dose1Capacity: 30,
      dose2Capacity: 25,
      walkinCapacity: 6,
      minAge: 45,
      maxAge: 60,
    });
    expect(after.slots).toHaveLength(4);
    expectSlotsCover(after);

    const listed = await env.app.inject({
      method: 'GET',
      url: `/api/v1/session-days?districtId=${HOME.districtId}&date=${tomorrow()}`,
      headers: as(officer),
    });
    expect(listed.json().sessionDays.find((d: { id: string }) => d.id === day.id)).toMatchObject({
      dose1Capacity: 30,
      minAge: 45,
    });
  });

  it('never drop seats below what is booked, keep booked hours, and spread new seats over the booked slots', async () => {
    const day = (
      await planDay({
        dose1Capacity: 4,
        dose2Capacity: 0,
        walkinCapacity: 0,
        opensAt: '09:00',
        closesAt: '13:00',
        slotMinutes: 120,
      })
    ).json();
    await book(day.id);
    await book(day.id);
    await book(day.id);
    const patch = (payload: Record<string, unknown>) =>
      env.app.inject({ method: 'PATCH', url: `/api/v1/session-days/${day.id}`, headers: as(officer), payload });

    const below = await patch({ dose1Capacity: 2 });
    expect(below.statusCode).toBe(409);
    expect(below.json()).toMatchObject({
      code: 'CAPACITY_BELOW_BOOKED',
      message: expect.stringContaining('3 already booked'),
    });
    const hours = await patch({ closesAt: '15:00' });
    expect(hours.statusCode).toBe(409);
    expect(hours.json().code).toBe('HOURS_LOCKED');
    const ages = await patch({ minAge: 60 });
    expect(ages.statusCode).toBe(409);
    expect(ages.json().code).toBe('AGE_RANGE_EXCLUDES_BOOKED');

    const exact = await patch({ dose1Capacity: 3 });
    expect(exact.statusCode, exact.body).toBe(200);
    expect(exact.json().slots.every((s: Slot) => s.capacity === s.booked)).toBe(true);
    const more = await patch({ dose1Capacity: 20, dose2Capacity: 10 });
    expect(more.statusCode, more.body).toBe(200);
    const slots: Slot[] = more.json().slots;
    expect(slots.reduce((sum, s) => sum + s.capacity, 0)).toBe(30);
    expect(slots.every((s) => s.capacity >= s.booked)).toBe(true);
    expect(slots.map((s) => timeToMinutes(s.startsAt))).toEqual([540, 660]);

    const listed = await env.app.inject({
      method: 'GET',
      url: `/api/v1/session-days?date=${tomorrow()}`,
      headers: as(officer),
    });
    expect(listed.json().sessionDays.find((d: { id: string }) => d.id === day.id)).toMatchObject({
      booked: 3,
      dose1Booked: 3,
      vaccinated: 0,
      noShows: 0,
    });
  });
});
