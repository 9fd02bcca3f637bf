/** Rows for tests, inserted straight into the database with unique values so test files never collide. */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { createSessionDay } from '../../db/repositories/session-days.js';
import type { StaffRole } from '../../db/schema.js';
import { openNowHours, WHOLE_DAY } from './india-day.js';

export const PUNE = { stateId: 27, districtId: 27024, pincode: 411001 };
export const NEW_DELHI = { stateId: 7, districtId: 7003, pincode: 110001 };
export type District = typeof PUNE;

/**
 * States only the live-dashboard tests vaccinate in (tests/live/support.ts): their state figures are asserted
 * exactly, so no other file may put a session or a dose there.
 */
export const LIVE_TEST_STATES = { GOA: 30, KERALA: 32, MANIPUR: 14 } as const;

/**
 * A district of the seeded geography picked at random, never Pune or New Delhi (which most test files use) nor a
 * live-dashboard state, so officers alerted and counts read there belong to the calling test alone.
 */
export async function quietDistrict(db: Db): Promise<District> {
  const rows = await db
    .selectFrom('district')
    .innerJoin('pincode', 'pincode.district_id', 'district.id')
    .select(['district.id', 'district.state_id', 'pincode.pincode'])
    .innerJoin('state', 'state.id', 'district.state_id')
    .where('district.id', 'not in', [PUNE.districtId, NEW_DELHI.districtId])
    .where('district.state_id', 'not in', Object.values(LIVE_TEST_STATES))
    // A test state of its own (insertTestState) may hold eligibility phases that would refuse other files' bookings.
    .where('state.name', 'not like', `${TEST_STATE_PREFIX}%`)
    .distinctOn('district.id')
    .orderBy('district.id')
    .execute();
  const pick = rows[randomInt(0, rows.length)];
  return { stateId: pick.state_id, districtId: pick.id, pincode: pick.pincode };
}

export const TEST_STATE_PREFIX = 'Test state ';

/**
 * A state of the calling test's own, with one district and pincode: a state's eligibility phases restrict every
 * booking in it, so a test that sets them does so where no other file books (quietDistrict never picks it).
 */
export async function insertTestState(db: Db): Promise<District> {
  for (;;) {
    // 60–97: 98 and 99 stay unused, the states other tests ask for to be told that no such state exists.
    const stateId = randomInt(60, 98);
    const created = await db
      .insertInto('state')
      // A Hindi name as every real state has one (the Co-WIN API answers state_name_l in Hindi for each state).
      .values({
        id: stateId,
        code: `T${stateId}`,
        name: `${TEST_STATE_PREFIX}${stateId}`,
        name_hi: `परीक्षण राज्य ${stateId}`,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!created) continue;
    const districtId = stateId * 1000 + 1;
    await db
      .insertInto('district')
      .values({
        id: districtId,
        state_id: stateId,
        name: `Test district ${stateId}`,
        name_hi: `परीक्षण ज़िला ${stateId}`,
        lat: 20,
        lng: 78,
      })
      .execute();
    const pincode = 990000 + stateId;
    await db.insertInto('pincode').values({ pincode, district_id: districtId }).execute();
    return { stateId, districtId, pincode };
  }
}

/** A 10-digit Indian mobile number nobody else in the run uses. */
export function uniqueMobile(): string {
  return `9${String(randomInt(0, 1e9)).padStart(9, '0')}`;
}

export function uniqueDigits(length: number): string {
  let out = '';
  while (out.length < length) out += String(randomInt(0, 1e9)).padStart(9, '0');
  return out.slice(0, length);
}

export async function insertSite(db: Db, district = PUNE, name = `Test centre ${randomBytes(3).toString('hex')}`) {
  return db
    .insertInto('site')
    .values({
      name,
      name_hi: null,
      address: `${name}, test road`,
      block: 'Test block',
      pincode: district.pincode,
      district_id: district.districtId,
      lat: 18.52,
      lng: 73.85,
      ownership: 'GOVERNMENT',
    })
    .returning(['id', 'district_id'])
    .executeTakeFirstOrThrow();
}

export async function insertSessionDay(
  db: Db,
  options: {
    siteId?: number;
    district?: typeof PUNE;
    date?: string;
    vaccine?: string;
    dose1?: number;
    dose2?: number;
    walkin?: number;
    slotMinutes?: number;
    minAge?: number;
    opensAt?: string;
    closesAt?: string;
  } = {},
) {
  const siteId = options.siteId ?? (await insertSite(db, options.district)).id;
  // Today's and open now unless told otherwise (tests/support/india-day.ts); another date is open all day.
  const hours = options.date === undefined ? openNowHours() : { date: options.date, ...WHOLE_DAY };
  const id = await createSessionDay(db, {
    site_id: siteId,
    date: hours.date,
    vaccine_code: options.vaccine ?? 'COVAXIN',
    min_age: options.minAge ?? 18,
    opens_at: options.opensAt ?? hours.opensAt,
    closes_at: options.closesAt ?? hours.closesAt,
    dose1_capacity: options.dose1 ?? 10,
    dose2_capacity: options.dose2 ?? 10,
    walkin_capacity: options.walkin ?? 0,
    slotMinutes: options.slotMinutes ?? 480,
  });
  return { id, siteId };
}

export async function insertAccount(db: Db, mobile = uniqueMobile()) {
  return db
    .insertInto('account')
    .values({ mobile, verified_at: new Date() })
    .returning(['id', 'mobile'])
    .executeTakeFirstOrThrow();
}

export async function insertBeneficiary(db: Db, accountId: string, idHash = randomBytes(32).toString('hex')) {
  return db
    .insertInto('beneficiary')
    .values({
      reference_id: uniqueDigits(14),
      account_id: accountId,
      name: 'Test Person',
      birth_year: 1980,
      gender: 'F',
      id_type: 1,
      id_hash: idHash,
      id_last4: '1234',
      secret_code: '4321',
    })
    .returning(['id', 'reference_id'])
    .executeTakeFirstOrThrow();
}

export async function insertStaff(db: Db, role: StaffRole, district = PUNE) {
  return db
    .insertInto('staff_user')
    .values({
      username: `test.${role.toLowerCase()}.${randomUUID().slice(0, 8)}`,
      password_hash: 'not-a-real-hash',
      name: `Test ${role}`,
      mobile: uniqueMobile(),
      role,
      state_id: role === 'NATIONAL_ADMIN' ? null : district.stateId,
      district_id: role === 'NATIONAL_ADMIN' || role === 'STATE_OFFICER' ? null : district.districtId,
    })
    .returning(['id', 'username'])
    .executeTakeFirstOrThrow();
}
