/**
 * The journey's dose step (stage, SMS, certificate in one local activity), retried as Temporal retries it: the
 * stage moves once, each message goes once, one certificate of the kind is live and names every dose; a later
 * dose supersedes the live certificate.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../db/connection.js';
import { createCertificateService } from '../../certificates/service.js';
import { loadSigningKeys } from '../../certificates/keys.js';
import type { SmsProvider } from '../../messaging/providers/types.js';
import { createActivities } from '../../workflows/activities/index.js';
import type { SmsTemplateVars } from '../../workflows/activities/journey.js';
import { insertAccount, insertBeneficiary, insertSessionDay, insertStaff, PUNE } from '../support/fixtures.js';
import { testConfig } from '../support/platform.js';

let db: Db;
beforeAll(() => {
  ({ db } = createDb({ connectionString: testConfig().databaseUrl }));
});
afterAll(() => db.destroy());

async function setUp() {
  const config = testConfig();
  const sent: { to: string; body: string }[] = [];
  const gateway: SmsProvider = {
    name: 'counting',
    async send(message) {
      sent.push({ to: message.to, body: message.body });
      return { providerMessageId: `m-${randomUUID()}` };
    },
  };
  const certificates = createCertificateService(
    db,
    await loadSigningKeys({ nodeEnv: 'test', dataDir: config.dataDir }),
  );
  const activities = createActivities({ db, config, sms: gateway, certificates, workerIdentity: 'test' });
  const account = await insertAccount(db);
  const person = await insertBeneficiary(db, account.id);
  const session = await insertSessionDay(db);
  const vaccinator = await insertStaff(db, 'VACCINATOR');
  const giveDose = (doseNumber: number) =>
    db
      .insertInto('dose')
      .values({
        beneficiary_id: person.id,
        dose_number: doseNumber,
        vaccine_code: 'COVAXIN',
        batch: 'B-001',
        site_id: session.siteId,
        session_day_id: session.id,
        district_id: PUNE.districtId,
        vaccinator_id: vaccinator.id,
        administered_at: new Date(),
        client_event_id: randomUUID(),
      })
      .execute();
  const step = (
    dose: number,
    from: string,
    to: string,
    kind: 'PROVISIONAL' | 'FINAL',
    { fully = false, nextDoseDueOn = null as string | null } = {},
  ) => ({
    beneficiaryId: person.id,
    projection: {
      from,
      to,
      reason: `dose ${dose} administered`,
      stepKey: `test:${person.id}:${dose}:stage`,
      nextDoseDueOn,
    },
    messages: [
      {
        template: 'DOSE_RECORDED',
        vars: { dose, vaccine: 'COVAXIN', date: '2026-12-07' } as SmsTemplateVars,
        idempotencyKey: `test:${person.id}:${dose}:sms-DOSE_RECORDED`,
      },
      ...(fully
        ? [{ template: 'FULLY_VACCINATED', vars: {}, idempotencyKey: `test:${person.id}:${dose}:sms-FULLY_VACCINATED` }]
        : []),
    ],
    certificate: kind,
  });
  return { activities, certificates, account, person, sent, giveDose, step };
}

const auditOf = (entityIds: string[]) =>
  db
    .selectFrom('audit_log')
    .select(['action', 'actor_type', 'actor_id', 'source', 'entity_id', 'details'])
    .where('entity_id', 'in', entityIds)
    .orderBy('id')
    .execute();

describe('completeDoseStep activity', () => {
  it('moves the stage, texts and certifies once however often and however concurrently it is retried', async () => {
    const { activities, certificates, account, person, sent, giveDose, step } = await setUp();
    await giveDose(1);
    const dose1 = step(1, 'DOSE1_BOOKED', 'DOSE1_DONE', 'PROVISIONAL', { nextDoseDueOn: '2027-01-04' });

    await activities.completeDoseStep(dose1);
    await activities.completeDoseStep(dose1);
    const concurrent = await Promise.allSettled([1, 2, 3].map(() => activities.completeDoseStep(dose1)));
    expect(concurrent.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);

    const row = await db
      .selectFrom('beneficiary')
      .select(['stage', 'next_dose_due_on'])
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ stage: 'DOSE1_DONE', next_dose_due_on: '2027-01-04' });
    const history = await db
      .selectFrom('journey_stage_history')
      .select(['from_stage', 'to_stage', 'reason'])
      .where('beneficiary_id', '=', person.id)
      .execute();
    expect(history).toEqual([{ from_stage: 'DOSE1_BOOKED', to_stage: 'DOSE1_DONE', reason: 'dose 1 administered' }]);

    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe(account.mobile);
    expect(sent[0]!.body).toContain('Test Person');
    expect(sent[0]!.body).toContain(person.reference_id);
    const messages = await db
      .selectFrom('sms_message')
      .select(['template', 'status', 'attempts'])
      .where('idempotency_key', 'like', `test:${person.id}:%`)
      .execute();
    expect(messages).toEqual([{ template: 'DOSE_RECORDED', status: 'SENT', attempts: 1 }]);

    const issued = await db
      .selectFrom('certificate')
      .select(['id', 'kind', 'doses', 'jws', 'revoked_at'])
      .where('beneficiary_id', '=', person.id)
      .execute();
    expect(issued.map(({ kind, doses, revoked_at }) => ({ kind, doses, revoked_at }))).toEqual([
      { kind: 'PROVISIONAL', doses: 1, revoked_at: null },
    ]);
    const verified = await certificates.verify(issued[0]!.jws);
    expect(verified).toMatchObject({ status: 'VALID', certificateId: issued[0]!.id });

    // The audit says who moved the stage (the journey) and who issued the certificate, in that order.
    expect(await auditOf([person.id, issued[0]!.id])).toEqual([
      {
        action: 'JOURNEY_STAGE_CHANGED',
        actor_type: 'SYSTEM',
        actor_id: 'journey',
        source: 'WORKFLOW',
        entity_id: person.id,
        details: { from: 'DOSE1_BOOKED', to: 'DOSE1_DONE', reason: 'dose 1 administered' },
      },
      {
        action: 'CERTIFICATE_ISSUED',
        actor_type: 'SYSTEM',
        actor_id: 'beneficiary-journey',
        source: 'ONLINE',
        entity_id: issued[0]!.id,
        details: { beneficiaryId: person.id, kind: 'PROVISIONAL', doses: 1, keyId: expect.any(String) },
      },
    ]);
  });

  it('issues the final certificate with both doses, and a later dose supersedes it with one of every dose', async () => {
    const { activities, person, sent, giveDose, step } = await setUp();
    await giveDose(1);
    await activities.completeDoseStep(step(1, 'DOSE1_BOOKED', 'DOSE1_DONE', 'PROVISIONAL'));
    await giveDose(2);
    const dose2 = step(2, 'DOSE1_DONE', 'FULLY_VACCINATED', 'FINAL', { fully: true });
    await activities.completeDoseStep(dose2);
    await activities.completeDoseStep(dose2);
    await giveDose(3);
    await activities.completeDoseStep(step(3, 'FULLY_VACCINATED', 'PRECAUTION_DONE', 'FINAL'));

    expect(sent).toHaveLength(4);
    // In the order they were written, as the outbox lists them (by time, newest first): each has a time of its own.
    const messages = await db
      .selectFrom('sms_message')
      .select(['idempotency_key', 'status', sql<string>`created_at::text`.as('at')])
      .where('idempotency_key', 'like', `test:${person.id}:%`)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
      .then((rows) => rows.reverse());
    expect(new Set(messages.map((m) => m.at)).size).toBe(4);
    expect(messages.map((m) => [m.idempotency_key.slice(`test:${person.id}:`.length), m.status])).toEqual([
      ['1:sms-DOSE_RECORDED', 'SENT'],
      ['2:sms-DOSE_RECORDED', 'SENT'],
      ['2:sms-FULLY_VACCINATED', 'SENT'],
      ['3:sms-DOSE_RECORDED', 'SENT'],
    ]);

    const issued = await db
      .selectFrom('certificate')
      .select(['id', 'kind', 'doses', 'revoked_at', 'revocation_reason'])
      .where('beneficiary_id', '=', person.id)
      .orderBy('issued_at')
      .orderBy('doses')
      .execute();
    expect(
      issued.map(({ kind, doses, revoked_at, revocation_reason }) => [
        kind,
        doses,
        revoked_at === null,
        revocation_reason,
      ]),
    ).toEqual([
      ['PROVISIONAL', 1, true, null],
      ['FINAL', 2, false, 'superseded by a certificate with a later dose'],
      ['FINAL', 3, true, null],
    ]);
    // The final certificate is live once per kind; the provisional one stays live beside it, as before.
    const stage = await db
      .selectFrom('beneficiary')
      .select('stage')
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(stage.stage).toBe('PRECAUTION_DONE');
  });
});
