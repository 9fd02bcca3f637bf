/**
 * The current district list, imported by a national admin from a CSV file (db/repositories/districts.ts says
 * what an import does). All rows or none: every row is checked and any problem answers 422 listing every row's
 * problems; `?dry_run=true` only checks and says what the file would do.
 *
 * This plugin is registered on its own (not wrapped in fastify-plugin), so the text/csv parser it adds
 * applies to its routes only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../../../db/connection.js';
import {
  existingStates,
  importDistrictList,
  planDistrictList,
  readDistrictsOfStates,
  type DistrictListPlan,
  type DistrictListRow,
} from '../../../db/repositories/districts.js';
import {
  acceptCsvBodies,
  CSV_BODY_LIMIT,
  CSV_MAX_ROWS,
  mergeRowErrors,
  missingField,
  readCsvTable,
  rowsRejected,
  wholeField,
  type CsvRow,
  type RowError,
} from '../../csv.js';
import { staffOf } from '../../plugins/auth.js';
import { DistrictImportResult, ImportRejected, planningErrors } from '../../schemas/planning.js';
import { MAX_TARGET_POPULATION } from './targets.js';

export const DISTRICT_CSV_COLUMNS = [
  'state_id',
  'district_id',
  'name',
  'name_hi',
  'lat',
  'lng',
  'target_population',
  'pincodes',
] as const;
type Column = (typeof DISTRICT_CSV_COLUMNS)[number];
const OPTIONAL_COLUMNS: Column[] = ['district_id', 'name_hi', 'target_population', 'pincodes'];

/** India lies within these; a centroid outside is a swapped or mistyped coordinate. */
const LATITUDE = [6, 38] as const;
const LONGITUDE = [68, 98] as const;
const MAX_NAME = 100;

function coordinate(row: CsvRow<Column>, column: 'lat' | 'lng', errors: RowError[]): number {
  const [min, max] = column === 'lat' ? LATITUDE : LONGITUDE;
  const value = row.get(column);
  const number = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (value === '') errors.push({ row: row.row, column, ...missingField(column) });
  else if (Number.isNaN(number))
    errors.push({ row: row.row, column, message: `${column} must be a decimal number, not "${value}"` });
  else if (number < min || number > max)
    errors.push({ row: row.row, column, message: `${column} ${value} is outside India (${min} to ${max})` });
  else return number;
  return Number.NaN;
}

/** Reads the file field by field, then checks it against the districts there are: the rows, or every problem. */
async function checkDistrictCsv(
  db: Db,
  text: string,
): Promise<{ rows: DistrictListRow[]; plan?: DistrictListPlan; errors: RowError[] }> {
  const { rows, errors } = readCsvTable(text, DISTRICT_CSV_COLUMNS, { optional: OPTIONAL_COLUMNS });
  if (errors.some((e) => e.row === 0)) return { rows: [], errors };

  const read = rows.map((row): DistrictListRow => {
    const name = row.get('name').replace(/\s+/g, ' ');
    if (!name) errors.push({ row: row.row, column: 'name', message: 'name is missing' });
    else if (name.length > MAX_NAME)
      errors.push({ row: row.row, column: 'name', message: `name is longer than ${MAX_NAME} characters` });
    const nameHi = row.get('name_hi').replace(/\s+/g, ' ');
    if (nameHi.length > MAX_NAME)
      errors.push({ row: row.row, column: 'name_hi', message: `name_hi is longer than ${MAX_NAME} characters` });
    const pincodes = row
      .get('pincodes')
      .split(/[\s;]+/)
      .filter(Boolean)
      .map((p) => {
        if (/^[1-9]\d{5}$/.test(p)) return Number(p);
        errors.push({ row: row.row, column: 'pincodes', message: `"${p}" is not a 6-digit pincode` });
        return Number.NaN;
      })
      .filter((p) => !Number.isNaN(p));
    const districtId = wholeField(row, 'district_id', errors, { optional: true, max: 999_999 });
    const target = wholeField(row, 'target_population', errors, { optional: true, max: MAX_TARGET_POPULATION });
    return {
      row: row.row,
      stateId: wholeField(row, 'state_id', errors, { max: 99 }),
      districtId: Number.isNaN(districtId) ? undefined : districtId,
      name,
      nameHi: nameHi || undefined,
      lat: coordinate(row, 'lat', errors),
      lng: coordinate(row, 'lng', errors),
      targetPopulation: Number.isNaN(target) ? undefined : target,
      pincodes,
    };
  });

  // Within the file: a state that exists, a district or name once, a pincode once.
  const rules: RowError[] = [];
  const states = await existingStates(db, [...new Set(read.map((r) => r.stateId).filter(Number.isInteger))]);
  const seenName = new Map<string, number>();
  const seenPincode = new Map<number, number>();
  for (const r of read) {
    if (Number.isInteger(r.stateId) && !states.has(r.stateId))
      rules.push({ row: r.row, column: 'state_id', message: `there is no state ${r.stateId}` });
    const key = `${r.stateId}|${r.name.toLocaleLowerCase('en')}`;
    const earlier = seenName.get(key);
    if (r.name && earlier !== undefined)
      rules.push({
        row: r.row,
        column: 'name',
        message: `${r.name} is also on row ${earlier}; a district appears once`,
      });
    else seenName.set(key, r.row);
    for (const pincode of r.pincodes) {
      const first = seenPincode.get(pincode);
      if (first !== undefined && first !== r.row)
        rules.push({ row: r.row, column: 'pincodes', message: `pincode ${pincode} is also on row ${first}` });
      else seenPincode.set(pincode, r.row);
    }
  }
  const unread = mergeRowErrors(errors, rules);
  // The rows that read well are checked against the list too, so one answer names every row's problems.
  const bad = new Set(unread.map((e) => e.row));
  const plan = planDistrictList(
    read.filter((r) => !bad.has(r.row)),
    await readDistrictsOfStates(db, [...states]),
  );
  return { rows: read, plan, errors: mergeRowErrors(unread, plan.errors) };
}

