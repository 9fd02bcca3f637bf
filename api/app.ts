/**
 * The API as a Fastify plugin: decorations first, then routes with explicit prefixes.
 * server.ts listens; tests build this app and use `app.inject`.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config/env.js';
import type { Db } from '../db/connection.js';
import { createSmsProvider } from '../messaging/providers/index.js';
import { DEV_OUTBOX_PROVIDER } from '../messaging/providers/dev-outbox.js';
import type { SmsProvider } from '../messaging/providers/types.js';
import type { TemporalGateway } from '../workflows/client.js';
import { AccessCache } from './auth/access-cache.js';
import { assertSessionAccess, readSessionPlace, type SessionPlace, type SessionTeam } from './auth/jurisdiction.js';
import { loggerOptions } from './logging.js';
import security from './plugins/security.js';
import rateLimits from './plugins/rate-limits.js';
import { DEFAULT_TRUSTED_PROXIES } from '../config/env.js';
import auth, { type StaffPrincipal } from './plugins/auth.js';
import dashboard from './plugins/dashboard.js';
import errorHandler from './plugins/error-handler.js';
import finiteNumbers from './plugins/finite-numbers.js';
import healthRoutes from './routes/health.js';
import appointmentRoutes from './routes/v1/appointments.js';
import authRoutes from './routes/v1/auth.js';
import beneficiaryRoutes from './routes/v1/beneficiaries.js';
import devSmsRoutes from './routes/v1/dev-sms.js';
import doseRoutes from './routes/v1/doses.js';
import deskRoutes from './routes/v1/desk.js';
import aefiRoutes from './routes/v1/aefi.js';
import teamRoutes from './routes/v1/team.js';
import geoRoutes from './routes/v1/geo.js';
import sessionRoutes from './routes/v1/sessions.js';
import staffAuthRoutes from './routes/v1/staff-auth.js';
import planningRoutes from './routes/v1/planning/index.js';
import eligibilityPhaseRoutes from './routes/v1/eligibility-phases.js';
import interventionRoutes from './routes/v1/interventions.js';
import certificateRoutes from './routes/v1/certificates.js';
import identityDisputeRoutes from './routes/v1/identity-disputes.js';
import personLookupRoutes from './routes/v1/person-lookup.js';
import vaccineBatchRoutes from './routes/v1/vaccine-batches.js';
import precautionIntervalRoutes from './routes/v1/precaution-intervals.js';
import siteStoreRoutes from './routes/v1/site-stores.js';
import correctionRoutes from './routes/v1/corrections.js';
import dosesElsewhereRoutes from './routes/v1/doses-elsewhere.js';
import dryRunRoutes from './routes/v1/dry-runs.js';
import smsCallbackRoutes from './routes/v1/sms-callbacks.js';
import wellKnownRoutes from './routes/well-known.js';
import live from './plugins/live.js';
import dryRunSteps from './plugins/dry-run-steps.js';
import metrics from './plugins/metrics.js';
import dashboardRoutes from './routes/v1/dashboard.js';
import reportRoutes from './routes/v1/reports.js';
import auditRoutes from './routes/v1/audit.js';
import { createCertificateService, type CertificateService } from '../certificates/service.js';
import { loadSigningKeys } from '../certificates/keys.js';
import { JourneyService } from './services/journeys.js';
import { BookingService } from './services/bookings.js';
import { createSharedAnswers, type SharedAnswers } from './services/availability-cache.js';
import openapi from './plugins/openapi.js';
import cowinV2, { cowinPublicReports } from './plugins/cowin-v2.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Db;
    temporal: TemporalGateway;
    sms: SmsProvider;
    journeys: JourneyService;
    bookings: BookingService;
    /** Short-lived shared answers for hot public reads (slot searches). */
    sharedAnswers: SharedAnswers;
    certificates: CertificateService;
    /** Access answers kept while their changes are heard (api/auth/access-cache.ts). */
    accessCache: AccessCache;
    assertSessionAccess(staff: StaffPrincipal, sessionDayId: string): Promise<SessionTeam>;
  }
}

