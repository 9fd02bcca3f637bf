import { type Kysely, Migrator, type MigrationResultSet, NO_MIGRATIONS } from 'kysely';
import { migrations } from './migrations/index.js';

/**
 * Migrations that landed before names had to sort in landing order. Some were named earlier than one that had
 * already run on development databases, so those databases ran them out of name order; Kysely's own order check
 * (which compares the run order with the name order) would refuse them. They alone may run out of order.
 */
export const UNORDERED_MIGRATIONS: ReadonlySet<string> = new Set([
  '2026-11-27T0100_geography_and_vaccines',
  '2026-11-27T0200_sites_sessions_staff',
  '2026-11-27T0300_beneficiaries_appointments_doses',
  '2026-11-27T0400_messaging_audit_rollups',
  '2026-11-27T0600_session_day_workflow',
  '2026-11-27T0800_live_rollups',
  '2026-11-27T1000_sms_delivery_lookup',
  '2026-11-27T1100_session_teams',
  '2026-12-06T0418_registrations_by_district',
  '2026-12-06T0430_staff_login_lockout_and_otp_purpose',
  '2026-12-06T0622_identity_disputes',
  '2026-12-06T1600_record_day_write_path',
  '2026-12-06T1700_booking_in_request',
  '2026-12-06T1800_outbox_task_queue',
  '2026-12-06T1900_dose_releases_bookings_like_cancellations',
]);

/** `YYYY-MM-DDTHHMM_what_it_does`, in UTC: the name sorts where the migration lands. */
export const MIGRATION_NAME = /^\d{4}-\d{2}-\d{2}T\d{4}_[a-z0-9_]+$/;

/**
 * Why a database may not run its pending migrations, or undefined when it may: every migration after the
 * unordered ones must sort after each migration the database has already run (Kysely's rule for ordered
 * migrations). A name that sorts earlier was picked before another migration landed: rename it before landing.
 */
export function migrationOrderProblem(executed: readonly string[], pending: readonly string[]): string | undefined {
  const last = [...executed].sort().at(-1);
  if (last === undefined) return undefined;
  const early = pending.filter((name) => !UNORDERED_MIGRATIONS.has(name) && name < last);
  if (early.length === 0) return undefined;
  return (
    `migration ${early.join(', ')} sorts before ${last}, which this database has already run; ` +
    'rename it so that it sorts after every landed migration'
  );
}

export function createMigrator(db: Kysely<any>): Migrator {
  // Kysely's order check stays off only for the unordered migrations above; ensureOrdered checks the rest.
  return new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
}

async function ensureOrdered(migrator: Migrator): Promise<void> {
  const known = await migrator.getMigrations();
  const problem = migrationOrderProblem(
    known.filter((m) => m.executedAt !== undefined).map((m) => m.name),
    known.filter((m) => m.executedAt === undefined).map((m) => m.name),
  );
  if (problem) throw new Error(problem);
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).map((r) => `${r.direction === 'Up' ? 'applied' : 'reverted'} ${r.migrationName}`);
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = createMigrator(db);
  await ensureOrdered(migrator);
  return unwrap(await migrator.migrateToLatest());
}

/** Reverts every migration, newest first. Used by the migration round-trip test. */
export async function migrateAllDown(db: Kysely<any>): Promise<string[]> {
  return unwrap(await createMigrator(db).migrateTo(NO_MIGRATIONS));
}
