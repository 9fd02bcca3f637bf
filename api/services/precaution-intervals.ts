/**
 * The precaution dose's interval per vaccine, and per priority group of a vaccine (the group's own overrides the
 * vaccine's for its people), changed by a state officer or a national admin: checked, written with its audit row
 * (the group, the interval before and after, and the reason) in one transaction. Doses, bookings and the journeys'
 * due dates decided from then on use it (dose_facts and readPrecautionSchedule read the row each time); a due date
 * already told to a person stays as it was told.
 */
import type { Static } from 'typebox';
import type { Db } from '../../db/connection.js';
import { writeAudit, type Actor } from '../../db/repositories/audit.js';
import {
  lockPrecautionInterval,
  readPrecautionIntervals,
  writePrecautionGroupInterval,
  writePrecautionInterval,
  type PrecautionIntervalRow,
} from '../../db/repositories/precaution.js';
import { precautionDoseAfter } from '../../domain/precaution.js';
import type { PriorityGroup } from '../../domain/priority-groups.js';
import type { PrecautionIntervalView } from '../schemas/precaution-intervals.js';
import { AppError, notFound } from '../errors.js';

const view = (row: PrecautionIntervalRow): Static<typeof PrecautionIntervalView> => ({
  ...row,
  updatedAt: row.updatedAt?.toISOString() ?? null,
  groups: row.groups.map((g) => ({ ...g, updatedAt: g.updatedAt.toISOString() })),
});

/** The vaccine, locked; refused when unknown or when its schedule has no precaution dose. */
async function lockVaccineWithPrecaution(trx: Parameters<typeof lockPrecautionInterval>[0], vaccineCode: string) {
  const before = await lockPrecautionInterval(trx, vaccineCode);
  if (!before) throw notFound(`vaccine ${vaccineCode}`);
  if (precautionDoseAfter(before.primaryDoses) === undefined)
    throw new AppError(
      'NO_PRECAUTION_DOSE',
      `${vaccineCode} has a ${before.primaryDoses}-dose schedule; a precaution dose follows a two-dose schedule only`,
    );
  return before;
}

export async function precautionIntervals(db: Db) {
  return { intervals: (await readPrecautionIntervals(db)).map(view) };
}

export async function setPrecautionInterval(
  db: Db,
  actor: Actor,
  change: { vaccineCode: string; afterDays: number; reason: string },
) {
  return db.transaction().execute(async (trx) => {
    const before = await lockVaccineWithPrecaution(trx, change.vaccineCode);
    await writePrecautionInterval(trx, change.vaccineCode, change.afterDays);
    await writeAudit(trx, {
      actor,
      action: 'PRECAUTION_INTERVAL_SET',
      entityType: 'vaccine',
      entityId: change.vaccineCode,
      details: { before: before.afterDays, after: change.afterDays, reason: change.reason.trim() },
    });
    const after = await lockPrecautionInterval(trx, change.vaccineCode);
    return view(after!);
  });
}

/**
 * A priority group's own interval for a vaccine (null: the group follows the vaccine's again). Audited as
 * PRECAUTION_INTERVAL_SET with the group named, the group's interval before and after (null: none of its own).
 */
export async function setPrecautionGroupInterval(
  db: Db,
  actor: Actor,
  change: { vaccineCode: string; group: PriorityGroup; afterDays: number | null; reason: string },
) {
  return db.transaction().execute(async (trx) => {
    const before = await lockVaccineWithPrecaution(trx, change.vaccineCode);
    await writePrecautionGroupInterval(trx, change.vaccineCode, change.group, change.afterDays);
    await writeAudit(trx, {
      actor,
      action: 'PRECAUTION_INTERVAL_SET',
      entityType: 'vaccine',
      entityId: change.vaccineCode,
      details: {
        group: change.group,
        before: before.groups.find((g) => g.group === change.group)?.afterDays ?? null,
        after: change.afterDays,
        reason: change.reason.trim(),
      },
    });
    const after = await lockPrecautionInterval(trx, change.vaccineCode);
    return view(after!);
  });
}
