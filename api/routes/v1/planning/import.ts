/**
 * Bulk planning from a CSV file: every row is checked (fields, site and jurisdiction, vaccine, date, hours,
 * clashes with existing days and within the file) and either all rows become session days in one
 * transaction or none do, with every row's problems listed. `?dry_run=true` only checks.
 *
 * This plugin is registered on its own (not wrapped in fastify-plugin), so the text/csv parser it adds
 * applies to its route only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CsvError, parse } from 'csv-parse/sync';
import { Type } from 'typebox';
import { planSessionDays, type PlannedSessionDay } from '../../../../db/repositories/session-day-planning.js';
import { canActInDistrict } from '../../../auth/jurisdiction.js';
import { badRequest } from '../../../errors.js';
import { staffOf } from '../../../plugins/auth.js';
import { ImportRejected, ImportResult, planningErrors } from '../../../schemas/planning.js';
import { OFFICER_ROLES } from './jurisdiction.js';

export const SESSION_CSV_COLUMNS = [
  'site_id', 'date', 'vaccine', 'min_age', 'max_age', 'dose1_capacity', 'dose2_capacity', 'walkin_capacity', 'opens_at', 'closes_at', 'slot_minutes',
] as const;
type Column = (typeof SESSION_CSV_COLUMNS)[number];

export const CSV_BODY_LIMIT = 1024 * 1024;
export const CSV_MAX_ROWS = 2000;

export interface RowError {
  /** 1-based data row; 0 is the header. */
  row: number;
  column?: string;
  message: string;
}

/** Reads the file into plans (one per data row, in order) and the problems found in its fields. */
export function readSessionCsv(text: string): { plans: PlannedSessionDay[]; errors: RowError[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const lines = typeof error.lines === 'number' ? error.lines : undefined;
    return { plans: [], errors: [{ row: Math.max(0, (lines ?? 1) - 1), message: `the file is not readable CSV${lines ? ` near line ${lines}` : ''}: ${error.message}` }] };
  }
  if (!records.length) return { plans: [], errors: [{ row: 0, message: `the file is empty; its first line must be the header ${SESSION_CSV_COLUMNS.join(',')}` }] };

  const header = records[0].map((h) => h.toLowerCase());
  const errors: RowError[] = [];
  for (const column of SESSION_CSV_COLUMNS) if (!header.includes(column)) errors.push({ row: 0, column, message: `the header has no ${column} column` });
  header.forEach((h, i) => {
    if (!(SESSION_CSV_COLUMNS as readonly string[]).includes(h)) errors.push({ row: 0, column: h || `#${i + 1}`, message: `unknown column "${h}"; the columns are ${SESSION_CSV_COLUMNS.join(',')}` });
    else if (header.indexOf(h) !== i) errors.push({ row: 0, column: h, message: `the column ${h} appears twice` });
  });
  if (errors.length) return { plans: [], errors };

  const plans: PlannedSessionDay[] = [];
  records.slice(1).forEach((record, i) => {
    const row = i + 1;
    if (record.length !== header.length) errors.push({ row, message: `this row has ${record.length} fields; the header has ${header.length}` });
    const field = (column: Column) => record[header.indexOf(column)] ?? '';
    const whole = (column: Column, { optional = false } = {}): number => {
      const value = field(column);
      if (optional && value === '') return Number.NaN;
      if (!/^\d{1,9}$/.test(value)) {
        errors.push({ row, column, message: value === '' ? `${column} is missing` : `${column} must be a whole number, not "${value}"` });
        return Number.NaN;
      }
      return Number(value);
    };
    const text = (column: Column) => {
      const value = field(column);
      if (value === '') errors.push({ row, column, message: `${column} is missing` });
      return value;
    };
    const maxAge = whole('max_age', { optional: true });
    plans.push({
      siteId: whole('site_id'),
      date: text('date'),
      vaccineCode: text('vaccine').toUpperCase(),
      minAge: whole('min_age'),
      maxAge: Number.isNaN(maxAge) ? null : maxAge,
      dose1Capacity: whole('dose1_capacity'),
      dose2Capacity: whole('dose2_capacity'),
      walkinCapacity: whole('walkin_capacity'),
      opensAt: text('opens_at'),
      closesAt: text('closes_at'),
      slotMinutes: whole('slot_minutes'),
    });
  });
  return { plans, errors };
}

/** One message per row and column: a field that could not be read is not also reported as breaking a rule. */
function mergeErrors(first: RowError[], then: RowError[]): RowError[] {
  const seen = new Set(first.filter((e) => e.column).map((e) => `${e.row}|${e.column}`));
  const rest = then.filter((e) => !e.column || !seen.has(`${e.row}|${e.column}`));
  return [...first, ...rest].sort((a, b) => a.row - b.row);
}

const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.post(
    '/session-days/import',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      bodyLimit: CSV_BODY_LIMIT,
      schema: {
        tags: ['planning'],
        summary: 'Plan many session days from a CSV file (content-type text/csv): all rows or none',
        description: `Columns: ${SESSION_CSV_COLUMNS.join(',')}. At most ${CSV_MAX_ROWS} rows. A bad file answers 422 with every row's problems.`,
        querystring: Type.Object({ dry_run: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        consumes: ['text/csv'],
        body: Type.String({ maxLength: CSV_BODY_LIMIT }),
        response: { 201: ImportResult, 200: ImportResult, ...planningErrors, 422: ImportRejected },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const dryRun = request.query.dry_run ?? false;
      const { plans, errors } = readSessionCsv(request.body);
      if (plans.length > CSV_MAX_ROWS) throw badRequest('TOO_MANY_ROWS', `a file holds at most ${CSV_MAX_ROWS} rows; this one has ${plans.length}`);
      if (!plans.length && !errors.length) errors.push({ row: 0, message: 'the file has a header but no rows' });

      let sessionDayIds: string[] = [];
      let problems = errors;
      if (!errors.some((e) => e.row === 0)) {
        const result = await planSessionDays(app.db, plans, {
          actor: { type: 'STAFF', id: me.staffId, role: me.role },
          mayPlanIn: (district) => canActInDistrict(me, district),
          // Rows with unreadable fields are checked too (so every problem is listed) but never written.
          dryRun: dryRun || errors.length > 0,
          via: 'csv',
          label: (index) => `row ${index + 1}`,
        });
        if (!result.ok) problems = mergeErrors(errors, result.problems.map((p) => ({ row: p.index + 1, column: p.column, message: p.message })));
        else sessionDayIds = result.sessionDayIds;
      }
      if (problems.length) {
        const rows = new Set(problems.map((e) => e.row).filter((row) => row > 0)).size;
        return reply.status(422).send({
          statusCode: 422,
          code: 'INVALID_ROWS',
          error: 'Unprocessable Entity',
          message: rows ? `${rows} ${rows === 1 ? 'row has' : 'rows have'} problems; nothing was created` : `the file cannot be used: ${problems[0].message}`,
          errors: problems,
        });
      }
      return reply.status(dryRun ? 200 : 201).send({ dryRun, rows: plans.length, created: sessionDayIds.length, sessionDayIds });
    },
  );
};

export default importRoutes;
