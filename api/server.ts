/** `npm run api`: listen, and on SIGINT/SIGTERM stop taking requests, drain, then close resources. */
import { loadConfig } from '../config/env.js';
import { createDb } from '../db/connection.js';
import { TemporalGateway } from '../workflows/client.js';
import { buildApp } from './app.js';

const config = loadConfig();
const { db } = createDb({
  connectionString: config.databaseUrl,
  poolSize: config.dbPoolSize,
  statementTimeoutMs: config.dbStatementTimeoutMs,
  applicationName: 'teeka-api',
});
const temporal = new TemporalGateway(config.temporal);
const app = await buildApp({ config, db, temporal });

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: draining requests');
  await app.close();
  await temporal.close();
  await db.destroy();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port: config.port, host: config.host });
