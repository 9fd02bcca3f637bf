/**
 * Adverse events following immunisation (AEFI), each linked to the dose it followed. A report made within the
 * observation period after the dose (the person is still at the site) is marked `during_observation`.
 * A device's client event id makes every replay a no-op that answers with the stored report.
 */
import { refuse } from '../../domain/errors.js';
import { writeAudit, type Actor, type Executor } from './audit.js';
import type { Db } from '../connection.js';

import type { AefiSeverity } from '../../domain/aefi.js';
export { AEFI_SEVERITIES, AEFI_SYMPTOMS, type AefiSeverity, type AefiSymptom } from '../../domain/aefi.js';

/** The usual observation period after a dose. */
export const OBSERVATION_MS = 30 * 60_000;

export const AefiRefusal = {
  DOSE_NOT_FOUND: 'DOSE_NOT_FOUND',
  AEFI_BEFORE_DOSE: 'AEFI_BEFORE_DOSE',
  CLIENT_EVENT_CONFLICT: 'CLIENT_EVENT_CONFLICT',
} as const;

export interface AefiRecord {
  aefiId: string;
  doseId: string;
  referenceId: string;
  severity: AefiSeverity;
  symptoms: string[];
  notes: string | null;
  duringObservation: boolean;
  reportedBy: string;
  reportedAt: string;
  clientEventId: string | null;
  /** True when this request replayed a report already stored. */
  duplicate: boolean;
}

export interface DoseRef {
  doseId: string;
  sessionDayId: string;
  administeredAt: Date;
  referenceId: string;
}

/** The dose a report is about, by its id or by the client event id its device recorded it with. */
export async function findDoseRef(
  db: Executor,
  by: { doseId?: string; doseClientEventId?: string },
): Promise<DoseRef | undefined> {
  if (!by.doseId && !by.doseClientEventId) return undefined;
  const row = await db
    .selectFrom('dose')
    .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
    .select(['dose.id', 'dose.session_day_id', 'dose.administered_at', 'beneficiary.reference_id'])
    .$if(by.doseId !== undefined, (qb) => qb.where('dose.id', '=', by.doseId!))
    .$if(by.doseClientEventId !== undefined, (qb) => qb.where('dose.client_event_id', '=', by.doseClientEventId!))
    .executeTakeFirst();
  return (
    row && {
      doseId: row.id,
      sessionDayId: row.session_day_id,
      administeredAt: row.administered_at,
      referenceId: row.reference_id,
    }
  );
}

function reportQuery(db: Executor) {
  return db
    .selectFrom('aefi_report')
    .innerJoin('dose', 'dose.id', 'aefi_report.dose_id')
    .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
    .select([
      'aefi_report.id',
      'aefi_report.dose_id',
      'beneficiary.reference_id',
      'aefi_report.severity',
      'aefi_report.symptoms',
      'aefi_report.notes',
      'aefi_report.during_observation',
      'aefi_report.reported_by',
      'aefi_report.reported_at',
      'aefi_report.client_event_id',
    ]);
}

type ReportRow = Awaited<ReturnType<ReturnType<typeof reportQuery>['executeTakeFirstOrThrow']>>;

function toRecord(row: ReportRow, duplicate: boolean): AefiRecord {
  return {
    aefiId: row.id,
    doseId: row.dose_id,
    referenceId: row.reference_id,
    severity: row.severity,
    symptoms: row.symptoms,
    notes: row.notes,
    duringObservation: row.during_observation,
    reportedBy: row.reported_by,
    reportedAt: row.reported_at.toISOString(),
    clientEventId: row.client_event_id,
    duplicate,
  };
}

export async function findAefiByClientEventId(db: Executor, clientEventId: string): Promise<AefiRecord | undefined> {
  const row = await reportQuery(db).where('aefi_report.client_event_id', '=', clientEventId).executeTakeFirst();
  return row && toRecord(row, true);
}

export async function listAefiForDose(db: Executor, doseId: string): Promise<AefiRecord[]> {
  const rows = await reportQuery(db)
    .where('aefi_report.dose_id', '=', doseId)
    .orderBy('aefi_report.reported_at')
    .execute();
  return rows.map((row) => toRecord(row, false));
}

/**
 * Stores one report linked to its dose, with its audit row, in one transaction. A replay of the same client
 * event id answers with the stored report; the same id for another dose is refused.
 */
export async function storeAefi(
  db: Db,
  reporter: Actor & { id: string },
  report: {
    dose: DoseRef;
    severity: AefiSeverity;
    symptoms: string[];
    notes?: string | null;
    clientEventId: string;
    reportedAt: Date;
    source: 'ONLINE' | 'OFFLINE';
  },
): Promise<AefiRecord> {
  return db.transaction().execute(async (trx) => {
    const replay = await findAefiByClientEventId(trx, report.clientEventId);
    if (replay) {
      if (replay.doseId !== report.dose.doseId)
        refuse(AefiRefusal.CLIENT_EVENT_CONFLICT, 'this client event id was already used for a report on another dose');
      return replay;
    }
    const sinceDose = report.reportedAt.getTime() - report.dose.administeredAt.getTime();
    if (sinceDose < 0) return refuse(AefiRefusal.AEFI_BEFORE_DOSE, 'the report is timed before the dose was given');
    const inserted = await trx
      .insertInto('aefi_report')
      .values({
        dose_id: report.dose.doseId,
        severity: report.severity,
        symptoms: report.symptoms,
        notes: report.notes ?? null,
        during_observation: sinceDose <= OBSERVATION_MS,
        reported_by: reporter.id,
        reported_at: report.reportedAt,
        client_event_id: report.clientEventId,
      })
      // A parallel replay of the same event lost the race: answer with the stored report below.
      .onConflict((oc) => oc.column('client_event_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      const stored = await findAefiByClientEventId(trx, report.clientEventId);
      if (!stored || stored.doseId !== report.dose.doseId)
        return refuse(
          AefiRefusal.CLIENT_EVENT_CONFLICT,
          'this client event id was already used for a report on another dose',
        );
      return stored;
    }
    await writeAudit(trx, {
      actor: reporter,
      action: 'AEFI_REPORTED',
      entityType: 'aefi_report',
      entityId: inserted.id,
      source: report.source,
      details: {
        doseId: report.dose.doseId,
        severity: report.severity,
        symptoms: report.symptoms,
        duringObservation: sinceDose <= OBSERVATION_MS,
      },
    });
    return toRecord(await reportQuery(trx).where('aefi_report.id', '=', inserted.id).executeTakeFirstOrThrow(), false);
  });
}
