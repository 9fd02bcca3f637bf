/**
 * Target populations (what war-room coverage is measured against): a state's districts and their targets, and
 * the CSV import that replaces the seeded demo figures with real ones. A state's target is the sum of its
 * districts' (see db/repositories/targets.ts).
 *
 * The import is all rows or none: every row is checked (a district that exists, in the caller's jurisdiction,
 * once in the file, with a whole-number population) and any problem answers 422 listing every row's problems.
 * `?dry_run=true` only checks.
 *
 * This plugin is registered on its own (not wrapped in fastify-plugin), so the text/csv parser it adds
 * applies to its routes only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../../../db/connection.js';
import { findDistricts, readStateTargets, setDistrictTargets } from '../../../db/repositories/targets.js';
import type { StaffRole } from '../../../db/schema.js';
import { assertStateAccess, canActInDistrict } from '../../auth/jurisdiction.js';
import {
  acceptCsvBodies,
  CSV_BODY_LIMIT,
  CSV_MAX_ROWS,
  readCsvTable,
  rowsRejected,
  wholeField,
  type RowError,
} from '../../csv.js';
import { staffOf, type StaffPrincipal } from '../../plugins/auth.js';
import { ImportRejected, planningErrors, StateId, StateTargets, TargetImportResult } from '../../schemas/planning.js';

/** Targets are set for a whole state or the country, so by state officers and national admins. */
const TARGET_ROLES: StaffRole[] = ['STATE_OFFICER', 'NATIONAL_ADMIN'];

export const TARGET_CSV_COLUMNS = ['district_id', 'target_population', 'state_id'] as const;
/** state_id is optional: when given, it is checked against the district's state (catches a shifted column). */
const OPTIONAL_COLUMNS = ['state_id'] as const;
/** More than India's population: a larger figure is a typo. */
export const MAX_TARGET_POPULATION = 2_000_000_000;
const MAX_INT = 2_147_483_647;

interface TargetRow {
  row: number;
  districtId: number;
  targetPopulation: number;
}

/** Reads and checks the file: the rows to apply, or every row's problems. */
async function checkTargetCsv(
  db: Db,
  me: StaffPrincipal,
  text: string,
): Promise<{ targets: TargetRow[]; errors: RowError[] }> {
  const { rows, errors } = readCsvTable(text, TARGET_CSV_COLUMNS, { optional: OPTIONAL_COLUMNS });
  if (errors.some((e) => e.row === 0)) return { targets: [], errors };

  const read = rows.map((row) => ({
    row: row.row,
    districtId: wholeField(row, 'district_id', errors, { max: MAX_INT }),
    targetPopulation: wholeField(row, 'target_population', errors, { max: MAX_TARGET_POPULATION }),
    stateId: wholeField(row, 'state_id', errors, { optional: true, max: MAX_INT }),
  }));
  const districts = await findDistricts(db, [
    ...new Set(read.map((r) => r.districtId).filter((id) => !Number.isNaN(id))),
  ]);
  const firstRowOf = new Map<number, number>();
  for (const r of read) {
    if (Number.isNaN(r.districtId)) continue;
    const district = districts.get(r.districtId);
    const earlier = firstRowOf.get(r.districtId);
    if (earlier !== undefined) {
      errors.push({
        row: r.row,
        column: 'district_id',
        message: `district ${r.districtId} is also on row ${earlier}; a district appears once`,
      });
    } else if (!district) {
      errors.push({ row: r.row, column: 'district_id', message: `there is no district ${r.districtId}` });
    } else if (!Number.isNaN(r.stateId) && r.stateId !== district.stateId) {
      errors.push({
        row: r.row,
        column: 'state_id',
        message: `district ${r.districtId} (${district.name}) is in state ${district.stateId}, not ${r.stateId}`,
      });
    } else if (!canActInDistrict(me, district)) {
      errors.push({
        row: r.row,
        column: 'district_id',
        message: `district ${r.districtId} (${district.name}) is outside your jurisdiction`,
      });
    }
    if (earlier === undefined) firstRowOf.set(r.districtId, r.row);
  }
  return {
    targets: read.map(({ row, districtId, targetPopulation }) => ({ row, districtId, targetPopulation })),
    errors: errors.sort((a, b) => a.row - b.row),
  };
}

const targetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  acceptCsvBodies(app);

  app.get(
    '/targets',
    {
      preHandler: app.requireStaff(...TARGET_ROLES),
      schema: {
        tags: ['targets'],
        summary: "A state's districts with their target populations and whether each is still a demo figure",
        querystring: Type.Object({ stateId: StateId }, { additionalProperties: false }),
        response: { 200: StateTargets, ...planningErrors },
      },
    },
    async (request) => {
      const me = staffOf(request);
      const { stateId } = request.query;
      await assertStateAccess(app.db, me, stateId);
      const districts = await readStateTargets(app.db, stateId);
      return {
        stateId,
        targetPopulation: districts.reduce((n, d) => n + d.targetPopulation, 0),
        targetIsDemo: districts.some((d) => d.targetIsDemo),
        districts: districts.map(({ stateId: _state, ...d }) => d),
      };
    },
  );

  app.post(
    '/targets/import',
    {
      preHandler: app.requireStaff(...TARGET_ROLES),
      bodyLimit: CSV_BODY_LIMIT,
      schema: {
        tags: ['targets'],
        summary: "Set districts' target populations from a CSV file (content-type text/csv): all rows or none",
        description:
          `Columns: district_id,target_population (optionally state_id, checked against the district's state). At most ${CSV_MAX_ROWS} rows. ` +
          "A state officer sets only their state's districts. The imported targets are real (no longer demo). A bad file answers 422 with every row's problems.",
        querystring: Type.Object({ dry_run: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        consumes: ['text/csv'],
        body: Type.String({ maxLength: CSV_BODY_LIMIT }),
        response: { 201: TargetImportResult, 200: TargetImportResult, ...planningErrors, 422: ImportRejected },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const dryRun = request.query.dry_run ?? false;
      const { targets, errors } = await checkTargetCsv(app.db, me, request.body);
      if (errors.length) return reply.status(422).send(rowsRejected(errors, 'nothing was changed'));
      if (dryRun) return reply.status(200).send({ dryRun, rows: targets.length, updated: 0 });
      const updated = await setDistrictTargets(app.db, targets, {
        actor: { type: 'STAFF', id: me.staffId, role: me.role },
        via: 'csv',
      });
      return reply.status(201).send({ dryRun, rows: targets.length, updated });
    },
  );
};

export default targetRoutes;
