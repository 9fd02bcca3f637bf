import { type Kysely, Migrator, type MigrationResultSet, NO_MIGRATIONS } from 'kysely';
import { migrations } from './migrations/index.js';

export function createMigrator(db: Kysely<any>): Migrator {
  // Migrations are independent of each other's order within a release; a development database that ran a
  // later-named one first must still accept an earlier-named one added afterwards.
  return new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
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
  return unwrap(await createMigrator(db).migrateToLatest());
}

/** Reverts every migration, newest first. Used by the migration round-trip test. */
export async function migrateAllDown(db: Kysely<any>): Promise<string[]> {
  return unwrap(await createMigrator(db).migrateTo(NO_MIGRATIONS));
}
