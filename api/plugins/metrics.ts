/**
 * Prometheus metrics at GET /metrics (prom-client). Two kinds, chosen by what is cheap and true with N processes:
 *
 * - Per process, counted as requests finish (sum them across instances in PromQL): request latency by route and
 *   status, successful dose and booking requests by route. Label values are route patterns, never raw URLs, so
 *   series stay few and no id or number a person typed ends up in a label.
 * - Read from Postgres at scrape time, the same on every process (use max(), not sum(), across instances): doses
 *   administered through every channel (the coverage rollup, ~750 rows), SMS by status, workflow commands not yet
 *   delivered to Temporal. SMS are counted here rather than where they are sent because sending happens in worker
 *   processes that serve no HTTP. Each read is an index range scan or a small table: cheap at any table size.
 *
 * The process's own metrics (CPU, memory, event-loop lag, GC) come from prom-client's defaults. The reverse
 * proxy does not forward /metrics (deploy/nginx/teeka.conf): Prometheus scrapes each process on the internal network.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../../db/connection.js';
import { checkDependencies } from '../services/readiness.js';

export const METRICS_PATH = '/metrics';

/**
 * Requests whose success status means a new dose or booking ("METHOD route pattern" → that status). A replayed
 * dose answers 200 and is not counted; offline batches (POST /api/v1/desk/sync) are in teeka_doses_administered.
 */
const DOSE_ROUTES: Record<string, number> = {
  'POST /api/v1/doses': 201,
};
const BOOKING_ROUTES: Record<string, number> = {
  'POST /api/v1/appointments': 201,
  'POST /api/v1/appointments/:appointmentId/reschedule': 200,
  'POST /api/v2/appointment/schedule': 200,
  'POST /api/v2/appointment/reschedule': 204,
};

const SMS_STATUSES = ['QUEUED', 'SENDING', 'SENT', 'DELIVERED', 'FAILED'] as const;
const SMS_PENDING = ['QUEUED', 'SENDING'] as const;
/** Scrape-time queries must never hold up a scrape (Prometheus' default timeout is 10 s) or load the database. */
const SCRAPE_STATEMENT_TIMEOUT_MS = 2_000;

