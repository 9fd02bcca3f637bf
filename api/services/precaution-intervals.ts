/**
 * The precaution dose's interval per vaccine, changed by a state officer or a national admin: checked, written with
 * its audit row (the interval before and after, and the reason) in one transaction. Doses, bookings and the journeys'
 * due dates decided from then on use it (dose_facts and readPrecautionSchedule read the row each time); a due date
 * already told to a person stays as it was told.
 */
import type { Static } from 'typebox';
import type { Db } from '../../db/connection.js';
import { writeAudit, type Actor } from '../../db/repositories/audit.js';
import {
  lockPrecautionInterval,
  readPrecautionIntervals,
  writePrecautionInterval,
  type PrecautionIntervalRow,
} from '../../db/repositories/precaution.js';
import { precautionDoseAfter } from '../../domain/precaution.js';
import type { PrecautionIntervalView } from '../schemas/precaution-intervals.js';
import { AppError, notFound } from '../errors.js';

const view = (row: PrecautionIntervalRow): Static<typeof PrecautionIntervalView> => ({
  ...row,
  updatedAt: row.updatedAt?.toISOString() ?? null,
});

export async function precautionIntervals(db: Db) {
  return { intervals: (await readPrecautionIntervals(db)).map(view) };
}

export async function setPrecautionInterval(
  db: Db,
  actor: Actor,
  change: { vaccineCode: string; afterDays: number; reason: string },
) {
  return db.transaction().execute(async (trx) => {
    const before = await lockPrecautionInterval(trx, change.vaccineCode);
    if (!before) throw notFound(`vaccine ${change.vaccineCode}`);
    if (precautionDoseAfter(before.primaryDoses) === undefined)
      throw new AppError(
        'NO_PRECAUTION_DOSE',
        `${change.vaccineCode} has a ${before.primaryDoses}-dose schedule; a precaution dose follows a two-dose schedule only`,
      );
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
