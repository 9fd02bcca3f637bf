/**
 * The Co-WIN compatible API (/api/v2) and its public dashboard figures (/api/v1/reports/v2), each in its own
 * encapsulated scope with Co-WIN's error conventions: `{"errorCode","error"}` JSON, and a 401 whose body is
 * the plain text partner apps test for. Public endpoints, and every slot search, spend one per-address budget
 * (`app.limits.publicCalls`: RATE_LIMIT_PUBLIC_PER_5MIN calls per 5 minutes; off with 0 or RATE_LIMITS=off). Every booking goes through
 * the same journey workflow and seat rules as the portal's.
 */
import type {
  FastifyBodyParser,
  FastifyInstance,
  FastifyRequest,
  onRequestHookHandler,
  preHandlerAsyncHookHandler,
} from 'fastify';
import { DomainRefusal } from '../../domain/errors.js';
import { AppError, refusalStatus, unauthorized } from '../errors.js';
import appointmentRoutes from '../routes/v2/appointments.js';
import authRoutes from '../routes/v2/auth.js';
import availabilityRoutes from '../routes/v2/availability.js';
import beneficiaryRoutes from '../routes/v2/beneficiaries.js';
import certificateRoutes from '../routes/v2/certificates.js';
import metadataRoutes from '../routes/v2/metadata.js';
import reportRoutes from '../routes/v2/reports.js';
import { UNAUTHENTICATED_BODY } from '../schemas/cowin-v2.js';
import { COWIN_ERRORS, cowinAnswerFor } from '../services/cowin-mapping.js';

/** What each v2 route module is given: the public budget to spend, and the Bearer check. */
export interface CowinRouteOptions {
  /** onRequest hooks of a public endpoint: the per-IP budget (empty when limits are off). */
  publicLimit: onRequestHookHandler[];
  /** preHandler of an endpoint that needs a beneficiary's Bearer token; anything else is a plain 401. */
  requireBearer: preHandlerAsyncHookHandler;
}

async function cowinScope(app: FastifyInstance): Promise<CowinRouteOptions> {
  app.setErrorHandler((error, request, reply) => {
    // Domain refusals carry no HTTP status of their own: the portal's table gives it.
    const seen =
      error instanceof DomainRefusal
        ? { code: error.code, message: error.message, statusCode: refusalStatus(error.code) }
        : (error as AppError);
    const answer = cowinAnswerFor(seen);
    reply.header('cache-control', 'no-store');
    if (answer.kind === 'unauthenticated') {
      return reply.status(401).type('text/plain; charset=utf-8').send(UNAUTHENTICATED_BODY);
    }
    if (answer.status >= 500) request.log.error({ err: error }, 'unhandled error');
    return reply.status(answer.status).type('application/json; charset=utf-8').send(answer.body);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      errorCode: COWIN_ERRORS.NOT_FOUND.errorCode,
      error: `No such API: ${request.method} ${request.url.split('?')[0]}`,
    });
  });

  // One budget for every public endpoint, here and in /api/v1 (api/plugins/rate-limits.ts).
  const publicLimit: onRequestHookHandler[] = [app.limits.publicCalls];

  const requireBearer: preHandlerAsyncHookHandler = async function requireBearer(request: FastifyRequest) {
    const principal = await app.authenticate(request);
    if (principal?.kind !== 'beneficiary') throw unauthorized();
  };

  return { publicLimit, requireBearer };
}

/**
 * Request bodies are JSON whatever the client calls them: partner apps post JSON with no Content-Type (Go's
 * http.Post with an empty type, python-requests with data=) or as text/plain, and Co-WIN read them as JSON. An
 * empty body is no body (getRecaptcha is posted with none, sometimes labelled application/json). Only /api/v2.
 */
function readBodiesAsJson(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  const parse: FastifyBodyParser<string> = (request, body, done) =>
    body.trim() === '' ? done(null, undefined) : json(request, body, done);
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, parse);
  // '*' also answers a request with no Content-Type at all.
  app.addContentTypeParser('*', { parseAs: 'string' }, parse);
}

/** Registered under /api/v2. */
export default async function cowinV2(app: FastifyInstance): Promise<void> {
  const options = await cowinScope(app);
  readBodiesAsJson(app);
  await app.register(metadataRoutes, options);
  await app.register(availabilityRoutes, options);
  await app.register(authRoutes, options);
  await app.register(beneficiaryRoutes, options);
  await app.register(appointmentRoutes, options);
  await app.register(certificateRoutes, options);
}

/** Registered under /api/v1/reports/v2 (where Co-WIN's public dashboard read its figures). */
export async function cowinPublicReports(app: FastifyInstance): Promise<void> {
  const options = await cowinScope(app);
  await app.register(reportRoutes, options);
}
