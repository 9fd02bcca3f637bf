/**
 * The OpenAPI 3 document of /api/v1 and /api/v2, generated from the route schemas (so it cannot drift from
 * what the API validates and serialises), served as JSON at /api/docs/json and browsable at /api/docs.
 * Swagger UI's assets are served from the installed package and its validator badge is off: the page
 * fetches nothing from outside the server. Register this before any route: it learns routes as they are added.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { version } from '../version.js';

export const DOCS_PREFIX = '/api/docs';

/** Only the APIs are documented: not the dashboard's files, the bare /health alias or the docs themselves. */
const DOCUMENTED = /^\/api\/(v1|v2)\//;

export default fp(async function openapi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Teeka API',
        version,
        description:
          "Teeka REST API (/api/v1) and the Co-WIN compatible public API (/api/v2, same paths and shapes as Co-WIN's " +
          'published Public APIs), with the public dashboard figures at /api/v1/reports/v2. Co-WIN refusals are ' +
          '`{"errorCode","error"}`; a missing or bad token on /api/v2 is a 401 with the plain-text body `Unauthenticated access!`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: ({ schema, url }) => {
      const documented = DOCUMENTED.test(url);
      return { schema: documented ? schema : { ...schema, hide: true }, url };
    },
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    staticCSP: true,
    uiConfig: { docExpansion: 'list', deepLinking: true, validatorUrl: null },
  });
});
