/** The journey's SMS activity, retried (as Temporal does after a crash or timeout), sends once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/connection.js';
import { createCertificateService } from '../../certificates/service.js';
import { loadSigningKeys } from '../../certificates/keys.js';
import type { SmsProvider } from '../../messaging/providers/types.js';
import { createActivities } from '../../workflows/activities/index.js';
import { insertAccount, insertBeneficiary } from '../support/fixtures.js';
import { testConfig } from '../support/platform.js';

let db: Db;
beforeAll(() => {
  ({ db } = createDb({ connectionString: testConfig().databaseUrl }));
});
afterAll(() => db.destroy());

describe('notifyBeneficiary activity', () => {
  it('sends one SMS however often and however concurrently the same step is retried', async () => {
    const config = testConfig();
    const sent: string[] = [];
    const gateway: SmsProvider = {
      name: 'counting',
      async send(message) {
        sent.push(message.body);
        await new Promise((r) => setTimeout(r, 50));
        return { providerMessageId: `m-${sent.length}` };
      },
    };
    const activities = createActivities({
      db,
      config,
      sms: gateway,
      certificates: createCertificateService(db, await loadSigningKeys({ nodeEnv: 'test', dataDir: config.dataDir })),
      workerIdentity: 'test',
    });
    const account = await insertAccount(db);
    const person = await insertBeneficiary(db, account.id);
    const step = {
      beneficiaryId: person.id,
      template: 'DOSE2_DUE',
      vars: { vaccine: 'COVAXIN', dueFrom: '2026-12-25', dueUntil: '2027-01-08' },
      idempotencyKey: `test:${person.id}:7:sms-DOSE2_DUE`,
    };

    await activities.notifyBeneficiary(step);
    await activities.notifyBeneficiary(step);
    const concurrent = await Promise.allSettled([
      activities.notifyBeneficiary(step),
      activities.notifyBeneficiary(step),
      activities.notifyBeneficiary(step),
    ]);
    expect(concurrent.every((r) => r.status === 'fulfilled')).toBe(true);

    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('2026-12-25');
    const rows = await db
      .selectFrom('sms_message')
      .select(['status', 'attempts'])
      .where('idempotency_key', '=', step.idempotencyKey)
      .execute();
    expect(rows).toEqual([{ status: 'SENT', attempts: 1 }]);
  });
});
