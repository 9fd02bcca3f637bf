import { type Kysely, sql } from 'kysely';

/**
 * Desk devices that took a session day's list, and when each was last in touch (the list fetched again, or a
 * sync). A device that took the list and has not been in touch since the session closed may still hold doses
 * given offline, so the journeys of that session's unattended bookings wait for it before a no-show.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('desk_device_contact')
    .addColumn('session_day_id', 'uuid', (c) => c.notNull().references('session_day.id').onDelete('cascade'))
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'uuid', (c) => c.notNull().references('staff_user.id'))
    .addColumn('first_contact_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_contact_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('desk_device_contact_pk', ['session_day_id', 'device_id'])
    .execute();
  await db.schema
    .createIndex('desk_device_contact_device_idx')
    .on('desk_device_contact')
    .columns(['device_id', 'staff_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('desk_device_contact').execute();
}
