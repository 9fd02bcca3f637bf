/**
 * The district list. The seed has GeoNames' 658 districts; India has about 780 today, and no maintained package
 * lists them with positions, so a national admin imports the current list (api/routes/v1/district-import.ts).
 *
 * A district is never deleted or moved to another state: sites, staff, doses and reports refer to it by id. An
 * import adds the districts it does not know (the next free id of their state, stateId × 1000 + n, as the seed
 * numbers them), renames or re-centres the ones it names, sets targets where given and moves the pincodes it
 * lists to their new district (a district carved out of another takes its pincodes with it).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../connection.js';
import { writeAudit, type Actor, type Executor } from './audit.js';

export interface DistrictListRow {
  /** 1-based data row of the file. */
  row: number;
  stateId: number;
  /** An existing district to change; undefined: the district of this name in the state, or a new one. */
  districtId?: number;
  name: string;
  nameHi?: string;
  lat: number;
  lng: number;
  targetPopulation?: number;
  pincodes: number[];
}

export interface KnownDistrict {
  id: number;
  stateId: number;
  name: string;
  nameHi: string | null;
  lat: number;
  lng: number;
  targetPopulation: number;
}

export interface DistrictChange {
  row: number;
  kind: 'create' | 'update' | 'unchanged';
  id: number;
  stateId: number;
  name: string;
  /** What an update changes, field by field: [before, after]. */
  changes: Record<string, [unknown, unknown]>;
}

export interface DistrictListPlan {
  changes: DistrictChange[];
  /** Problems by row: a district id of another state, a name another district already has, a full state. */
  errors: Array<{ row: number; column: string; message: string }>;
  /** Districts of the file's states that the file does not name (kept: they have records). */
  unlisted: Array<{ districtId: number; stateId: number; name: string }>;
}

/** A state's districts are numbered stateId × 1000 + 1 … 999. */
const PER_STATE = 1000;
const sameName = (a: string, b: string) => a.localeCompare(b, 'en', { sensitivity: 'base' }) === 0;

export async function readDistrictsOfStates(db: Executor, stateIds: number[]): Promise<KnownDistrict[]> {
  if (!stateIds.length) return [];
  const rows = await db
    .selectFrom('district')
    .select(['id', 'state_id', 'name', 'name_hi', 'lat', 'lng', 'target_population'])
    .where('state_id', 'in', stateIds)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    stateId: r.state_id,
    name: r.name,
    nameHi: r.name_hi,
    lat: r.lat,
    lng: r.lng,
    targetPopulation: Number(r.target_population),
  }));
}

