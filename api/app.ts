/**
 * The API as a Fastify plugin: decorations first, then routes with explicit prefixes.
 * server.ts listens; tests build this app and use `app.inject`.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config/env.js';
import type { Db } from '../db/connection.js';
import type { TemporalGateway } from '../workflows/client.js';
import dashboard from './plugins/dashboard.js';
import errorHandler from './plugins/error-handler.js';
import healthRoutes from './routes/health.js';
import { loggerOptions } from './logging.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    temporal: TemporalGateway;
  }
}

export interface AppDeps {
  config: Config;
  db: Db;
  temporal: TemporalGateway;
  /** Overrides for tests (e.g. a log stream to search). */
  fastify?: FastifyServerOptions;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(deps.config),
    bodyLimit: 256 * 1024,
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    ...deps.fastify,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', deps.config);
  app.decorate('db', deps.db);
  app.decorate('temporal', deps.temporal);

  await app.register(errorHandler);
  await app.register(healthRoutes);
  await app.register(healthRoutes, { prefix: '/api' });
  await app.register(dashboard);

  return app;
}
