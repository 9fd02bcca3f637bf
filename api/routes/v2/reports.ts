import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { publicReportFigures } from '../../../db/repositories/public-report.js';
import { indiaDate } from '../../../domain/time.js';
import type { CowinRouteOptions } from '../../plugins/cowin-v2.js';
import { cowinPublicErrors, PublicReport, ReportQuery } from '../../schemas/cowin-v2.js';
import { AppError } from '../../errors.js';
import { isCalendarDate, toPublicReport } from '../../services/cowin-mapping.js';

/** Co-WIN's public dashboard figures for the country, a state or a district, as of a date. */
const reportRoutes: FastifyPluginAsyncTypebox<CowinRouteOptions> = async (app, { publicLimit }) => {
  app.get(
    '/getPublicReports',
    {
      onRequest: publicLimit,
      schema: {
        tags: ['co-win public reports'],
        summary: 'Vaccinations, registrations and sites for the country, a state or a district (empty ids = all)',
        querystring: ReportQuery,
        response: { 200: PublicReport, ...cowinPublicErrors },
      },
    },
    async (request, reply) => {
      // Co-WIN's dashboard sends `state_id=&district_id=` for "all": an empty value means no filter.
      const id = (value: string | undefined) => (value ? Number(value) : undefined);
      const date = request.query.date || indiaDate();
      if (!isCalendarDate(date)) throw new AppError('INVALID_INPUT', 'Invalid date; use YYYY-MM-DD');
      const figures = await publicReportFigures(app.db, {
        stateId: id(request.query.state_id),
        districtId: id(request.query.district_id),
        date,
      });
      reply.header('cache-control', 'public, max-age=60');
      return toPublicReport(figures, new Date());
    },
  );
};

export default reportRoutes;
