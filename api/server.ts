/** `npm run api`: listen, and on SIGINT/SIGTERM stop taking requests, drain, then close resources. */
import { loadConfig } from '../config/env.js';
import { createDb, SERVICE_IDLE_TIMEOUT_MS } from '../db/connection.js';
import { TemporalGateway } from '../workflows/client.js';
import { buildApp } from './app.js';

const config = loadConfig();
const { db } = createDb({
  connectionString: config.databaseUrl,
  poolSize: config.dbPoolSize,
  statementTimeoutMs: config.dbStatementTimeoutMs,
  applicationName: 'teeka-api',
  idleTimeoutMs: SERVICE_IDLE_TIMEOUT_MS,
});
const temporal = new TemporalGateway(config.temporal);
const app = await buildApp({ config, db, temporal });

const DRAIN_DEADLINE_MS = 25_000;
let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: draining requests');
  // Requests still running at the deadline are cut off, so the process exits before its supervisor kills it
  // (docker compose's stop_grace_period is 30 s; Kubernetes' default grace is 30 s too).
  setTimeout(() => {
    app.log.error({ signal }, `requests still running after ${DRAIN_DEADLINE_MS / 1000} s: exiting without them`);
    process.exit(1);
  }, DRAIN_DEADLINE_MS).unref();
  await app.close();
  await temporal.close();
  await db.destroy();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port: config.port, host: config.host });
