/**
 * The journey's dose step in two round trips: one read of what the step needs (the person, their account's mobile
 * and language, the live certificate of the kind, how many doses they have) and one statement that writes the rest
 * (the stage projection with its history and audit rows, the signed certificate with its audit row, the SMS rows).
 * A single statement commits all of it or nothing, so it needs no transaction of its own.
 */
import { sql } from 'kysely';
import type { AccountLanguage, Gender } from '../schema.js';
import type { Actor, Executor } from './audit.js';
import type { StageProjection } from './journey-projection.js';

type CertificateKind = 'PROVISIONAL' | 'FINAL';

/** Written out rather than built: the step runs for every dose, and building this query cost more than running it. */
export async function doseStepFacts(db: Executor, beneficiaryId: string, kind: CertificateKind) {
  const { rows } = await sql<{
    reference_id: string;
    name: string;
    birth_year: number;
    gender: Gender;
    id_last4: string;
    secret_code: string;
    dry_run_id: string | null;
    mobile: string;
    language: AccountLanguage;
    live_certificate_id: string | null;
    live_certificate_doses: number | null;
    doses_given: number;
  }>`
    select b.reference_id, b.name, b.birth_year, b.gender, b.id_last4, b.secret_code, b.dry_run_id,
      a.mobile, a.language, live.id as live_certificate_id, live.doses as live_certificate_doses,
      (select count(*)::int from dose where dose.beneficiary_id = b.id) as doses_given
    from beneficiary b
    join account a on a.id = b.account_id
    left join certificate live on live.beneficiary_id = b.id and live.kind = ${kind} and live.revoked_at is null
    where b.id = ${beneficiaryId}`.execute(db);
  const facts = rows[0];
  if (!facts) throw new Error(`no beneficiary ${beneficiaryId}`);
  return facts;
}

export type DoseStepFacts = Awaited<ReturnType<typeof doseStepFacts>>;

export interface DoseStepSms {
  idempotencyKey: string;
  mobile: string;
  template: string;
  locale: string;
  body: string;
  dltTemplateId: string | null;
}

export interface DoseStepWrite {
  beneficiaryId: string;
  projection: StageProjection;
  /** Who the stage's audit row names. */
  stageActor: Actor;
  /** A certificate signed for the person, stored with its audit row unless one of the kind is live already. */
  certificate?: { id: string; kind: CertificateKind; doses: number; keyId: string; jws: string; actor: Actor };
  messages: DoseStepSms[];
}

/**
 * Idempotent as each part was alone: the projection on its step key, the certificate on the one live certificate
 * per person and kind (and its id), each SMS on its idempotency key. Answers what this call wrote.
 */
export async function writeDoseStep(
  db: Executor,
  step: DoseStepWrite,
): Promise<{ stageChanged: boolean; certificateStored: boolean; messages: { id: string; key: string }[] }> {
  const { beneficiaryId, projection, stageActor, certificate } = step;
  const now = new Date();
  const hasNextDose = projection.nextDoseDueOn !== undefined;
  const stageDetails = JSON.stringify({ from: projection.from, to: projection.to, reason: projection.reason });
  const certificateRows = certificate
    ? sql`insert into certificate (id, beneficiary_id, kind, doses, key_id, jws)
          values (${certificate.id}, ${beneficiaryId}, ${certificate.kind}, ${certificate.doses}, ${certificate.keyId}, ${certificate.jws})
          on conflict do nothing
          returning id`
    : sql`select null::text as id where false`;
  const certificateDetails = certificate
    ? JSON.stringify({ beneficiaryId, kind: certificate.kind, doses: certificate.doses, keyId: certificate.keyId })
    : '{}';
  const certificateActor = certificate?.actor ?? stageActor;
  const smsRows = step.messages.length
    ? // A microsecond apart, in the order given: messages are listed by the time they were written.
      sql`insert into sms_message (idempotency_key, mobile, template, locale, body, dlt_template_id, created_at)
          values ${sql.join(
            step.messages.map(
              (m, index) =>
                sql`(${m.idempotencyKey}, ${m.mobile}, ${m.template}, ${m.locale}, ${m.body}, ${m.dltTemplateId},
                     now() + ${index}::float8 * interval '1 microsecond')`,
            ),
          )}
          on conflict (idempotency_key) do nothing
          returning id, idempotency_key`
    : sql`select null::uuid as id, null::text as idempotency_key where false`;
  const { rows } = await sql<{ stage_changed: boolean; certificates: number; messages: { id: string; key: string }[] }>`
    with h as (
      insert into journey_stage_history (beneficiary_id, from_stage, to_stage, reason, step_key)
      values (${beneficiaryId}, ${projection.from}, ${projection.to}, ${projection.reason}, ${projection.stepKey})
      on conflict (step_key) do nothing
      returning id
    ), u as (
      update beneficiary
      set stage = ${projection.to}, stage_updated_at = ${now},
        next_dose_due_on = case when ${hasNextDose}::boolean then ${projection.nextDoseDueOn ?? null}::date else next_dose_due_on end
      where id = ${beneficiaryId} and exists (select 1 from h)
      returning id
    ), c as (${certificateRows}),
    a as (
      insert into audit_log (actor_type, actor_id, actor_role, action, entity_type, entity_id, source, details)
      select * from (
        select ${stageActor.type}::text, ${stageActor.id ?? null}::text, ${stageActor.role ?? null}::text,
          'JOURNEY_STAGE_CHANGED', 'beneficiary', ${beneficiaryId}::text,
          ${stageActor.type === 'SYSTEM' ? 'WORKFLOW' : 'ONLINE'}::text, ${stageDetails}::jsonb
        from h
        union all
        select ${certificateActor.type}::text, ${certificateActor.id ?? null}::text, ${certificateActor.role ?? null}::text,
          'CERTIFICATE_ISSUED', 'certificate', c.id, 'ONLINE', ${certificateDetails}::jsonb
        from c
      ) rows
      returning id
    ), m as (${smsRows})
    select exists (select 1 from h) as stage_changed,
      (select count(*) from c)::int as certificates,
      coalesce((select json_agg(json_build_object('id', m.id, 'key', m.idempotency_key)) from m), '[]'::json) as messages
  `.execute(db);
  const row = rows[0]!;
  return { stageChanged: row.stage_changed, certificateStored: row.certificates > 0, messages: row.messages };
}
