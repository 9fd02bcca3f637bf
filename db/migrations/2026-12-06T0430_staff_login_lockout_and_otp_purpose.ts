import { type Kysely, sql } from 'kysely';

/**
 * Staff sign-in hardening and OTP purposes.
 * - `token_generation`: every staff token carries the generation it was issued in; deactivation and a password
 *   reset move it on, so every token issued before them stops working (reactivation does not bring them back).
 * - `failed_logins` / `login_locked_until`: consecutive wrong passwords and the back-off lock they earn.
 * - `otp_challenge.purpose`: what an OTP may be used for (login, a registration, a check at the vaccination desk),
 *   checked on use; the column existed with LOGIN for every row, so only the allowed values are new.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('staff_user')
    .addColumn('token_generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('login_locked_until', 'timestamptz')
    .execute();
  await db.schema
    .alterTable('otp_challenge')
    .addCheckConstraint('otp_challenge_purpose', sql`purpose in ('LOGIN', 'REGISTRATION', 'DESK_CHECK')`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('otp_challenge').dropConstraint('otp_challenge_purpose').execute();
  await db.schema
    .alterTable('staff_user')
    .dropColumn('token_generation')
    .dropColumn('failed_logins')
    .dropColumn('login_locked_until')
    .execute();
}
