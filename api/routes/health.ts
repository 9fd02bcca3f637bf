import { type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health, Ready } from '../schemas/health.js';
import { checkDependencies } from '../services/readiness.js';
import { version } from '../version.js';

/**
 * Liveness (/health: the process answers) and readiness (/ready: Postgres and Temporal answer too). /ready is
 * public (load balancers call it): it says ready or not ready and nothing more; which dependency failed and why is
 * logged and exported as teeka_dependency_up on /metrics (api/services/readiness.ts).
 */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { schema: { tags: ['operations'], response: { 200: Health } } }, async () => ({
    status: 'ok' as const,
    version,
    uptimeSeconds: Math.round(process.uptime()),
  }));

  app.get(
    '/ready',
    { schema: { tags: ['operations'], response: { 200: Ready, 503: Ready } } },
    async (request, reply) => {
      const checks = await checkDependencies(app);
      const failing = Object.entries(checks).filter(([, c]) => !c.ok);
      for (const [name, c] of failing) request.log.warn(`[ready] ${name} is not ready: ${!c.ok ? c.reason : ''}`);
      return reply.status(failing.length ? 503 : 200).send({ status: failing.length ? 'not ready' : 'ready' });
    },
  );
};

export default healthRoutes;
