/** The precaution dose's intervals, per vaccine and per priority group (domain/precaution.ts decides with them). */
import type { PrecautionRule } from '../../domain/precaution.js';
import type { PriorityGroup } from '../../domain/priority-groups.js';
import type { Executor } from './audit.js';

/** A vaccine's priority groups' own intervals (each overrides the vaccine's for that group's people). */
async function groupRules(db: Executor, vaccineCodes: string[]) {
  if (vaccineCodes.length === 0) return [];
  return db
    .selectFrom('precaution_group_interval')
    .select(['vaccine_code', 'priority_group', 'after_days', 'updated_at'])
    .where('vaccine_code', 'in', vaccineCodes)
    .orderBy('vaccine_code')
    .orderBy('priority_group')
    .execute();
}

/** Every configured interval of a vaccine (its own, and its priority groups'), and its primary schedule's doses. */
export async function readPrecautionSchedule(
  db: Executor,
  vaccineCode: string,
): Promise<{ primaryDoses: number; rules: PrecautionRule[] }> {
  const [rows, groups] = await Promise.all([
    db
      .selectFrom('vaccine')
      .leftJoin('precaution_interval', 'precaution_interval.vaccine_code', 'vaccine.code')
      .select(['vaccine.doses', 'precaution_interval.after_days'])
      .where('vaccine.code', '=', vaccineCode)
      .execute(),
    groupRules(db, [vaccineCode]),
  ]);
  return {
    primaryDoses: rows[0]?.doses ?? 0,
    rules: [
      ...rows.flatMap((r) => (r.after_days === null ? [] : [{ vaccineCode, afterDays: r.after_days }])),
      ...groups.map((g) => ({ vaccineCode, group: g.priority_group, afterDays: g.after_days })),
    ],
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

/** A priority group's own interval for a vaccine. */
export interface PrecautionGroupIntervalRow {
  group: PriorityGroup;
  afterDays: number;
  updatedAt: Date;
}

/** A vaccine's precaution interval as officers see it (none: the vaccine has no precaution dose). */
export interface PrecautionIntervalRow {
  vaccineCode: string;
  primaryDoses: number;
  afterDays: number | null;
  updatedAt: Date | null;
  /** The priority groups' own intervals, by group. */
  groups: PrecautionGroupIntervalRow[];
}

const withGroups = async (
  db: Executor,
  rows: { code: string; doses: number; after_days: number | null; updated_at: Date | null }[],
): Promise<PrecautionIntervalRow[]> => {
  const groups = await groupRules(
    db,
    rows.map((r) => r.code),
  );
  return rows.map((r) => ({
    vaccineCode: r.code,
    primaryDoses: r.doses,
    afterDays: r.after_days,
    updatedAt: r.updated_at,
    groups: groups
      .filter((g) => g.vaccine_code === r.code)
      .map((g) => ({ group: g.priority_group, afterDays: g.after_days, updatedAt: g.updated_at })),
  }));
};

/** Every vaccine with its interval and its groups' intervals, by code. */
export async function readPrecautionIntervals(db: Executor): Promise<PrecautionIntervalRow[]> {
  const rows = await db
    .selectFrom('vaccine')
    .leftJoin('precaution_interval', 'precaution_interval.vaccine_code', 'vaccine.code')
    .select(['vaccine.code', 'vaccine.doses', 'precaution_interval.after_days', 'precaution_interval.updated_at'])
    .orderBy('vaccine.code')
    .execute();
  return withGroups(db, rows);
}

/**
 * The vaccine's intervals (its own and its groups'), its row locked until the transaction ends (two officers'
 * changes of the vaccine or of one of its groups wait for each other).
 */
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
  return row && (await withGroups(db, [row]))[0];
}

export async function writePrecautionInterval(db: Executor, vaccineCode: string, afterDays: number): Promise<void> {
  await db
    .insertInto('precaution_interval')
    .values({ vaccine_code: vaccineCode, after_days: afterDays })
    .onConflict((oc) => oc.column('vaccine_code').doUpdateSet({ after_days: afterDays, updated_at: new Date() }))
    .execute();
}

/** Sets a priority group's own interval for a vaccine; null removes it (the group follows the vaccine's). */
export async function writePrecautionGroupInterval(
  db: Executor,
  vaccineCode: string,
  group: PriorityGroup,
  afterDays: number | null,
): Promise<void> {
  if (afterDays === null) {
    await db
      .deleteFrom('precaution_group_interval')
      .where('vaccine_code', '=', vaccineCode)
      .where('priority_group', '=', group)
      .execute();
    return;
  }
  await db
    .insertInto('precaution_group_interval')
    .values({ vaccine_code: vaccineCode, priority_group: group, after_days: afterDays })
    .onConflict((oc) =>
      oc.columns(['vaccine_code', 'priority_group']).doUpdateSet({ after_days: afterDays, updated_at: new Date() }),
    )
    .execute();
}
