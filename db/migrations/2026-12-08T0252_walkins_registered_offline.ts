import { type Kysely, sql } from 'kysely';

/**
 * Walk-ins registered on a desk with no network, stored when the desk syncs: the device's client event id makes
 * the registration a replay-safe fact, and the doses it queued for that walk-in find the person through it. The
 * vaccinator saw the person's photo ID when registering them, so the registration is also their identity check
 * at the door (a verification_check with method PHOTO_ID, timed when it happened on the device).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table verification_check drop constraint verification_check_method_check`.execute(db);
  await sql`alter table verification_check add constraint verification_check_method_check
    check (method in ('SECRET_CODE', 'OTP', 'PHOTO_ID'))`.execute(db);
  await db.schema
    .createTable('walkin_registration')
    .addColumn('client_event_id', 'text', (c) => c.primaryKey())
    .addColumn('beneficiary_id', 'uuid', (c) => c.notNull().references('beneficiary.id').onDelete('cascade'))
    .addColumn('session_day_id', 'uuid', (c) => c.notNull().references('session_day.id').onDelete('cascade'))
    .addColumn('verification_id', 'uuid', (c) => c.notNull().references('verification_check.id').onDelete('cascade'))
    .addColumn('registered_by', 'uuid', (c) => c.notNull().references('staff_user.id'))
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
    .addColumn('synced_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('walkin_registration_session_idx')
    .on('walkin_registration')
    .column('session_day_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('walkin_registration').execute();
  await sql`delete from verification_check where method = 'PHOTO_ID'`.execute(db);
  await sql`alter table verification_check drop constraint verification_check_method_check`.execute(db);
  await sql`alter table verification_check add constraint verification_check_method_check
    check (method in ('SECRET_CODE', 'OTP'))`.execute(db);
}
