/**
 * A state's eligibility phases: which priority groups and ages may be vaccinated at sessions from which date.
 * Read and set, as one whole list, by the state's officer or a national admin; each save is audited
 * (ELIGIBILITY_PHASES_SET, the list before and after). `?dry_run=true` checks a list without saving it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readPhases, type StoredPhase } from '../../../db/repositories/eligibility-phases.js';
import type { StaffRole } from '../../../db/schema.js';
import { assertStateAccess } from '../../auth/jurisdiction.js';
import { Type } from 'typebox';
import { staffOf } from '../../plugins/auth.js';
import { planningErrors } from '../../schemas/planning.js';
import { PhasesBody, StateParams, StatePhases } from '../../schemas/priority-groups.js';
import { setStatePhases } from '../../services/eligibility-phases.js';

/** Phases are a whole state's: its state officers and national admins read and set them. */
const PHASE_OFFICERS: StaffRole[] = ['STATE_OFFICER', 'NATIONAL_ADMIN'];

const view = (stateId: number, phases: StoredPhase[]) => ({
  stateId,
  restricted: phases.length > 0,
  phases: phases.map((p) => ({ ...p, updatedAt: p.updatedAt.toISOString() })),
});

const eligibilityPhaseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/states/:stateId/eligibility-phases',
    {
      preHandler: app.requireStaff(...PHASE_OFFICERS),
      schema: {
        tags: ['priority groups'],
        summary: "A state's eligibility phases: which groups and ages are vaccinated at sessions from which date",
        params: StateParams,
        response: { 200: StatePhases, ...planningErrors },
      },
    },
    async (request) => {
      const { stateId } = request.params;
      await assertStateAccess(app.db, staffOf(request), stateId);
      return view(stateId, await readPhases(app.db, stateId));
    },
  );

  app.put(
    '/states/:stateId/eligibility-phases',
    {
      preHandler: app.requireStaff(...PHASE_OFFICERS),
      schema: {
        tags: ['priority groups'],
        summary: "Replace a state's eligibility phases (the whole list; an empty list lifts every restriction)",
        description:
          'A person may be vaccinated at a session when some phase that admits their group (HCW, FLW, COMORBID, or GENERAL for everyone) ' +
          "and their age (the session's year less the birth year) opens on or before the session's date. A state with no phases restricts nobody. " +
          'Bookings, reschedules, the desk and the Co-WIN API refuse others with PHASE_NOT_OPEN.',
        params: StateParams,
        querystring: Type.Object({ dry_run: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        body: PhasesBody,
        response: { 200: StatePhases, ...planningErrors },
      },
    },
    async (request) => {
      const me = staffOf(request);
      const { stateId } = request.params;
      await assertStateAccess(app.db, me, stateId);
      const phases = await setStatePhases(app.db, {
        stateId,
        phases: request.body.phases.map((p) => ({ ...p, maxAge: p.maxAge ?? null })),
        actor: { type: 'STAFF', id: me.staffId, role: me.role },
        dryRun: request.query.dry_run ?? false,
      });
      return view(stateId, phases);
    },
  );
};

export default eligibilityPhaseRoutes;
