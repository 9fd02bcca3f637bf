/**
 * The SMS outbox: every message is a row in sms_message before anything is sent, so a retried or concurrent
 * request never sends twice.
 *
 *   enqueueSms   QUEUED row, rendered from its template, once per idempotency key (may run inside the caller's
 *                transaction, so the message exists exactly when the fact it reports does)
 *   deliverSms   QUEUED -> SENDING (one conditional UPDATE: only one caller wins the claim) -> provider ->
 *                SENT | QUEUED again (retryable failure, rethrown for the activity's retry policy) | FAILED
 *   applyDeliveryReport   SENT -> DELIVERED | FAILED from the gateway's callback
 *
 * A row left SENDING by a crash is never sent again: we cannot know whether the gateway took it, and neither of
 * our gateways can be asked by our reference. Once it has been SENDING longer than `sendingStaleMs` (default five
 * minutes, far beyond one request's deadline) the next delivery settles it as FAILED with last_error saying the
 * outcome is unknown, for an operator to look at. Until then a second delivery gets SmsDeliveryInProgressError
 * (retryable), so a Temporal retry comes back later and finds the row SENT or settled. Through a provider whose
 * resend reaches nobody twice (the dev outbox) the stale row is queued again and sent instead.
 *
 * A dry run's test mobile (an account marked as a dry run's) is nobody's number: through a real gateway its message
 * goes to the staff numbers the officer listed for the run instead (one copy each, keyed `<key>:drill:<mobile>`),
 * and is kept unsent when none were listed. The dev outbox keeps it as any other message (nothing leaves the machine).
 *
 * sent_at: while a row is SENDING it holds when the attempt began (the table has no separate claim time);
 * once SENT it is when the gateway accepted the message.
 */
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import type { SmsStatus } from '../db/schema.js';
import { ProviderError, type SmsProvider } from './providers/types.js';
import { DEV_OUTBOX_PROVIDER } from './providers/dev-outbox.js';
import { dryRunSmsOfMessage, dryRunSmsOfMobile } from '../db/repositories/dry-runs.js';
import { safeErrorText } from './redact.js';
import { renderSms, SMS_SENDER_ID, type SmsLocale, type SmsTemplateName, type SmsVars } from './templates.js';

export interface SmsRequest {
  /** One message per key, ever; derive it from the business step, e.g. `beneficiary-<ref>:booking-confirmed:<appointment id>`. */
  idempotencyKey: string;
  /** 10-digit Indian mobile number. */
  mobile: string;
  template: SmsTemplateName;
  vars: SmsVars;
  locale?: SmsLocale;
}

export type DeliveryOutcome = 'SENT' | 'ALREADY_SENT' | 'FAILED';

export interface DeliveryOptions {
  /** How long a row may stay SENDING before it is settled as FAILED (outcome unknown). */
  sendingStaleMs?: number;
}

export interface DeliveryReport {
  provider: string;
  providerMessageId: string;
  status: 'DELIVERED' | 'FAILED';
  error?: string;
}

export type DeliveryReportResult = 'UPDATED' | 'UNCHANGED' | 'UNKNOWN_MESSAGE';

export const DEFAULT_SENDING_STALE_MS = 5 * 60_000;

/** Another delivery of the same row is in flight. Retry later; the row will be SENT or settled by then. */
export class SmsDeliveryInProgressError extends Error {
  override name = 'SmsDeliveryInProgressError';
  constructor(id: string) {
    super(`SMS ${id} is being sent by another delivery`);
  }
}

const INDIAN_MOBILE = /^[6-9]\d{9}$/;
const OUTCOME_UNKNOWN =
  'outcome unknown: the sender stopped while the gateway had the message; not resent to avoid a duplicate';

/**
 * Messages that a person's own requests cause (booking, moving, cancelling): once a mobile has been sent
 * SMS_PER_MOBILE_PER_DAY messages other than OTPs in 24 hours, these are held back (stored FAILED, never sent), so
 * a loop of requests cannot pump SMS to a number. Messages the drive itself sends (reminders, a cancelled session,
 * a dose recorded, certificates) are counted but always go. OTPs have their own caps (db/repositories/otp.ts).
 */
