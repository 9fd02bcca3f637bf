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
