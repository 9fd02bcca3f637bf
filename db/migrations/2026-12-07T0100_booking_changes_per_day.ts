import { type Kysely } from 'kysely';

/**
 * A person's booking changes of the day (booked, moved, cancelled) are counted from their appointments on every
 * booking and move, so the person's appointments are found by an index, not a scan of everyone's.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('appointment_beneficiary_booked_idx')
    .on('appointment')
    .columns(['beneficiary_id', 'booked_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('appointment_beneficiary_booked_idx').execute();
}
