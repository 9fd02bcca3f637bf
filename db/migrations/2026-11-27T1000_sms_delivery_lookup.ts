import { type Kysely, sql } from 'kysely';

// Delivery-status callbacks find their message by the gateway's id.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('sms_message_provider_message_unique')
    .on('sms_message')
    .columns(['provider', 'provider_message_id'])
    .unique()
    .where(sql.ref('provider_message_id'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sms_message_provider_message_unique').execute();
}
