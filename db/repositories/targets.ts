/**
 * Target populations: what the war room measures coverage against. Each district has one
 * (`district.target_population`); a state's target is the sum of its districts' (db/repositories/dashboard.ts
 * sums them, and calls a state's target a demo one while any of its districts still has its seeded demo figure).
 * The seed gives every district a made-up target marked `target_is_demo`; an admin's import replaces it.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../connection.js';
import { writeAudit, type Actor, type Executor } from './audit.js';

export interface DistrictTarget {
  districtId: number;
  name: string;
  stateId: number;
  targetPopulation: number;
  targetIsDemo: boolean;
}

/** Every district of the state with its target, by name. */
export async function readStateTargets(db: Executor, stateId: number): Promise<DistrictTarget[]> {
  const rows = await db
    .selectFrom('district')
    .select(['id', 'name', 'state_id', 'target_population', 'target_is_demo'])
    .where('state_id', '=', stateId)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    districtId: r.id,
    name: r.name,
    stateId: r.state_id,
    targetPopulation: Number(r.target_population),
    targetIsDemo: r.target_is_demo,
  }));
}

/** The districts among `ids` that exist, by id. */
export async function findDistricts(
  db: Executor,
  ids: number[],
): Promise<Map<number, { id: number; stateId: number; name: string }>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('district').select(['id', 'state_id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, { id: r.id, stateId: r.state_id, name: r.name }]));
}

/**
 * Sets the districts' targets, all in one transaction, and marks them as real (no longer demo). Writes one
 * audit row for the whole import, with every district's old and new figure. Returns the districts updated.
 */
export async function setDistrictTargets(
  db: Db,
  targets: Array<{ districtId: number; targetPopulation: number }>,
  { actor, via }: { actor: Actor; via: string },
): Promise<number> {
  if (!targets.length) return 0;
  const ids = targets.map((t) => t.districtId);
  return db.transaction().execute(async (trx) => {
    // Locked in id order, so two imports touching the same districts wait for each other rather than deadlock.
    const before = await trx
      .selectFrom('district')
      .select(['id', 'target_population', 'target_is_demo'])
      .where('id', 'in', ids)
      .orderBy('id')
      .forUpdate()
      .execute();
    const previous = new Map(before.map((r) => [r.id, r]));
    const updated = await sql<{ id: number }>`
      update district set target_population = t.population, target_is_demo = false
      from unnest(${ids}::int[], ${targets.map((t) => t.targetPopulation)}::bigint[]) as t(id, population)
      where district.id = t.id
      returning district.id`.execute(trx);
    await writeAudit(trx, {
      actor,
      action: 'TARGETS_IMPORTED',
      entityType: 'target_import',
      entityId: randomUUID(),
      details: {
        via,
        count: updated.rows.length,
        districts: targets.map((t) => ({
          districtId: t.districtId,
          targetPopulation: t.targetPopulation,
          previous: Number(previous.get(t.districtId)?.target_population ?? 0),
          previousWasDemo: previous.get(t.districtId)?.target_is_demo ?? false,
        })),
      },
    });
    return updated.rows.length;
  });
}