/** Default process metrics are registered once per process: every app built in one process (tests) shares them. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export default fp(async function metrics(app: FastifyInstance) {
  const registry = new Registry();
  const requestDuration = new Histogram({
    name: 'teeka_http_request_duration_seconds',
    help: 'HTTP requests answered by this process, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const dosesRecorded = new Counter({
    name: 'teeka_doses_recorded_total',
    help: 'Doses recorded online through this process (POST /api/v1/doses answered 201)',
    labelNames: ['route'],
    registers: [registry],
  });
  const bookings = new Counter({
    name: 'teeka_bookings_total',
    help: 'Successful booking and rescheduling requests answered by this process (a Co-WIN group booking counts once)',
    labelNames: ['route'],
    registers: [registry],
  });
  new Gauge({
    name: 'teeka_doses_administered',
    help: 'Doses administered through every channel (online, offline sync), from the coverage rollup; the same on every process',
    labelNames: ['dose'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await scrapeQuery(app, 'doses', (db) =>
        sql<{
          dose1: string;
          dose2: string;
        }>`select coalesce(sum(dose1), 0) as dose1, coalesce(sum(dose2), 0) as dose2 from district_coverage`.execute(
          db,
        ),
      );
      if (!rows) return;
      this.set({ dose: '1' }, Number(rows.rows[0].dose1));
      this.set({ dose: '2' }, Number(rows.rows[0].dose2));
    },
  });
  new Gauge({
    name: 'teeka_sms_pending',
    help: 'SMS not yet handed to the gateway (QUEUED) or in flight (SENDING), however old; the same on every process',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await smsCounts(app, SMS_PENDING, undefined);
      for (const [status, count] of counts ?? []) this.set({ status }, count);
    },
  });
  new Gauge({
    name: 'teeka_sms_messages_last_hour',
    help: 'SMS created in the last hour, by current status (FAILED = the gateway refused or never confirmed); the same on every process',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await smsCounts(app, SMS_STATUSES, '1 hour');
      for (const [status, count] of counts ?? []) this.set({ status }, count);
    },
  });

  new Gauge({
    name: 'teeka_workflow_commands_pending',
    help: 'Workflow starts and signals committed with their facts but not yet delivered to Temporal (the outbox); near 0 unless Temporal is unreachable',
    registers: [registry],
    async collect() {
      this.reset();
      const result = await scrapeQuery(app, 'the workflow outbox', (db) =>
        sql<{ count: string }>`select count(*) as count from workflow_outbox where delivered_at is null`.execute(db),
      );
      if (result) this.set(Number(result.rows[0].count));
    },
  });
  new Gauge({
    name: 'teeka_workflow_commands_oldest_pending_seconds',
    help: 'Age of the oldest undelivered workflow command (0 when none): how far journeys lag behind the records',
    registers: [registry],
    async collect() {
      this.reset();
      const result = await scrapeQuery(app, 'the workflow outbox', (db) =>
        sql<{
          age: string | null;
        }>`select extract(epoch from now() - min(created_at)) as age from workflow_outbox where delivered_at is null`.execute(
          db,
        ),
      );
      if (result) this.set(Number(result.rows[0].age ?? 0));
    },
  });
  new Gauge({
    name: 'teeka_dependency_up',
    help: "Whether this process reaches each dependency (1) or not (0), checked at scrape time: what the public /ready does not say (the reason is in the process's log)",
    labelNames: ['dependency'],
    registers: [registry],
    async collect() {
      this.reset();
      const checks = await checkDependencies(app);
      for (const [dependency, result] of Object.entries(checks)) {
        this.set({ dependency }, result.ok ? 1 : 0);
        if (!result.ok) app.log.warn(`[metrics] ${dependency} is not reachable: ${result.reason}`);
      }
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    requestDuration.observe({ method: request.method, route, status_code: String(status) }, reply.elapsedTime / 1000);
    const key = `${request.method} ${route}`;
    if (DOSE_ROUTES[key] === status) dosesRecorded.inc({ route });
    if (BOOKING_ROUTES[key] === status) bookings.inc({ route });
  });

  app.get(METRICS_PATH, { schema: { hide: true } }, async (_request, reply) => {
    const merged = Registry.merge([processMetrics(), registry]);
    return reply.type(merged.contentType).send(await merged.metrics());
  });
});

/** Runs one scrape-time read with a short statement timeout; undefined (and a warning) when it fails. */
async function scrapeQuery<T>(
  app: FastifyInstance,
  what: string,
  read: (db: Db) => Promise<T>,
): Promise<T | undefined> {
  try {
    return await app.db.transaction().execute(async (trx) => {
      await sql`set local statement_timeout = ${sql.lit(SCRAPE_STATEMENT_TIMEOUT_MS)}`.execute(trx);
      return read(trx);
    });
  } catch (error) {
    // The series are left out of this scrape rather than reported stale; alert on absent() if that persists.
    app.log.warn({ err: error }, `[metrics] could not read ${what}`);
    return undefined;
  }
}

/**
 * Counts per status, one index range scan each on sms_message (status, created_at): cheap however many
 * millions of delivered messages the table holds, which a GROUP BY over the table would not be.
 */
async function smsCounts(
  app: FastifyInstance,
  statuses: readonly string[],
  window: string | undefined,
): Promise<Array<[string, number]> | undefined> {
  const since = window === undefined ? sql`` : sql`and m.created_at >= now() - ${window}::interval`;
  const result = await scrapeQuery(app, 'SMS counts', (db) =>
    sql<{ status: string; count: string }>`
      select s.status, (select count(*) from sms_message m where m.status = s.status ${since}) as count
      from unnest(${sql.val([...statuses])}::text[]) as s(status)
    `.execute(db),
  );
  return result?.rows.map((row) => [row.status, Number(row.count)]);
}
