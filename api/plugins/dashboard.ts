import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const dashboardDist = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));

/** Serves the built dashboard at `/`. The SPA routes by hash, so only real files are served. */
export default fp(async function dashboard(app: FastifyInstance) {
  if (!existsSync(dashboardDist)) {
    app.log.warn('dashboard/dist is missing: run `npm run build:dashboard` (npm start does it for you)');
    return;
  }
  await app.register(fastifyStatic, {
    root: dashboardDist,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    // Hashed assets never change; index.html must always be revalidated.
    setHeaders(res, filePath) {
      res.header('cache-control', filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
});
