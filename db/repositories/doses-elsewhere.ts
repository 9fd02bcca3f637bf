/**
 * Doses given elsewhere, added by an officer from evidence (migration 2026-12-10T0405_doses_given_elsewhere): the
 * facts the rule (domain/dose-elsewhere.ts) is decided on, read under the person's row lock, and the write of the
 * dose with its evidence, in the caller's transaction.
 */
import { sql } from 'kysely';
import type { ElsewhereDoseFacts } from '../../domain/dose-elsewhere.js';
import type { Stage } from '../../domain/journey-state.js';
import type { Executor } from './audit.js';
import { readPrecautionSchedule } from './precaution.js';

/** The dose stored under a request's idempotency key, with the person it was added for. */
export async function doseByClientEventId(db: Executor, clientEventId: string) {
  return db
    .selectFrom('dose')
    .select(['id', 'beneficiary_id', 'source'])
    .where('client_event_id', '=', clientEventId)
    .executeTakeFirst();
}

/**
 * Locks the person (two adds, or an add and a desk dose, never interleave) and reads what the rule needs: their
 * stage, latest dose, the vaccine named and its precaution intervals (its own and its groups'), their priority group; and the district
 * that counts the dose (where they were first booked or vaccinated).
 */
export async function lockElsewhereDoseFacts(
  trx: Executor,
  beneficiaryId: string,
  vaccineCode: string,
): Promise<ElsewhereDoseFacts & { homeDistrictId: number | null; maxIntervalDays: number }> {
  const person = await trx
    .selectFrom('beneficiary')
    .select(['stage', 'priority_group'])
    .where('id', '=', beneficiaryId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const [previous, vaccine, rules, home] = await Promise.all([
    trx
      .selectFrom('dose')
      .select(['dose_number', 'vaccine_code', 'administered_at'])
      .where('beneficiary_id', '=', beneficiaryId)
      .orderBy('dose_number', 'desc')
      .limit(1)
      .executeTakeFirst(),
    trx
      .selectFrom('vaccine')
      .select(['code', 'doses', 'min_interval_days', 'max_interval_days'])
      .where('code', '=', vaccineCode)
      .executeTakeFirst(),
    readPrecautionSchedule(trx, vaccineCode),
    trx
      .selectFrom('beneficiary_district')
      .select('district_id')
      .where('beneficiary_id', '=', beneficiaryId)
      .executeTakeFirst(),
  ]);
  return {
    stage: person.stage as Stage,
    previous: previous
      ? {
          doseNumber: previous.dose_number,
          vaccineCode: previous.vaccine_code,
          administeredAt: previous.administered_at,
        }
      : null,
    vaccine: vaccine ? { code: vaccine.code, doses: vaccine.doses, minIntervalDays: vaccine.min_interval_days } : null,
    precaution: { rules: rules.rules, group: person.priority_group },
    homeDistrictId: home?.district_id ?? null,
    maxIntervalDays: vaccine?.max_interval_days ?? 0,
  };
}

export interface ElsewhereDoseWrite {
  beneficiaryId: string;
  doseNumber: number;
  vaccineCode: string;
  batch: string;
  districtId: number;
  administeredAt: Date;
  clientEventId: string;
  place: string;
  evidenceReference: string;
  note: string;
  addedBy: string;
}

/**
 * Stores the dose and its evidence; a booking of the person's for this dose is released the way the desk releases
 * one when the person is vaccinated elsewhere (give_back_seat: its seats back, its session's live event). Answers
 * the dose's id and the appointments released.
 */
export async function writeElsewhereDose(
  trx: Executor,
  input: ElsewhereDoseWrite,
): Promise<{ doseId: string; recordedAt: Date; released: string[] }> {
  const dose = await trx
    .insertInto('dose')
    .values({
      beneficiary_id: input.beneficiaryId,
      dose_number: input.doseNumber,
      vaccine_code: input.vaccineCode,
      batch: input.batch,
      site_id: null,
      session_day_id: null,
      district_id: input.districtId,
      vaccinator_id: null,
      administered_at: input.administeredAt,
      client_event_id: input.clientEventId,
      source: 'OFFICER',
    })
    .returning(['id', 'recorded_at'])
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('dose_evidence')
    .values({
      dose_id: dose.id,
      place: input.place,
      evidence_reference: input.evidenceReference,
      note: input.note,
      added_by: input.addedBy,
    })
    .execute();
  await trx
    .updateTable('beneficiary')
    .set({ vaccine_code: input.vaccineCode })
    .where('id', '=', input.beneficiaryId)
    .execute();
  const booked = await trx
    .selectFrom('appointment')
    .select('id')
    .where('beneficiary_id', '=', input.beneficiaryId)
    .where('dose_number', '=', input.doseNumber)
    .where('status', '=', 'BOOKED')
    .execute();
  for (const { id } of booked)
    await sql`select give_back_seat(${id}::uuid, 'CANCELLED'::text, 'RELEASED'::text)`.execute(trx);
  return { doseId: dose.id, recordedAt: dose.recorded_at, released: booked.map((r) => r.id) };
}

/** A dose an officer added, as the API answers it. */
export async function describeElsewhereDose(db: Executor, doseId: string) {
  return db
    .selectFrom('dose')
    .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
    .innerJoin('dose_evidence', 'dose_evidence.dose_id', 'dose.id')
    .innerJoin('staff_user', 'staff_user.id', 'dose_evidence.added_by')
    .select([
      'dose.id',
      'beneficiary.reference_id',
      'dose.dose_number',
      'dose.vaccine_code',
      'dose.batch',
      'dose.administered_at',
      'dose.recorded_at',
      'dose.client_event_id',
      'dose_evidence.place',
      'dose_evidence.evidence_reference',
      'dose_evidence.note',
      'staff_user.name as added_by_name',
    ])
    .where('dose.id', '=', doseId)
    .executeTakeFirstOrThrow();
}
