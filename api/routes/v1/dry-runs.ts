/**
 * Dry runs: a district officer rehearses a vaccination day in their district, a state officer in their state
 * (one or many districts), a national admin anywhere. Plan one (a drill at the real time, or a simulation on a
 * compressed clock), follow it, read its findings (JSON or CSV), delete it whole. Every write and export is audited.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { writeAudit } from '../../../db/repositories/audit.js';
import { dryRunPeople, findDryRun, listDryRuns, type DryRunView } from '../../../db/repositories/dry-runs.js';
import { canActInDistrict } from '../../auth/jurisdiction.js';
import { AppError, forbidden, notFound } from '../../errors.js';
import { staffOf, type StaffPrincipal } from '../../plugins/auth.js';
import {
  DryRunDeleted,
  DryRunFindingsView,
  DryRunList,
  DryRunListQuery,
  DryRunPeople,
  DryRunSessions,
  FindingsPdf,
  DryRunView as DryRunViewSchema,
  NewDryRunBody,
} from '../../schemas/dry-runs.js';
import { planningErrors } from '../../schemas/planning.js';
import { Uuid } from '../../schemas/v1.js';
import { createDryRun, dryRunFindings, findingsCsv, removeDryRun } from '../../services/dry-runs.js';
import { renderFindingsPdf } from '../../services/dry-run-pdf.js';
import { OFFICER_ROLES } from './planning/jurisdiction.js';
import { readDryRunSessions } from '../../../db/repositories/dashboard.js';
import { DEFAULT_PARAMETERS, simulationCalendarStart, type DryRunParameters } from '../../../domain/dry-run.js';

const Params = Type.Object({ dryRunId: Uuid });

const view = (run: DryRunView) => ({
  ...run,
  createdAt: run.createdAt.toISOString(),
  startedAt: run.startedAt?.toISOString() ?? null,
  finishedAt: run.finishedAt?.toISOString() ?? null,
});

/** A district run: its district's officers and those above; a state-wide run: its state's officers and admins. */
function mayAct(me: StaffPrincipal, run: { stateId: number; districtId: number | null }): boolean {
  if (run.districtId !== null) return canActInDistrict(me, { id: run.districtId, stateId: run.stateId });
  return me.role === 'NATIONAL_ADMIN' || (me.role === 'STATE_OFFICER' && me.stateId === run.stateId);
}

