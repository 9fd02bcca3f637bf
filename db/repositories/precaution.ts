/** The precaution dose's intervals (domain/precaution.ts decides with them). */
import type { PrecautionRule } from '../../domain/precaution.js';
import type { Executor } from './audit.js';

/** Every configured interval of a vaccine, and its primary schedule's doses. */
export async function readPrecautionSchedule(
  db: Executor,
  vaccineCode: string,
): Promise<{ primaryDoses: number; rules: PrecautionRule[] }> {
  const rows = await db
    .selectFrom('vaccine')
    .leftJoin('precaution_interval', 'precaution_interval.vaccine_code', 'vaccine.code')
    .select(['vaccine.doses', 'precaution_interval.after_days'])
    .where('vaccine.code', '=', vaccineCode)
    .execute();
  return {
    primaryDoses: rows[0]?.doses ?? 0,
    rules: rows.flatMap((r) => (r.after_days === null ? [] : [{ vaccineCode, afterDays: r.after_days }])),
  };
}

/** The person's priority group, if any (a rule of the group's own comes before the vaccine's). */
export async function priorityGroupOf(db: Executor, referenceId: string): Promise<string | null> {
  const row = await db
    .selectFrom('beneficiary')
    .select('priority_group')
    .where('reference_id', '=', referenceId)
    .executeTakeFirst();
  return row?.priority_group ?? null;
}

/** A vaccine's precaution interval as officers see it (none: the vaccine has no precaution dose). */
export interface PrecautionIntervalRow {
  vaccineCode: string;
  primaryDoses: number;
  afterDays: number | null;
  updatedAt: Date | null;
}

/** Every vaccine with its interval, by code. */
export async function readPrecautionIntervals(db: Executor): Promise<PrecautionIntervalRow[]> {
  const rows = await db
    .selectFrom('vaccine')
    .leftJoin('precaution_interval', 'precaution_interval.vaccine_code', 'vaccine.code')
    .select(['vaccine.code', 'vaccine.doses', 'precaution_interval.after_days', 'precaution_interval.updated_at'])
    .orderBy('vaccine.code')
    .execute();
  return rows.map((r) => ({
    vaccineCode: r.code,
    primaryDoses: r.doses,
    afterDays: r.after_days,
    updatedAt: r.updated_at,
  }));
}

/** The vaccine's interval, its row locked until the transaction ends (two officers' changes wait for each other). */
export async function lockPrecautionInterval(
  db: Executor,
  vaccineCode: string,
): Promise<PrecautionIntervalRow | undefined> {
  const row = await db
    .selectFrom('vaccine')
    .leftJoin('precaution_interval', 'precaution_interval.vaccine_code', 'vaccine.code')
    .select(['vaccine.code', 'vaccine.doses', 'precaution_interval.after_days', 'precaution_interval.updated_at'])
    .where('vaccine.code', '=', vaccineCode)
    .forUpdate('vaccine')
    .executeTakeFirst();
  return (
    row && { vaccineCode: row.code, primaryDoses: row.doses, afterDays: row.after_days, updatedAt: row.updated_at }
  );
}

export async function writePrecautionInterval(db: Executor, vaccineCode: string, afterDays: number): Promise<void> {
  await db
    .insertInto('precaution_interval')
    .values({ vaccine_code: vaccineCode, after_days: afterDays })
    .onConflict((oc) => oc.column('vaccine_code').doUpdateSet({ after_days: afterDays, updated_at: new Date() }))
    .execute();
}
