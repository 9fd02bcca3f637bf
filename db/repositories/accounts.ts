/** An account's own settings. */
import type { Db } from '../connection.js';
import type { AccountLanguage } from '../schema.js';
import { writeAudit } from './audit.js';

/** Remembers the account's language (audited when it changes; the same choice again writes nothing). */
export async function setAccountLanguage(db: Db, accountId: string, language: AccountLanguage): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const changed = await trx
      .updateTable('account')
      .set({ language })
      .where('id', '=', accountId)
      .where('language', '<>', language)
      .executeTakeFirst();
    if (changed.numUpdatedRows === 0n) return;
    await writeAudit(trx, {
      actor: { type: 'BENEFICIARY', id: accountId },
      action: 'ACCOUNT_LANGUAGE_SET',
      entityType: 'account',
      entityId: accountId,
      details: { language },
    });
  });
}
