import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.js';

/** Where in the request a non-finite number sits ("querystring/districtId"), or undefined when there is none. */
function nonFinite(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (depth > 8 || value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = nonFinite(inner, `${path}/${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Schema validation lets a number too large for a double through as Infinity (a query string's digits coerced, a
 * JSON body's 1e400), and `maximum` does not stop it; no route can use one. One rule for every route, after
 * validation: a non-finite number is a 400, never a database error.
 */
export default fp(async function finiteNumbers(app: FastifyInstance) {
  app.addHook('preHandler', async (request) => {
    const at =
      nonFinite(request.params, 'params') ?? nonFinite(request.query, 'querystring') ?? nonFinite(request.body, 'body');
    if (at) throw new AppError('VALIDATION_FAILED', `invalid ${at.split('/')[0]}: ${at} must be a finite number`);
  });
});