const answer = (dryRun: boolean, rows: number, plan: DistrictListPlan, pincodesMoved: number) => ({
  dryRun,
  rows,
  created: plan.changes
    .filter((c) => c.kind === 'create')
    .map((c) => ({ districtId: c.id, stateId: c.stateId, name: c.name })),
  updated: plan.changes.filter((c) => c.kind === 'update').length,
  unchanged: plan.changes.filter((c) => c.kind === 'unchanged').length,
  pincodesMoved,
  unlisted: plan.unlisted,
});

const districtImportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  acceptCsvBodies(app);

  app.post(
    '/districts/import',
    {
      preHandler: app.requireStaff('NATIONAL_ADMIN'),
      bodyLimit: CSV_BODY_LIMIT,
      schema: {
        tags: ['geography'],
        summary: 'Import the current district list from a CSV file (content-type text/csv): all rows or none',
        description:
          `Columns: state_id,name,lat,lng, optionally district_id (to rename or re-centre that district), name_hi, target_population and pincodes (space-separated; they move to this district). At most ${CSV_MAX_ROWS} rows. ` +
          'A row without district_id is the district of that name in its state, or a new district numbered after the last of its state. ' +
          "No district is deleted: those of the file's states it does not name are listed as unlisted and kept. A bad file answers 422 with every row's problems.",
        querystring: Type.Object({ dry_run: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        consumes: ['text/csv'],
        body: Type.String({ maxLength: CSV_BODY_LIMIT }),
        response: { 201: DistrictImportResult, 200: DistrictImportResult, ...planningErrors, 422: ImportRejected },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const dryRun = request.query.dry_run ?? false;
      const checked = await checkDistrictCsv(app.db, request.body);
      if (checked.errors.length || !checked.plan)
        return reply.status(422).send(rowsRejected(checked.errors, 'nothing was changed'));
      if (dryRun) return reply.status(200).send(answer(true, checked.rows.length, checked.plan, 0));
      const done = await importDistrictList(app.db, checked.rows, {
        actor: { type: 'STAFF', id: me.staffId, role: me.role },
      });
      // Another import of the same state may have come first; the plan made again under the lock decides.
      if (done.errors.length) return reply.status(422).send(rowsRejected(done.errors, 'nothing was changed'));
      return reply.status(201).send(answer(false, checked.rows.length, done, done.pincodesMoved));
    },
  );
};

export default districtImportRoutes;
