/** A state's eligibility phases (2026-12-09T0200_eligibility_phases): read, and replaced as a whole. */
import { sql } from 'kysely';
import type { EligibilityPhase } from '../../domain/priority-groups.js';
import type { Executor } from './audit.js';

export interface StoredPhase extends EligibilityPhase {
  id: number;
  updatedAt: Date;
}

export async function readPhases(db: Executor, stateId: number): Promise<StoredPhase[]> {
  const rows = await db
    .selectFrom('eligibility_phase')
    .select(['id', 'name', 'opens_on', 'groups', 'min_age', 'max_age', 'updated_at'])
    .where('state_id', '=', stateId)
    .orderBy('opens_on')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    opensOn: r.opens_on,
    groups: r.groups,
    minAge: r.min_age,
    maxAge: r.max_age,
    updatedAt: r.updated_at,
  }));
}

/** The phases of the state a session day is in (the desk's walk-in check). */
export async function phasesOfSessionDay(db: Executor, sessionDayId: string): Promise<EligibilityPhase[]> {
  const rows = await db
    .selectFrom('session_day')
    .innerJoin('district', 'district.id', 'session_day.district_id')
    .innerJoin('eligibility_phase', 'eligibility_phase.state_id', 'district.state_id')
    .select([
      'eligibility_phase.name',
      'eligibility_phase.opens_on',
      'eligibility_phase.groups',
      'eligibility_phase.min_age',
      'eligibility_phase.max_age',
    ])
    .where('session_day.id', '=', sessionDayId)
    .orderBy('eligibility_phase.opens_on')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    opensOn: r.opens_on,
    groups: r.groups,
    minAge: r.min_age,
    maxAge: r.max_age,
  }));
}

/** The phases of each of these states (the slot search's answer), by state; a state with none is left out. */
export async function phasesOfStates(
  db: Executor,
  stateIds: readonly number[],
): Promise<Map<number, EligibilityPhase[]>> {
  const byState = new Map<number, EligibilityPhase[]>();
  if (!stateIds.length) return byState;
  const rows = await db
    .selectFrom('eligibility_phase')
    .select(['state_id', 'name', 'opens_on', 'groups', 'min_age', 'max_age'])
    .where('state_id', 'in', [...new Set(stateIds)])
    .orderBy('state_id')
    .orderBy('opens_on')
    .orderBy('id')
    .execute();
  for (const r of rows) {
    const phases = byState.get(r.state_id) ?? [];
    phases.push({ name: r.name, opensOn: r.opens_on, groups: r.groups, minAge: r.min_age, maxAge: r.max_age });
    byState.set(r.state_id, phases);
  }
  return byState;
}

/** Locks the state's phases (two officers saving at once wait for each other) and returns them. */
export async function lockPhases(db: Executor, stateId: number): Promise<StoredPhase[]> {
  await sql`select pg_advisory_xact_lock(hashtext('eligibility_phase'), ${stateId}::int)`.execute(db);
  return readPhases(db, stateId);
}

export async function replacePhases(
  db: Executor,
  stateId: number,
  phases: EligibilityPhase[],
  createdBy: string | null,
): Promise<void> {
  await db.deleteFrom('eligibility_phase').where('state_id', '=', stateId).execute();
  if (!phases.length) return;
  await db
    .insertInto('eligibility_phase')
    .values(
      phases.map((p) => ({
        state_id: stateId,
        name: p.name.trim(),
        opens_on: p.opensOn,
        groups: p.groups,
        min_age: p.minAge,
        max_age: p.maxAge,
        created_by: createdBy,
      })),
    )
    .execute();
}
