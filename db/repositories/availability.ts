/**
 * Session days people can book, with live remaining seats. One query per search (plus one for slots), served
 * by the session_day (district_id, date) and site (pincode) indexes; used by the portal and the Co-WIN API.
 */
import type { Db } from '../connection.js';
import { slotLabel } from '../../domain/slots.js';
import { addDays } from '../../domain/time.js';
import { isRealSessionDay } from './real-data.js';

export interface AvailabilityQuery {
  districtId?: number;
  pincode?: number;
  siteId?: number;
  fromDate: string;
  days: number;
}

export interface AvailableSlot {
  slotId: number;
  label: string;
  startsAt: string;
  endsAt: string;
  available: number;
}

export interface AvailableSession {
  sessionDayId: string;
  date: string;
  vaccineCode: string;
  minAge: number;
  maxAge: number | null;
  status: string;
  dose1Available: number;
  dose2Available: number;
  opensAt: string;
  closesAt: string;
  slots: AvailableSlot[];
  site: {
    id: number;
    name: string;
    nameHi: string | null;
    address: string;
    block: string;
    pincode: number;
    lat: number;
    lng: number;
    ownership: 'GOVERNMENT' | 'PRIVATE';
    feeInr: number;
    districtId: number;
    districtName: string;
    districtNameHi: string | null;
    stateId: number;
    stateName: string;
    stateNameHi: string | null;
  };
}

export async function findAvailability(db: Db, query: AvailabilityQuery): Promise<AvailableSession[]> {
  const rows = await db
    .selectFrom('session_day')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .innerJoin('district', 'district.id', 'session_day.district_id')
    .innerJoin('state', 'state.id', 'district.state_id')
    .select([
      'session_day.id',
      'session_day.date',
      'session_day.vaccine_code',
      'session_day.min_age',
      'session_day.max_age',
      'session_day.status',
      'session_day.dose1_capacity',
      'session_day.dose1_booked',
      'session_day.dose2_capacity',
      'session_day.dose2_booked',
      'session_day.opens_at',
      'session_day.closes_at',
      'site.id as site_id',
      'site.name as site_name',
      'site.name_hi as site_name_hi',
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
    ])
    .$if(query.districtId !== undefined, (qb) => qb.where('session_day.district_id', '=', query.districtId!))
    .$if(query.pincode !== undefined, (qb) => qb.where('site.pincode', '=', query.pincode!))
    .$if(query.siteId !== undefined, (qb) => qb.where('site.id', '=', query.siteId!))
    .where('session_day.date', '>=', query.fromDate)
    .where('session_day.date', '<', addDays(query.fromDate, query.days))
    .where('session_day.status', 'in', ['PLANNED', 'OPEN', 'STALLED', 'PAUSED'])
    .where(isRealSessionDay())
    .orderBy('session_day.date')
    .orderBy('site.name')
    // A district's busiest week has a few thousand session days; the cap only stops a runaway answer.
    .limit(5_000)
    .execute();
  if (!rows.length) return [];
  const slots = await db
    .selectFrom('session_slot')
    .select(['id', 'session_day_id', 'starts_at', 'ends_at', 'capacity', 'booked'])
    .where(
      'session_day_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('starts_at')
    .execute();
  const slotsByDay = new Map<string, AvailableSlot[]>();
  for (const s of slots) {
    const list = slotsByDay.get(s.session_day_id) ?? [];
    list.push({
      slotId: s.id,
      label: slotLabel(s.starts_at, s.ends_at),
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      available: s.capacity - s.booked,
    });
    slotsByDay.set(s.session_day_id, list);
  }
  return rows.map((r) => ({
    sessionDayId: r.id,
    date: r.date,
    vaccineCode: r.vaccine_code,
    minAge: r.min_age,
    maxAge: r.max_age,
    status: r.status,
    dose1Available: r.dose1_capacity - r.dose1_booked,
    dose2Available: r.dose2_capacity - r.dose2_booked,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    slots: slotsByDay.get(r.id) ?? [],
    site: {
      id: r.site_id,
      name: r.site_name,
      nameHi: r.site_name_hi,
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
    },
  }));
}
