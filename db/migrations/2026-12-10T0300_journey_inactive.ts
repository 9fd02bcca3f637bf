import type { Kysely } from 'kysely';

/**
 * A journey with nothing left of its own to do ends, awaiting its person's return (workflows/workflows/
 * beneficiary-journey.ts, `ends-when-inactive`): the person keeps their stage (VERIFIED, DOSE1_DONE,
 * FULLY_VACCINATED: where they wait is still true), and `journey_inactive_since` says since when no journey runs for
 * them. A booking or a dose resumes the journey (workflows/journey-resume.ts), which clears it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('beneficiary').addColumn('journey_inactive_since', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('beneficiary').dropColumn('journey_inactive_since').execute();
}
