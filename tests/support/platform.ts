/** Builds the real app and clients against the suite's Postgres and Temporal (see tests/setup/platform.ts). */
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp, type AppDeps } from '../../api/app.js';
import type { Config } from '../../config/env.js';
import { createDb, type Db } from '../../db/connection.js';
import { TemporalGateway } from '../../workflows/client.js';
import { TEST_SECRETS } from './secrets.js';
import { dataDir } from '../../stack/layout.js';

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    nodeEnv: 'test',
    port: 0,
    host: '127.0.0.1',
    publicUrl: 'http://127.0.0.1:3000',
    databaseUrl: inject('databaseUrl'),
    dbPoolSize: 10,
    dbStatementTimeoutMs: 15_000,
    temporal: {
      address: inject('temporalAddress'),
      namespace: inject('temporalNamespace'),
      taskQueue: inject('taskQueue'),
    },
    dayMs: 2_000,
    otpLifetimeMs: 180_000,
    stallAfterMinutes: 30,
    sessionSweep: false,
    idHashSecret: TEST_SECRETS.ID_HASH_SECRET,
    tokenSecret: TEST_SECRETS.TOKEN_SECRET,
    dataDir: dataDir(),
    availabilityCacheMs: 0,
    // The whole suite logs in from 127.0.0.1; tests of the per-IP cap set their own.
    otpPerIpPerHour: 100_000,
    rateLimitsEnabled: true,
    publicRateLimitPer5Min: 100,
    logLevel: 'silent',
    ...overrides,
  };
}

export interface TestPlatform {
  app: FastifyInstance;
  db: Db;
  temporal: TemporalGateway;
  config: Config;
  close(): Promise<void>;
}

/** `deps`: parts of the app a test supplies itself (an SMS gateway, a log stream to read). */
export async function startTestPlatform(
  overrides: Partial<Config> = {},
  deps: Pick<AppDeps, 'sms' | 'logStream'> = {},
): Promise<TestPlatform> {
  const config = testConfig(overrides);
  const { db } = createDb({ connectionString: config.databaseUrl, poolSize: config.dbPoolSize });
  const temporal = new TemporalGateway(config.temporal);
  const app = await buildApp({ config, db, temporal, ...deps });
  await app.ready();
  return {
    app,
    db,
    temporal,
    config,
    async close() {
      await app.close();
      await temporal.close();
      await db.destroy();
    },
  };
}
