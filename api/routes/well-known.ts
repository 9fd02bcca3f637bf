import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Public keys that verify certificates offline (verifier apps cache them). */
const wellKnownRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/.well-known/jwks.json', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=3600');
    return app.certificates.publicJwks();
  });
};

export default wellKnownRoutes;
