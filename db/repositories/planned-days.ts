/** Reading planned session days for the officers: seats, bookings, doses and no-shows so far, slots and team. */
import type { StaffRole, TeamRole } from '../schema.js';
import type { Executor } from './audit.js';

export interface PlannedDayView {
  id: string;
  siteId: number;
  siteName: string;
  districtId: number;
  date: string;
  vaccineCode: string;
  status: string;
  minAge: number;
  maxAge: number | null;
  opensAt: string;
  closesAt: string;
  dose1Capacity: number;
  dose2Capacity: number;
  walkinCapacity: number;
  dose1Booked: number;
  dose2Booked: number;
  walkinUsed: number;
  /** Online seats taken (dose 1 + dose 2). */
  booked: number;
  vaccinated: number;
  noShows: number;
  slots: Array<{
    slotId: number;
    startsAt: string;
    endsAt: string;
    capacity: number;
    booked: number;
    walkinCapacity: number;
    walkinUsed: number;
  }>;
  team: Array<{ staffId: string; name: string; role: StaffRole; teamRole: TeamRole }>;
}

export type SessionDayScope = { districtId: number } | { stateId: number } | Record<string, never>;

/** The officers' view of session days: seats, bookings, doses and no-shows so far, slots and team. */
export async function listPlannedDays(
  db: Executor,
  query: { scope: SessionDayScope; date?: string; ids?: string[] },
): Promise<PlannedDayView[]> {
  const { scope } = query;
  const rows = await db
    .selectFrom('session_day')
    .innerJoin('site', 'site.id', 'session_day.site_id')
    .innerJoin('district', 'district.id', 'session_day.district_id')
    .select([
      'session_day.id',
      'session_day.site_id',
      'site.name as site_name',
      'session_day.district_id',
      'session_day.date',
      'session_day.vaccine_code',
      'session_day.status',
      'session_day.min_age',
      'session_day.max_age',
      'session_day.opens_at',
      'session_day.closes_at',
      'session_day.dose1_capacity',
      'session_day.dose2_capacity',
      'session_day.walkin_capacity',
      'session_day.dose1_booked',
      'session_day.dose2_booked',
      'session_day.walkin_used',
      'session_day.doses_recorded',
      'session_day.no_shows',
    ])
    .$if('districtId' in scope, (qb) =>
      qb.where('session_day.district_id', '=', (scope as { districtId: number }).districtId),
    )
    .$if('stateId' in scope, (qb) => qb.where('district.state_id', '=', (scope as { stateId: number }).stateId))
    .$if(query.date !== undefined, (qb) => qb.where('session_day.date', '=', query.date!))
    .$if(query.ids !== undefined, (qb) =>
      qb.where('session_day.id', 'in', query.ids!.length ? query.ids! : ['00000000-0000-0000-0000-000000000000']),
    )
    .orderBy('session_day.date')
    .orderBy('site.name')
    .limit(1000)
    .execute();
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const slots = await db
    .selectFrom('session_slot')
    .select(['id', 'session_day_id', 'starts_at', 'ends_at', 'capacity', 'booked', 'walkin_capacity', 'walkin_used'])
    .where('session_day_id', 'in', ids)
    .orderBy('starts_at')
    .execute();
  const team = await db
    .selectFrom('session_assignment')
    .innerJoin('staff_user', 'staff_user.id', 'session_assignment.staff_id')
    .select([
      'session_assignment.session_day_id',
      'staff_user.id',
      'staff_user.name',
      'staff_user.role',
      'session_assignment.team_role',
    ])
    .where('session_assignment.session_day_id', 'in', ids)
    .orderBy('staff_user.name')
    .execute();
  const group = <T extends { session_day_id: string }>(items: T[]) => {
    const map = new Map<string, T[]>();
    for (const item of items) map.set(item.session_day_id, [...(map.get(item.session_day_id) ?? []), item]);
    return map;
  };
  const slotsByDay = group(slots);
  const teamByDay = group(team);
  return rows.map((r) => ({
    id: r.id,
    siteId: r.site_id,
    siteName: r.site_name,
    districtId: r.district_id,
    date: r.date,
    vaccineCode: r.vaccine_code,
    status: r.status,
    minAge: r.min_age,
    maxAge: r.max_age,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    dose1Capacity: r.dose1_capacity,
    dose2Capacity: r.dose2_capacity,
    walkinCapacity: r.walkin_capacity,
    dose1Booked: r.dose1_booked,
    dose2Booked: r.dose2_booked,
    walkinUsed: r.walkin_used,
    booked: r.dose1_booked + r.dose2_booked,
    vaccinated: r.doses_recorded,
    noShows: r.no_shows,
    slots: (slotsByDay.get(r.id) ?? []).map((s) => ({
      slotId: s.id,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      capacity: s.capacity,
      booked: s.booked,
      walkinCapacity: s.walkin_capacity,
      walkinUsed: s.walkin_used,
    })),
    team: (teamByDay.get(r.id) ?? []).map((t) => ({
      staffId: t.id,
      name: t.name,
      role: t.role,
      teamRole: t.team_role,
    })),
  }));
}
