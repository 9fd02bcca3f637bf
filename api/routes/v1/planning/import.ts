/**
 * Bulk planning from a CSV file: every row is checked (fields, site and jurisdiction, vaccine, date, hours,
 * clashes with existing days and within the file) and either all rows become session days in one
 * transaction or none do, with every row's problems listed. `?dry_run=true` only checks.
 *
 * This plugin is registered on its own (not wrapped in fastify-plugin), so the text/csv parser it adds
 * applies to its route only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { planSessionDays, type PlannedSessionDay } from '../../../../db/repositories/session-day-planning.js';
import { canActInDistrict } from '../../../auth/jurisdiction.js';
import {
  acceptCsvBodies,
  CSV_BODY_LIMIT,
  CSV_MAX_ROWS,
  mergeRowErrors,
  missingField,
  readCsvTable,
  rowsRejected,
  wholeField,
  type RowError,
} from '../../../csv.js';
import { staffOf } from '../../../plugins/auth.js';
import { ImportRejected, ImportResult, planningErrors } from '../../../schemas/planning.js';
import { OFFICER_ROLES } from './jurisdiction.js';

export const SESSION_CSV_COLUMNS = [
  'site_id',
  'date',
  'vaccine',
  'min_age',
  'max_age',
  'dose1_capacity',
  'dose2_capacity',
  'walkin_capacity',
  'opens_at',
  'closes_at',
  'slot_minutes',
] as const;

/** Reads the file into plans (one per data row, in order) and the problems found in its header and fields. */
export function readSessionCsv(text: string): { plans: PlannedSessionDay[]; errors: RowError[] } {
  const { rows, errors } = readCsvTable(text, SESSION_CSV_COLUMNS);
  const plans = rows.map((row): PlannedSessionDay => {
    const whole = (column: (typeof SESSION_CSV_COLUMNS)[number]) => wholeField(row, column, errors);
    const text = (column: (typeof SESSION_CSV_COLUMNS)[number]) => {
      const value = row.get(column);
      if (value === '') errors.push({ row: row.row, column, ...missingField(column) });
      return value;
    };
    const maxAge = wholeField(row, 'max_age', errors, { optional: true });
    return {
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
    };
  });
  // Row order, as the file reads (field-count problems were found before the fields were read).
  return { plans, errors: errors.sort((a, b) => a.row - b.row) };
}

const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  acceptCsvBodies(app);

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
        if (!result.ok)
          problems = mergeRowErrors(
            errors,
            result.problems.map(({ index, column, code, params, message }) => ({
              row: index + 1,
              column,
              code,
              params,
              message,
            })),
          );
        else sessionDayIds = result.sessionDayIds;
      }
      if (problems.length) return reply.status(422).send(rowsRejected(problems, 'nothing was created'));
      return reply
        .status(dryRun ? 200 : 201)
        .send({ dryRun, rows: plans.length, created: sessionDayIds.length, sessionDayIds });
    },
  );
};

export default importRoutes;
