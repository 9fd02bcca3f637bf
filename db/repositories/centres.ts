/**
 * Vaccination centres (sites) with their district and state, in the shape availability searches use, for the
 * lookups the Co-WIN compatible API needs besides a search: one centre, centres near a point, the centres of
 * given session days, and a session day's slots.
 */
import { sql } from 'kysely';
import type { Db } from '../connection.js';
import type { AvailableSession } from './availability.js';
import { isRealSessionDay } from './real-data.js';

export type Centre = AvailableSession['site'];

function centres(db: Db) {
  return db
    .selectFrom('site')
    .innerJoin('district', 'district.id', 'site.district_id')
    .innerJoin('state', 'state.id', 'district.state_id')
    .select([
      'site.id',
      'site.name',
      'site.name_hi',
      'site.address',
      'site.block',
      'site.pincode',
      'site.lat',
      'site.lng',
      'site.ownership',
      'site.fee_inr',
      'district.id as district_id',
      'district.name as district_name',
      'district.name_hi as district_name_hi',
      'state.id as state_id',
      'state.name as state_name',
      'state.name_hi as state_name_hi',
    ]);
}

type CentreRow = {
  id: number;
  name: string;
  name_hi: string | null;
  address: string;
  block: string;
  pincode: number;
  lat: number;
  lng: number;
  ownership: 'GOVERNMENT' | 'PRIVATE';
  fee_inr: number;
  district_id: number;
  district_name: string;
  district_name_hi: string | null;
  state_id: number;
  state_name: string;
  state_name_hi: string | null;
};

function toCentre(r: CentreRow): Centre {
  return {
    id: r.id,
    name: r.name,
    nameHi: r.name_hi,
    address: r.address,
    block: r.block,
    pincode: r.pincode,
    lat: r.lat,
    lng: r.lng,
    ownership: r.ownership,
    feeInr: r.fee_inr,
    districtId: r.district_id,
    districtName: r.district_name,
    districtNameHi: r.district_name_hi,
    stateId: r.state_id,
    stateName: r.state_name,
    stateNameHi: r.state_name_hi,
  };
}

export async function findCentre(db: Db, siteId: number): Promise<Centre | undefined> {
  const row = await centres(db).where('site.id', '=', siteId).executeTakeFirst();
  return row ? toCentre(row) : undefined;
}

/**
 * The nearest centres to a point, within about 50 km. Distance on a local flat projection (longitude scaled by
 * the cosine of the latitude) is exact enough to order centres that close.
 */
export async function findCentresNear(db: Db, point: { lat: number; lng: number }, limit = 20): Promise<Centre[]> {
  const box = 0.5;
  const scale = Math.cos((point.lat * Math.PI) / 180);
  const rows = await centres(db)
    .where('site.lat', '>=', point.lat - box)
    .where('site.lat', '<=', point.lat + box)
    .where('site.lng', '>=', point.lng - box / Math.max(scale, 0.1))
    .where('site.lng', '<=', point.lng + box / Math.max(scale, 0.1))
    .orderBy(sql`power(site.lat - ${point.lat}, 2) + power((site.lng - ${point.lng}) * ${scale}, 2)`)
    .orderBy('site.id')
    .limit(limit)
    .execute();
  return rows.map(toCentre);
}

/** Each session day's centre and hours, for showing appointments. */
export async function centresOfSessionDays(
  db: Db,
  sessionDayIds: string[],
): Promise<Map<string, { site: Centre; opensAt: string; closesAt: string }>> {
  const out = new Map<string, { site: Centre; opensAt: string; closesAt: string }>();
  if (!sessionDayIds.length) return out;
  const rows = await centres(db)
    .innerJoin('session_day', 'session_day.site_id', 'site.id')
    .select(['session_day.id as session_day_id', 'session_day.opens_at', 'session_day.closes_at'])
    .where('session_day.id', 'in', [...new Set(sessionDayIds)])
    .execute();
  for (const r of rows) out.set(r.session_day_id, { site: toCentre(r), opensAt: r.opens_at, closesAt: r.closes_at });
  return out;
}

/** A session day's centre and time slots, to turn a Co-WIN slot string into a slot. */
export async function sessionDaySlots(
  db: Db,
  sessionDayId: string,
): Promise<{ siteId: number; slots: Array<{ id: number; startsAt: string; endsAt: string }> } | undefined> {
  const day = await db
    .selectFrom('session_day')
    .select(['id', 'site_id'])
    .where('id', '=', sessionDayId)
    .where(isRealSessionDay('dry_run_id'))
    .executeTakeFirst();
  if (!day) return undefined;
  const slots = await db
    .selectFrom('session_slot')
    .select(['id', 'starts_at as startsAt', 'ends_at as endsAt'])
    .where('session_day_id', '=', sessionDayId)
    .orderBy('starts_at')
    .execute();
  return { siteId: day.site_id, slots };
}
