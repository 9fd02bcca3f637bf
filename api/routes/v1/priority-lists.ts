/**
 * Bulk upload of health-care (HCW) and front-line worker (FLW) lists, CSV, all rows or none (api/services/
 * priority-lists.ts). Officers upload for the employers of their area: district and state officers and national
 * admins. Listed people carry no place of their own (a person books anywhere), so the list is not tied to the
 * officer's jurisdiction; every upload is audited with who made it.
 *
 * This plugin is registered on its own (not wrapped in fastify-plugin), so the text/csv parser it adds applies to
 * its routes only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { StaffRole } from '../../../db/schema.js';
import { acceptCsvBodies, CSV_BODY_LIMIT, CSV_MAX_ROWS, rowsRejected } from '../../csv.js';
import { staffOf } from '../../plugins/auth.js';
import { ImportRejected, planningErrors } from '../../schemas/planning.js';
import { PriorityGroup, PriorityListResult } from '../../schemas/priority-groups.js';
import { checkPriorityList, PRIORITY_LIST_COLUMNS, registerListedWorkers } from '../../services/priority-lists.js';

const LIST_ROLES: StaffRole[] = ['DISTRICT_OFFICER', 'STATE_OFFICER', 'NATIONAL_ADMIN'];

const priorityListRoutes: FastifyPluginAsyncTypebox = async (app) => {
  acceptCsvBodies(app);

  app.post(
    '/priority-lists/import',
    {
      preHandler: app.requireStaff(...LIST_ROLES),
      bodyLimit: CSV_BODY_LIMIT,
      schema: {
        tags: ['priority groups'],
        summary: 'Register a list of health-care or front-line workers from a CSV file (text/csv): all rows or none',
        description:
          `Columns: ${PRIORITY_LIST_COLUMNS.join(',')} (comorbidity optional, Y or N). At most ${CSV_MAX_ROWS} rows. ` +
          'Each worker is registered as anyone is (one person per photo ID, four per mobile), marked with the group, ' +
          'and sent an SMS to verify their mobile and book. A photo ID twice in the file or already registered is a ' +
          "row's problem; a bad file answers 422 with every row's problems and registers nobody. A worker already " +
          'registered from a list of the same group is skipped, so the same file uploaded again doubles nobody.',
        querystring: Type.Object(
          { group: PriorityGroup, dry_run: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        consumes: ['text/csv'],
        body: Type.String({ maxLength: CSV_BODY_LIMIT }),
        response: { 201: PriorityListResult, 200: PriorityListResult, ...planningErrors, 422: ImportRejected },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const { group } = request.query;
      const dryRun = request.query.dry_run ?? false;
      const check = await checkPriorityList(app, request.body, group);
      if (check.errors.length) return reply.status(422).send(rowsRejected(check.errors, 'nobody was registered'));
      const rows = check.workers.length + check.alreadyListed.length;
      const answer = { dryRun, group, rows, toRegister: check.workers.length, alreadyListed: check.alreadyListed };
      if (dryRun) return reply.status(200).send({ ...answer, registered: [] });
      const { registered } = await registerListedWorkers(
        app,
        { type: 'STAFF', id: me.staffId, role: me.role },
        {
          group,
          workers: check.workers,
          alreadyListed: check.alreadyListed,
        },
      );
      return reply.status(201).send({ ...answer, registered });
    },
  );
};

export default priorityListRoutes;