export async function existingStates(db: Executor, stateIds: number[]): Promise<Set<number>> {
  if (!stateIds.length) return new Set();
  const rows = await db.selectFrom('state').select('id').where('id', 'in', stateIds).execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * What the file would do to the districts `known` (every district of the file's states): pure, so a dry run
 * and the import itself decide alike. Rows have already been read and checked field by field.
 */
export function planDistrictList(rows: DistrictListRow[], known: KnownDistrict[]): DistrictListPlan {
  const errors: DistrictListPlan['errors'] = [];
  const byId = new Map(known.map((d) => [d.id, d]));
  const nextId = new Map<number, number>();
  for (const d of known) nextId.set(d.stateId, Math.max(nextId.get(d.stateId) ?? 0, d.id + 1));
  const named = new Set<number>();
  const changes: DistrictChange[] = [];

  for (const r of rows) {
    let current: KnownDistrict | undefined;
    if (r.districtId !== undefined) {
      current = byId.get(r.districtId);
      if (!current) {
        errors.push({
          row: r.row,
          column: 'district_id',
          message: `there is no district ${r.districtId} in state ${r.stateId}; leave district_id empty for a new district`,
        });
        continue;
      }
    } else {
      current = known.find((d) => d.stateId === r.stateId && sameName(d.name, r.name));
    }
    // Another district of the state that already has this name (and that the file does not rename).
    const clash = known.find(
      (d) =>
        d.stateId === r.stateId &&
        d.id !== current?.id &&
        sameName(d.name, r.name) &&
        !rows.some((other) => other.districtId === d.id && !sameName(other.name, d.name)),
    );
    if (clash) {
      errors.push({
        row: r.row,
        column: 'name',
        message: `${clash.name} is already district ${clash.id} of state ${r.stateId}`,
      });
      continue;
    }
    if (current && named.has(current.id)) {
      const earlier = changes.find((c) => c.id === current.id)!;
      errors.push({
        row: r.row,
        column: r.districtId !== undefined ? 'district_id' : 'name',
        message: `district ${current.id} (${current.name}) is also on row ${earlier.row}; a district appears once`,
      });
      continue;
    }
    if (current) {
      named.add(current.id);
      const changed: DistrictChange['changes'] = {};
      const compare = (field: string, before: unknown, after: unknown) => {
        if (after !== undefined && before !== after) changed[field] = [before, after];
      };
      compare('name', current.name, r.name);
      compare('nameHi', current.nameHi, r.nameHi);
      compare('lat', current.lat, r.lat);
      compare('lng', current.lng, r.lng);
      compare('targetPopulation', current.targetPopulation, r.targetPopulation);
      changes.push({
        row: r.row,
        kind: Object.keys(changed).length ? 'update' : 'unchanged',
        id: current.id,
        stateId: r.stateId,
        name: r.name,
        changes: changed,
      });
    } else {
      const id = nextId.get(r.stateId) ?? r.stateId * PER_STATE + 1;
      if (id >= (r.stateId + 1) * PER_STATE) {
        errors.push({ row: r.row, column: 'name', message: `state ${r.stateId} has no district number left` });
        continue;
      }
      nextId.set(r.stateId, id + 1);
      changes.push({ row: r.row, kind: 'create', id, stateId: r.stateId, name: r.name, changes: {} });
    }
  }
  const states = new Set(rows.map((r) => r.stateId));
  const unlisted = known
    .filter((d) => states.has(d.stateId) && !named.has(d.id))
    .map((d) => ({ districtId: d.id, stateId: d.stateId, name: d.name }));
  return { changes, errors, unlisted };
}

export interface DistrictListResult extends DistrictListPlan {
  pincodesMoved: number;
}

/**
 * Applies the file in one transaction: the states are locked first, so two imports of the same state wait for
 * each other and number new districts once; the plan is made again under the lock. One audit row names every
 * district created or changed and every pincode moved.
 */
export async function importDistrictList(
  db: Db,
  rows: DistrictListRow[],
  { actor }: { actor: Actor },
): Promise<DistrictListResult> {
  const stateIds = [...new Set(rows.map((r) => r.stateId))].sort((a, b) => a - b);
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('state').select('id').where('id', 'in', stateIds).orderBy('id').forUpdate().execute();
    const plan = planDistrictList(rows, await readDistrictsOfStates(trx, stateIds));
    if (plan.errors.length) return { ...plan, pincodesMoved: 0 };
    const rowOf = new Map(rows.map((r) => [r.row, r]));

    for (const change of plan.changes) {
      const r = rowOf.get(change.row)!;
      if (change.kind === 'create') {
        await trx
          .insertInto('district')
          .values({
            id: change.id,
            state_id: r.stateId,
            name: r.name,
            name_hi: r.nameHi ?? null,
            lat: r.lat,
            lng: r.lng,
            target_population: r.targetPopulation ?? 0,
            target_is_demo: r.targetPopulation === undefined,
          })
          .execute();
      } else if (Object.keys(change.changes).length) {
        await trx
          .updateTable('district')
          .set({
            name: r.name,
            lat: r.lat,
            lng: r.lng,
            ...(r.nameHi !== undefined ? { name_hi: r.nameHi } : {}),
            ...(r.targetPopulation !== undefined
              ? { target_population: r.targetPopulation, target_is_demo: false }
              : {}),
          })
          .where('id', '=', change.id)
          .execute();
      }
    }

    const pincodes = plan.changes.flatMap((c) => rowOf.get(c.row)!.pincodes.map((pincode) => ({ pincode, id: c.id })));
    const moved = pincodes.length
      ? await sql<{ pincode: number; previous: number | null }>`
          with wanted as (
            select * from unnest(${pincodes.map((p) => p.pincode)}::int[], ${pincodes.map((p) => p.id)}::int[])
              as t(pincode, district_id)
          ), before as (
            select wanted.pincode, pincode.district_id as previous
            from wanted left join pincode using (pincode)
            where pincode.district_id is distinct from wanted.district_id
          ), written as (
            insert into pincode (pincode, district_id) select pincode, district_id from wanted
            on conflict (pincode) do update set district_id = excluded.district_id
            where pincode.district_id is distinct from excluded.district_id
          )
          select pincode, previous from before order by pincode`.execute(trx)
      : { rows: [] };

    const changed = plan.changes.filter((c) => c.kind !== 'unchanged');
    if (changed.length || moved.rows.length) {
      await writeAudit(trx, {
        actor,
        action: 'DISTRICTS_IMPORTED',
        entityType: 'district_import',
        entityId: randomUUID(),
        details: {
          rows: rows.length,
          created: changed.filter((c) => c.kind === 'create').map(({ id, stateId, name }) => ({ id, stateId, name })),
          updated: changed
            .filter((c) => c.kind === 'update')
            .map(({ id, stateId, name, changes }) => ({ id, stateId, name, changes })),
          pincodesMoved: moved.rows.map((m) => ({
            pincode: m.pincode,
            from: m.previous,
            to: pincodes.find((p) => p.pincode === m.pincode)!.id,
          })),
        },
      });
    }
    return { ...plan, pincodesMoved: moved.rows.length };
  });
}
