/**
 * The precaution (third) dose's interval per vaccine, and per priority group of a vaccine: read and changed by state
 * officers and national admins (the interval is the country's, as the batch registry is), each change audited as
 * PRECAUTION_INTERVAL_SET with its reason (api/services/precaution-intervals.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { staffOf } from '../../plugins/auth.js';
import { planningErrors } from '../../schemas/planning.js';
import {
  PrecautionGroupIntervalBody,
  PrecautionGroupIntervalParams,
  PrecautionIntervalBody,
  PrecautionIntervalList,
  PrecautionIntervalParams,
  PrecautionIntervalView,
} from '../../schemas/precaution-intervals.js';
import {
  precautionIntervals,
  setPrecautionGroupInterval,
  setPrecautionInterval,
} from '../../services/precaution-intervals.js';

const SETTERS = ['STATE_OFFICER', 'NATIONAL_ADMIN'] as const;

const precautionIntervalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/precaution-intervals',
    {
      preHandler: app.requireStaff(...SETTERS),
      schema: {
        tags: ['precaution dose'],
        summary:
          "Every vaccine's precaution dose interval (days after the last primary dose; null: none), and its priority groups' own",
        response: { 200: PrecautionIntervalList, ...planningErrors },
      },
    },
    async () => precautionIntervals(app.db),
  );

  app.put(
    '/precaution-intervals/:vaccineCode',
    {
      preHandler: app.requireStaff(...SETTERS),
      schema: {
        tags: ['precaution dose'],
        summary: "Change a vaccine's precaution dose interval, with a reason; audited as PRECAUTION_INTERVAL_SET",
        description:
          'Doses, bookings and due dates decided from then on use the new interval; a due date already told to a person stays. ' +
          'A vaccine whose schedule is not two doses has no precaution dose (422 NO_PRECAUTION_DOSE).',
        params: PrecautionIntervalParams,
        body: PrecautionIntervalBody,
        response: { 200: PrecautionIntervalView, ...planningErrors },
      },
    },
    async (request) => {
      const me = staffOf(request);
      return setPrecautionInterval(
        app.db,
        { type: 'STAFF', id: me.staffId, role: me.role },
        { vaccineCode: request.params.vaccineCode, ...request.body },
      );
    },
  );

  app.put(
    '/precaution-intervals/:vaccineCode/groups/:group',
    {
      preHandler: app.requireStaff(...SETTERS),
      schema: {
        tags: ['precaution dose'],
        summary:
          "Set a priority group's own precaution dose interval for a vaccine (null: the group follows the vaccine's), with a reason; audited as PRECAUTION_INTERVAL_SET",
        description:
          "The group's interval overrides the vaccine's for the people of that group (HCW, FLW); a vaccine with no interval of its own " +
          'then has a precaution dose for that group only. Doses, bookings and due dates decided from then on use it; a due date ' +
          'already told to a person stays. A vaccine whose schedule is not two doses has no precaution dose (422 NO_PRECAUTION_DOSE).',
        params: PrecautionGroupIntervalParams,
        body: PrecautionGroupIntervalBody,
        response: { 200: PrecautionIntervalView, ...planningErrors },
      },
    },
    async (request) => {
      const me = staffOf(request);
      return setPrecautionGroupInterval(
        app.db,
        { type: 'STAFF', id: me.staffId, role: me.role },
        { vaccineCode: request.params.vaccineCode, group: request.params.group, ...request.body },
      );
    },
  );
};

export default precautionIntervalRoutes;