export const PERSON_REQUESTED_TEMPLATES: ReadonlySet<SmsTemplateName> = new Set([
  'BOOKING_CONFIRMED',
  'BOOKING_RESCHEDULED',
  'BOOKING_CANCELLED',
]);
export const SMS_PER_MOBILE_PER_DAY = 12;
export const SMS_HELD_BACK = `held back: this mobile was sent ${SMS_PER_MOBILE_PER_DAY} messages other than OTPs in 24 hours`;

/** The message as its sms_message row will hold it: the mobile checked, the template rendered. */
export function renderSmsRow(request: SmsRequest) {
  if (!INDIAN_MOBILE.test(request.mobile)) throw new Error('SMS mobile must be a 10-digit Indian mobile number');
  const rendered = renderSms(request.template, request.vars, request.locale);
  return {
    idempotencyKey: request.idempotencyKey,
    mobile: request.mobile,
    template: rendered.template,
    locale: rendered.locale,
    body: rendered.body,
    dltTemplateId: rendered.dltTemplateId,
    /** Counted against the mobile's daily budget: written by enqueueSms only, under the mobile's lock. */
    budgeted: PERSON_REQUESTED_TEMPLATES.has(rendered.template),
  };
}

export async function enqueueSms(db: Db, request: SmsRequest): Promise<{ id: string; created: boolean }> {
  const { budgeted, ...rendered } = renderSmsRow(request);
  // Counted in the insert itself (sms_message_mobile_created_idx), one budgeted message per mobile at a time.
  const overBudget = sql<boolean>`(select count(*) from sms_message
      where mobile = ${request.mobile} and template <> 'OTP' and created_at > now() - interval '24 hours') >= ${SMS_PER_MOBILE_PER_DAY}`;
  const insert = async (executor: Db) => {
    if (budgeted) await sql`select pg_advisory_xact_lock(hashtext(${`sms:${request.mobile}`}))`.execute(executor);
    return executor
      .insertInto('sms_message')
      .values({
        idempotency_key: rendered.idempotencyKey,
        mobile: rendered.mobile,
        template: rendered.template,
        locale: rendered.locale,
        body: rendered.body,
        dlt_template_id: rendered.dltTemplateId,
        ...(budgeted
          ? {
              status: sql<SmsStatus>`case when ${overBudget} then 'FAILED' else 'QUEUED' end`,
              last_error: sql<string | null>`case when ${overBudget} then ${SMS_HELD_BACK} end`,
            }
          : {}),
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
  };
  // The lock is held to the end of a transaction: the caller's, or one of its own.
  const inserted = budgeted && !db.isTransaction ? await db.transaction().execute(insert) : await insert(db);
  if (inserted) return { id: inserted.id, created: true };
  return { id: await existingSmsId(db, request), created: false };
}

/** The row an earlier call wrote under the request's idempotency key; a different message under it is a bug. */
export async function existingSmsId(db: Db, request: { idempotencyKey: string; mobile: string; template: string }) {
  const existing = await db
    .selectFrom('sms_message')
    .select(['id', 'mobile', 'template'])
    .where('idempotency_key', '=', request.idempotencyKey)
    .executeTakeFirstOrThrow();
  // The same key for a different message is a bug in how keys are made; sending neither would hide it.
  if (existing.mobile !== request.mobile || existing.template !== request.template) {
    throw new Error(`SMS idempotency key ${request.idempotencyKey} was already used for a different message`);
  }
  return existing.id;
}

export async function deliverSms(
  db: Db,
  provider: SmsProvider,
  id: string,
  options: DeliveryOptions = {},
): Promise<DeliveryOutcome> {
  if (db.isTransaction) {
    throw new Error(
      'deliverSms must not run in a transaction: the claim has to be committed before the gateway is called',
    );
  }
  const staleMs = options.sendingStaleMs ?? provider.sendingStaleMs ?? DEFAULT_SENDING_STALE_MS;
  // Whether it is a dry run's test mobile is read before the claim: between a claim and the gateway nothing may
  // fail unreleased, or the row would wait out the stale period as an unknown outcome.
  const drill = provider.name !== DEV_OUTBOX_PROVIDER ? await dryRunSmsOfMessage(db, id) : undefined;
  // Twice at most: a row can be released back to QUEUED between a lost claim and the look that follows it.
  for (let round = 0; round < 2; round++) {
    const claimed = await claim(db, id, provider.name);
    if (claimed) return send(db, provider, claimed, drill);
    const outcome = await settleUnclaimed(db, id, staleMs, provider.resendIsHarmless ?? false);
    if (outcome) return outcome;
  }
  throw new SmsDeliveryInProgressError(id);
}

/** What the journey activities call: the message once, however often they are retried. */
export async function sendSms(
  db: Db,
  provider: SmsProvider,
  request: SmsRequest,
  options: DeliveryOptions = {},
): Promise<{ id: string; outcome: DeliveryOutcome }> {
  const { id } = await enqueueSms(db, request);
  return { id, outcome: await deliverSms(db, provider, id, options) };
}

/**
 * A gateway's delivery report. Reports only move a message forward: SENT -> DELIVERED | FAILED, and
 * FAILED -> DELIVERED for a late success; a repeated or stale report changes nothing.
 */
export async function applyDeliveryReport(db: Db, report: DeliveryReport): Promise<DeliveryReportResult> {
  const from: SmsStatus[] = report.status === 'DELIVERED' ? ['SENT', 'FAILED'] : ['SENT'];
  const result = await db
    .updateTable('sms_message')
    .set(
      report.status === 'DELIVERED'
        ? { status: 'DELIVERED', delivered_at: sql`now()`, last_error: null }
        : { status: 'FAILED', last_error: safeErrorText(report.error ?? 'the operator reported it undelivered') },
    )
    .where('provider', '=', report.provider)
    .where('provider_message_id', '=', report.providerMessageId)
    .where('status', 'in', from)
    .executeTakeFirst();
  if (result.numUpdatedRows > 0n) return 'UPDATED';
  const known = await db
    .selectFrom('sms_message')
    .select('id')
    .where('provider', '=', report.provider)
    .where('provider_message_id', '=', report.providerMessageId)
    .executeTakeFirst();
  return known ? 'UNCHANGED' : 'UNKNOWN_MESSAGE';
}

interface ClaimedRow {
  id: string;
  mobile: string;
  body: string;
  dlt_template_id: string | null;
}

/** QUEUED -> SENDING in one statement; under concurrency exactly one caller gets the row back. */
async function claim(db: Db, id: string, providerName: string): Promise<ClaimedRow | undefined> {
  return db
    .updateTable('sms_message')
    .set({
      status: 'SENDING',
      attempts: sql`attempts + 1`,
      provider: providerName,
      sent_at: sql`now()`,
      last_error: null,
    })
    .where('id', '=', id)
    .where('status', '=', 'QUEUED')
    .returning(['id', 'mobile', 'body', 'dlt_template_id'])
    .executeTakeFirst();
}

async function send(
  db: Db,
  provider: SmsProvider,
  row: ClaimedRow,
  drill: { smsNumbers: string[] } | undefined,
): Promise<DeliveryOutcome> {
  if (!row.dlt_template_id) {
    // Operators drop commercial SMS without a registered template: sending would only waste the attempt.
    await markFailed(db, row.id, 'no DLT template id');
    return 'FAILED';
  }
  if (drill) return sendToDrillNumbers(db, provider, row, drill.smsNumbers);
  let providerMessageId: string;
  try {
    ({ providerMessageId } = await provider.send({
      to: row.mobile,
      body: row.body,
      dltTemplateId: row.dlt_template_id,
      senderId: SMS_SENDER_ID,
      reference: row.id,
    }));
  } catch (error) {
    if (error instanceof ProviderError && error.retryable) {
      await release(db, row.id, error);
      throw error;
    }
    await markFailed(db, row.id, error);
    if (error instanceof ProviderError) return 'FAILED';
    throw error; // not a gateway's answer but a fault of ours: loud, and the row is not sent again
  }
  await db
    .updateTable('sms_message')
    .set({ status: 'SENT', provider_message_id: providerMessageId, sent_at: sql`now()`, last_error: null })
    .where('id', '=', row.id)
    // FAILED too: a send slower than the stale limit may have been settled meanwhile, yet it did go out.
    .where('status', 'in', ['SENDING', 'FAILED'])
    .execute();
  return 'SENT';
}

/**
 * A dry run's test person's message, through a real gateway: a copy to each staff number of the run, never to the
 * test mobile. The test mobile's row is SENT once a copy went (a retry delivers only the copies still unsent), or
 * FAILED, unsent, when the run lists no number.
 */
async function sendToDrillNumbers(
  db: Db,
  provider: SmsProvider,
  row: ClaimedRow,
  numbers: string[],
): Promise<DeliveryOutcome> {
  let sent = 0;
  try {
    for (const mobile of numbers) {
      // A listed number that is itself a test mobile would only be copied to again.
      if (mobile === row.mobile || (await dryRunSmsOfMobile(db, mobile))) continue;
      const inserted = await sql<{ id: string }>`
        insert into sms_message (idempotency_key, mobile, template, locale, body, dlt_template_id)
        select idempotency_key || ':drill:' || ${mobile}, ${mobile}, template, locale, body, dlt_template_id
        from sms_message where id = ${row.id}
        on conflict (idempotency_key) do nothing
        returning id`.execute(db);
      const copyId =
        inserted.rows[0]?.id ??
        (
          await sql<{ id: string }>`
            select c.id from sms_message c join sms_message o on c.idempotency_key = o.idempotency_key || ':drill:' || ${mobile}
            where o.id = ${row.id}`.execute(db)
        ).rows[0]!.id;
      if ((await deliverSms(db, provider, copyId)) !== 'FAILED') sent++;
    }
  } catch (error) {
    await release(db, row.id, error);
    throw error;
  }
  if (sent === 0) {
    await markFailed(db, row.id, "a dry run's test mobile: no staff number of the run took a copy; not sent");
    return 'FAILED';
  }
  await db
    .updateTable('sms_message')
    .set({ status: 'SENT', sent_at: sql`now()`, last_error: null })
    .where('id', '=', row.id)
    .where('status', '=', 'SENDING')
    .execute();
  return 'SENT';
}

/** Back to QUEUED so the next (Temporal-scheduled) attempt can claim it. */
async function release(db: Db, id: string, error: unknown): Promise<void> {
  await db
    .updateTable('sms_message')
    .set({ status: 'QUEUED', sent_at: null, last_error: safeErrorText(error) })
    .where('id', '=', id)
    .where('status', '=', 'SENDING')
    .execute();
}

async function markFailed(db: Db, id: string, error: unknown): Promise<void> {
  await db
    .updateTable('sms_message')
    .set({ status: 'FAILED', sent_at: null, last_error: safeErrorText(error) })
    .where('id', '=', id)
    .where('status', '=', 'SENDING')
    .execute();
}

/** Someone else holds or held the row: report what became of it. Undefined means "it is QUEUED again, claim it". */
async function settleUnclaimed(
  db: Db,
  id: string,
  staleMs: number,
  resendIsHarmless: boolean,
): Promise<DeliveryOutcome | undefined> {
  const staleSince = sql<boolean>`coalesce(sent_at, created_at) < now() - make_interval(secs => ${staleMs / 1000})`;
  const row = await db
    .selectFrom('sms_message')
    .select(['status', staleSince.as('stale')])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new Error(`no SMS with id ${id}`);
  switch (row.status) {
    case 'SENT':
    case 'DELIVERED':
      return 'ALREADY_SENT';
    case 'FAILED':
      return 'FAILED';
    case 'QUEUED':
      return undefined;
    case 'SENDING': {
      if (!row.stale) throw new SmsDeliveryInProgressError(id);
      if (resendIsHarmless) {
        // Nobody can be reached twice: queue it again, and the caller claims and sends it.
        await db
          .updateTable('sms_message')
          .set({ status: 'QUEUED', sent_at: null })
          .where('id', '=', id)
          .where('status', '=', 'SENDING')
          .where(staleSince)
          .execute();
        return undefined;
      }
      const settled = await db
        .updateTable('sms_message')
        .set({ status: 'FAILED', last_error: OUTCOME_UNKNOWN })
        .where('id', '=', id)
        .where('status', '=', 'SENDING')
        .where(staleSince)
        .executeTakeFirst();
      return settled.numUpdatedRows > 0n ? 'FAILED' : undefined;
    }
  }
}
