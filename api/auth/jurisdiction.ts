/**
 * Jurisdiction: a district officer acts only in their district, a state officer in their state, a vaccinator
 * only on the session days they are assigned to; a national admin everywhere.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { TeamRole } from '../../domain/team.js';
import { forbidden, notFound } from '../errors.js';
import type { StaffPrincipal } from '../plugins/auth.js';

export function canActInDistrict(staff: StaffPrincipal, district: { id: number; stateId: number }): boolean {
  switch (staff.role) {
    case 'NATIONAL_ADMIN':
      return true;
    case 'STATE_OFFICER':
      return staff.stateId === district.stateId;
    case 'DISTRICT_OFFICER':
    case 'VACCINATOR':
      return staff.districtId === district.id;
  }
}

export async function assertDistrictAccess(db: Db, staff: StaffPrincipal, districtId: number): Promise<void> {
  const district = await db
    .selectFrom('district')
    .select(['id', 'state_id'])
    .where('id', '=', districtId)
    .executeTakeFirst();
  if (!district) throw notFound('district');
  if (!canActInDistrict(staff, { id: district.id, stateId: district.state_id }))
    throw forbidden('that district is outside your jurisdiction');
}

/** A whole state's figures: its state officers and national admins. */
export async function assertStateAccess(db: Db, staff: StaffPrincipal, stateId: number): Promise<void> {
  const state = await db.selectFrom('state').select('id').where('id', '=', stateId).executeTakeFirst();
  if (!state) throw notFound('state');
  const allowed = staff.role === 'NATIONAL_ADMIN' || (staff.role === 'STATE_OFFICER' && staff.stateId === stateId);
  if (!allowed) throw forbidden('that state is outside your jurisdiction');
}

/** National figures: national admins only. */
export function assertNationalAccess(staff: StaffPrincipal): void {
  if (staff.role !== 'NATIONAL_ADMIN') throw forbidden('national figures need a national admin');
}

/** A session day's team: who is on it, in which team role (domain/team.ts decides whose step is whose). */
export type SessionTeam = { staffId: string; teamRole: TeamRole }[];

/** Where a session day is and who is on its team: what access to it depends on. */
export interface SessionPlace {
  districtId: number;
  stateId: number;
  team: SessionTeam;
}

/** One read: the session day's district and state, and its team; undefined for no such day. */
export async function readSessionPlace(db: Db, sessionDayId: string): Promise<SessionPlace | undefined> {
  const day = await db
    .selectFrom('session_day')
    .innerJoin('district', 'district.id', 'session_day.district_id')
    .select((eb) => [
      'session_day.district_id',
      'district.state_id',
      eb
        .selectFrom('session_assignment')
        .select(
          sql<SessionTeam>`coalesce(jsonb_agg(jsonb_build_object('staffId', staff_id, 'teamRole', team_role) order by id), '[]')`.as(
            'team',
          ),
        )
        .whereRef('session_assignment.session_day_id', '=', 'session_day.id')
        .as('team'),
    ])
    .where('session_day.id', '=', sessionDayId)
    .executeTakeFirst();
  return day && { districtId: day.district_id, stateId: day.state_id, team: day.team ?? [] };
}

/**
 * The session day is in the caller's jurisdiction, and a vaccinator is on its team. Answers the day's team, so the
 * caller's step (api/services/team.ts assertTeamStep) needs no read of its own. The place comes from
 * `app.assertSessionAccess`, which keeps it while its changes are heard (api/auth/access-cache.ts).
 */
export function assertSessionAccess(staff: StaffPrincipal, place: SessionPlace | undefined): SessionTeam {
  if (!place) throw notFound('session day');
  if (!canActInDistrict(staff, { id: place.districtId, stateId: place.stateId }))
    throw forbidden('that session day is outside your jurisdiction');
  if (staff.role === 'VACCINATOR' && !place.team.some((m) => m.staffId === staff.staffId))
    throw forbidden('you are not assigned to that session day');
  return place.team;
}