const dryRunRoutes: FastifyPluginAsyncTypebox = async (app) => {
  async function runFor(me: StaffPrincipal, dryRunId: string): Promise<DryRunView> {
    const run = await findDryRun(app.db, dryRunId);
    if (!run) throw notFound('dry run');
    if (!mayAct(me, run)) throw forbidden('that dry run is outside your jurisdiction');
    return run;
  }

  app.post(
    '/dry-runs',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['dry runs'],
        summary: "Plan a dry run at sites of the caller's jurisdiction, for today: a drill or a simulation",
        description:
          "Each site gets a session day marked as the dry run's, with its slots and team; test people are generated " +
          '(Others-type test IDs, test mobiles) and booked. A simulation then plays the day on its compressed clock ' +
          '(dayMs) with simulated arrivals and team members taking the real steps through the API, and finishes on its ' +
          "own; a drill's real staff work it at the desk at the real time. Nothing of a dry run counts as real.",
        body: NewDryRunBody,
        response: { 201: DryRunViewSchema, ...planningErrors },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const body = request.body;
      const sites = await app.db
        .selectFrom('site')
        .innerJoin('district', 'district.id', 'site.district_id')
        .select(['site.id', 'site.district_id', 'district.state_id'])
        .where('site.id', 'in', body.siteIds)
        .execute();
      const missing = body.siteIds.filter((id) => !sites.some((s) => s.id === id));
      if (missing.length) throw notFound(`site ${missing.join(', ')}`);
      for (const site of sites) {
        if (!canActInDistrict(me, { id: site.district_id, stateId: site.state_id }))
          throw forbidden(`site ${site.id} is outside your jurisdiction`);
      }
      const states = new Set(sites.map((s) => s.state_id));
      const districts = new Set(sites.map((s) => s.district_id));
      if (states.size > 1) throw new AppError('INVALID_DRY_RUN', "a dry run's sites are in one state");
      if (body.team) {
        // A drill's team: real, active vaccinators of the district of every site.
        if (districts.size > 1) throw new AppError('INVALID_DRY_RUN', "a drill's team works at sites of one district");
        const staff = await app.db
          .selectFrom('staff_user')
          .select(['id', 'district_id', 'active', 'role', 'dry_run_id'])
          .where(
            'id',
            'in',
            body.team.map((m) => m.staffId),
          )
          .execute();
        const [districtId] = districts;
        for (const member of body.team) {
          const row = staff.find((s) => s.id === member.staffId);
          if (!row || row.dry_run_id || row.role !== 'VACCINATOR' || !row.active || row.district_id !== districtId)
            throw new AppError(
              'INVALID_DRY_RUN',
              `staff ${member.staffId} is not an active vaccinator of the district`,
            );
        }
      }
      const run = await createDryRun(app, { type: 'STAFF', id: me.staffId, role: me.role }, body, {
        stateId: [...states][0],
        districtId: districts.size === 1 ? [...districts][0] : null,
      });
      return reply.status(201).send(view(run));
    },
  );

  app.get(
    '/dry-runs',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['dry runs'],
        summary: "Dry runs in the caller's jurisdiction (or the district or state asked for), newest first",
        querystring: DryRunListQuery,
        response: { 200: DryRunList, ...planningErrors },
      },
    },
    async (request) => {
      const me = staffOf(request);
      let scope: { districtId?: number; stateId?: number };
      if (request.query.districtId !== undefined) {
        const district = await app.db
          .selectFrom('district')
          .select(['id', 'state_id'])
          .where('id', '=', request.query.districtId)
          .executeTakeFirst();
        if (!district) throw notFound('district');
        if (!canActInDistrict(me, { id: district.id, stateId: district.state_id }))
          throw forbidden('that district is outside your jurisdiction');
        scope = { districtId: district.id };
      } else if (request.query.stateId !== undefined) {
        if (!(me.role === 'NATIONAL_ADMIN' || (me.role === 'STATE_OFFICER' && me.stateId === request.query.stateId)))
          throw forbidden('that state is outside your jurisdiction');
        scope = { stateId: request.query.stateId };
      } else {
        scope =
          me.role === 'NATIONAL_ADMIN'
            ? {}
            : me.role === 'STATE_OFFICER'
              ? { stateId: me.stateId! }
              : { districtId: me.districtId! };
      }
      return { dryRuns: (await listDryRuns(app.db, scope)).map(view) };
    },
  );

  app.get(
    '/dry-runs/:dryRunId',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['dry runs'],
        summary: 'A dry run as it stands',
        params: Params,
        response: { 200: DryRunViewSchema, ...planningErrors },
      },
    },
    async (request) => view(await runFor(staffOf(request), request.params.dryRunId)),
  );

  app.get(
    '/dry-runs/:dryRunId/sessions',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['dry runs'],
        summary:
          "A dry run's session days, live, as the war room and the district console show a day (marked as a dry run)",
        description:
          "Only this run's session days, never mixed with real ones (the real dashboards never show them). A " +
          "simulation's days are read on its compressed clock (calendarNow), so pace and silence read as on a real day.",
        params: Params,
        response: { 200: DryRunSessions, ...planningErrors },
      },
    },
    async (request) => {
      const run = await runFor(staffOf(request), request.params.dryRunId);
      const simulated = run.mode === 'SIMULATION' && run.dayMs !== null;
      const { calendarNow, sessions } = await readDryRunSessions(app.db, {
        id: run.id,
        dayMs: simulated ? run.dayMs : null,
        calendarStartMs: simulated
          ? simulationCalendarStart(
              run.date,
              (run.parameters as Partial<DryRunParameters>).opensAt ?? DEFAULT_PARAMETERS.opensAt,
            )
          : null,
        startedAt: run.startedAt,
      });
      return {
        dryRun: {
          id: run.id,
          name: run.name,
          mode: run.mode,
          status: run.status,
          date: run.date,
          districtId: run.districtId,
        },
        clock: simulated ? ('SIMULATED' as const) : ('REAL' as const),
        calendarNow: calendarNow.toISOString(),
        sessions,
      };
    },
  );

  app.get(
    '/dry-runs/:dryRunId/people',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['dry runs'],
        summary: "A dry run's test people and their slips (reference id, secret code, slot), for a drill's desk",
        params: Params,
        response: { 200: DryRunPeople, ...planningErrors },
      },
    },
    async (request) => {
      const run = await runFor(staffOf(request), request.params.dryRunId);
      return { people: await dryRunPeople(app.db, run.id) };
    },
  );

  app.get(
    '/dry-runs/:dryRunId/findings',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['dry runs'],
        summary: "A dry run's findings, per site and for the whole run, from what the database holds for it",
        params: Params,
        response: { 200: DryRunFindingsView, ...planningErrors },
      },
    },
    async (request) => {
      const run = await runFor(staffOf(request), request.params.dryRunId);
      return dryRunFindings(app, run);
    },
  );

  app.get(
    '/dry-runs/:dryRunId/findings.csv',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['dry runs'],
        summary: "A dry run's findings as CSV: a row per site, one for the run, then a row per site and slot",
        params: Params,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'the findings file (text/csv)' }), ...planningErrors },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const run = await runFor(me, request.params.dryRunId);
      const csv = findingsCsv(await dryRunFindings(app, run));
      await writeAudit(app.db, {
        actor: { type: 'STAFF', id: me.staffId, role: me.role },
        action: 'DRY_RUN_FINDINGS_EXPORTED',
        entityType: 'dry_run',
        entityId: run.id,
        details: { format: 'csv' },
      });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="dry-run-${run.id.slice(0, 8)}-findings.csv"`)
        .send(csv);
    },
  );

  app.get(
    '/dry-runs/:dryRunId/findings.pdf',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['dry runs'],
        summary: "A dry run's findings as a PDF: the whole run, then each site with its steps and slots",
        params: Params,
        produces: ['application/pdf'],
        response: { 200: FindingsPdf, ...planningErrors },
      },
    },
    async (request, reply) => {
      const me = staffOf(request);
      const run = await runFor(me, request.params.dryRunId);
      const pdf = await renderFindingsPdf(await dryRunFindings(app, run));
      await writeAudit(app.db, {
        actor: { type: 'STAFF', id: me.staffId, role: me.role },
        action: 'DRY_RUN_FINDINGS_EXPORTED',
        entityType: 'dry_run',
        entityId: run.id,
        details: { format: 'pdf' },
      });
      return (
        reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="dry-run-${run.id.slice(0, 8)}-findings.pdf"`)
          // The schema documents the PDF for OpenAPI; the typed reply knows JSON answers only (as the slip's route).
          .send(pdf as never)
      );
    },
  );

  app.delete(
    '/dry-runs/:dryRunId',
    {
      preHandler: app.requireStaff(...OFFICER_ROLES),
      schema: {
        tags: ['dry runs'],
        summary: 'Delete a dry run whole: everything it created, and nothing else',
        params: Params,
        response: { 200: DryRunDeleted, ...planningErrors },
      },
    },
    async (request) => {
      const me = staffOf(request);
      const run = await runFor(me, request.params.dryRunId);
      const removed = await removeDryRun(app, run, { type: 'STAFF', id: me.staffId, role: me.role });
      return { deleted: run.id, removed };
    },
  );
};

export default dryRunRoutes;
