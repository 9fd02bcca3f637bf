/**
 * The one rule that keeps dry runs out of real figures: a dry run's session days and people carry its id
 * (`dry_run_id`), and a booking, dose, check, release or AEFI report belongs to a dry run through its session day
 * (a trigger keeps a dry run's people and session days apart from real ones, 2026-12-07T1215_dry_runs). Rollups
 * skip them in their triggers; every read of the base tables for coverage, targets, the war room, the public report,
 * officers' reports, certificates or the Co-WIN API filters with these.
 */
import { sql, type RawBuilder } from 'kysely';

/** True for a real session day; `column` is its `dry_run_id` (e.g. 'session_day.dry_run_id'). */
export function isRealSessionDay(column = 'session_day.dry_run_id'): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} is null`;
}

/** True for a real person; `column` is the beneficiary's `dry_run_id`. */
export function isRealPerson(column = 'beneficiary.dry_run_id'): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} is null`;
}

/**
 * True for a row of a real session day, by its `session_day_id` column, for reads that do not join the session
 * day: the few dry-run session days are looked up by their partial index, never the real ones.
 */
export function atRealSessionDay(sessionDayIdColumn: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(sessionDayIdColumn)} not in (select id from session_day where dry_run_id is not null)`;
}

/** For a row already read (a person, a session day): does it belong to a dry run? */
export function belongsToDryRun(row: { dry_run_id: string | null }): boolean {
  return row.dry_run_id !== null;
}