export interface AppDeps {
  config: Config;
  db: Db;
  temporal: TemporalGateway;
  /** SMS gateway; defaults to the one SMS_PROVIDER selects. */
  sms?: SmsProvider;
  /** Certificate service; defaults to one signing with CERT_SIGNING_KEYS (or the development key). */
  certificates?: CertificateService;
  /** Overrides for tests (e.g. a log stream to search). */
  fastify?: FastifyServerOptions;
  /** Where the logger writes (stdout when omitted), with the usual redaction: tests search it for secrets. */
  logStream?: NodeJS.WritableStream;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(deps.config, deps.logStream),
    bodyLimit: 256 * 1024,
    trustProxy: deps.config.trustProxy ?? DEFAULT_TRUSTED_PROXIES,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    ...deps.fastify,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', deps.config);
  app.decorate('db', deps.db);
  app.decorate('temporal', deps.temporal);
  app.decorate('sms', deps.sms ?? createSmsProvider());
  app.decorate('journeys', new JourneyService(deps.temporal, deps.db, deps.config));
  app.decorate('bookings', new BookingService(deps.db));
  app.decorate('sharedAnswers', createSharedAnswers(deps.config.availabilityCacheMs));
  app.decorate(
    'certificates',
    deps.certificates ??
      createCertificateService(
        deps.db,
        await loadSigningKeys({
          nodeEnv: deps.config.nodeEnv,
          dataDir: deps.config.dataDir,
          configured: deps.config.certSigningKeys,
        }),
      ),
  );
  // The live plugin's LISTEN connection hears the changes that make a kept answer stale.
  const accessCache = new AccessCache({ caughtUp: () => app.live.listener.caughtUp() });
  app.decorate('accessCache', accessCache);
  app.decorate('assertSessionAccess', async (staff: StaffPrincipal, sessionDayId: string) =>
    assertSessionAccess(
      staff,
      await accessCache.session<SessionPlace>(sessionDayId, () => readSessionPlace(deps.db, sessionDayId)),
    ),
  );

  await app.register(errorHandler);
  // Every route: no number validation let through as Infinity reaches a handler (api/plugins/finite-numbers.ts).
  await app.register(finiteNumbers);
  // Before any route: security headers and CORS on every answer (api/plugins/security.ts).
  await app.register(security);
  // Before any route: the OpenAPI document is built from the routes as they are added.
  await app.register(openapi);
  // Before the routes so its onResponse hook times every one of them (api/plugins/metrics.ts).
  await app.register(metrics);
  await app.register(auth);
  // Every per-client budget (api/plugins/rate-limits.ts), shared through Redis when REDIS_URL is set.
  await app.register(rateLimits);
  await app.register(live);
  await app.register(healthRoutes);
  await app.register(healthRoutes, { prefix: '/api' });
  await app.register(wellKnownRoutes);

  await app.register(
    async (v1) => {
      await v1.register(geoRoutes);
      await v1.register(authRoutes);
      await v1.register(staffAuthRoutes);
      await v1.register(beneficiaryRoutes);
      await v1.register(sessionRoutes);
      await v1.register(appointmentRoutes);
      await v1.register(doseRoutes);
      await v1.register(dashboardRoutes);
      await v1.register(reportRoutes);
      await v1.register(auditRoutes);
      await v1.register(planningRoutes);
      // Target populations and their CSV import; its own context keeps its text/csv parser to itself.
      await v1.register(import('./routes/v1/targets.js'));
      // The current district list's CSV import, with its own text/csv parser likewise.
      await v1.register(import('./routes/v1/district-import.js'));
      await v1.register(eligibilityPhaseRoutes);
      // Health-care and front-line worker lists (CSV), with their own text/csv parser.
      await v1.register(import('./routes/v1/priority-lists.js'));
      await v1.register(interventionRoutes);
      await v1.register(deskRoutes);
      await v1.register(aefiRoutes);
      await v1.register(teamRoutes);
      await v1.register(certificateRoutes);
      await v1.register(identityDisputeRoutes);
      await v1.register(personLookupRoutes);
      await v1.register(vaccineBatchRoutes);
      await v1.register(precautionIntervalRoutes);
      await v1.register(siteStoreRoutes);
      await v1.register(correctionRoutes);
      await v1.register(dosesElsewhereRoutes);
      await v1.register(dryRunRoutes);
      await v1.register(smsCallbackRoutes);
      // Only where no SMS leaves the machine: with a real gateway these rows are live OTPs.
      if (app.sms.name === DEV_OUTBOX_PROVIDER && deps.config.nodeEnv !== 'production') await v1.register(devSmsRoutes);
    },
    { prefix: '/api/v1' },
  );

  // The Co-WIN compatible API and its public dashboard figures (api/plugins/cowin-v2.ts).
  await app.register(cowinV2, { prefix: '/api/v2' });
  await app.register(cowinPublicReports, { prefix: '/api/v1/reports/v2' });

  // Simulated dry runs' steps, taken through the routes above (api/plugins/dry-run-steps.ts).
  await app.register(dryRunSteps);
  await app.register(dashboard);
  return app;
}
