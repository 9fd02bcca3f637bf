/**
 * Adverse events following immunisation (AEFI), each linked to the dose it followed. A report made within the
 * observation period after the dose (the person is still at the site) is marked `during_observation`.
 * A device's client event id makes every replay a no-op that answers with the stored report.
 */
import type { NotNull } from 'kysely';
import { Refusal } from '../../domain/refusals.js';
import { refuse } from '../../domain/errors.js';
import { indiaDate } from '../../domain/time.js';
import { publishLiveEvent } from '../../live/publish.js';
import { enqueueSms } from '../../messaging/sms-outbox.js';
import { writeAudit, type Actor, type Executor } from './audit.js';
import type { Db } from '../connection.js';
import { districtOfficersOf } from './session-day-status.js';

import type { AefiSeverity } from '../../domain/aefi.js';
export { AEFI_SEVERITIES, AEFI_SYMPTOMS, type AefiSeverity, type AefiSymptom } from '../../domain/aefi.js';

/** Severities that alert the district officers at once: a live event to the district room and an SMS each. */
export const ALERTING_SEVERITIES: readonly AefiSeverity[] = ['SERIOUS', 'SEVERE'];

/** One alert SMS per officer per report, whatever retries or replays happen. */
export const aefiAlertSmsKey = (aefiId: string, officerId: string) => `aefi-alert:${aefiId}:${officerId}`;

/** The usual observation period after a dose. */
export const OBSERVATION_MS = 30 * 60_000;

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
    // A dose given elsewhere (added by an officer) has no session to report at.
    .where('dose.session_day_id', 'is not', null)
    .$narrowType<{ session_day_id: NotNull }>()
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
        refuse(Refusal.CLIENT_EVENT_CONFLICT, 'this client event id was already used for a report on another dose');
      return replay;
    }
    const sinceDose = report.reportedAt.getTime() - report.dose.administeredAt.getTime();
    if (sinceDose < 0) return refuse(Refusal.AEFI_BEFORE_DOSE, 'the report is timed before the dose was given');
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
          Refusal.CLIENT_EVENT_CONFLICT,
          'this client event id was already used for a report on another dose',
        );
      return stored;
    }
    if (ALERTING_SEVERITIES.includes(report.severity))
      await alertDistrict(trx, { aefiId: inserted.id, doseId: report.dose.doseId, severity: report.severity, report });
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

/**
 * A serious or severe report, in the report's own transaction: the `aefi.reported` live event for the district's
 * console (and state war room), and the STAFF_AEFI_ALERT SMS queued for each of the district's officers. Both exist
 * exactly when the report does; the caller delivers the SMS after commit (`queuedAefiAlerts`), and the worker's
 * staff-SMS sweep delivers any it could not.
 */
async function alertDistrict(
  trx: Executor,
  alert: {
    aefiId: string;
    doseId: string;
    severity: AefiSeverity;
    report: { symptoms: string[]; reportedAt: Date; source: 'ONLINE' | 'OFFLINE' };
  },
): Promise<void> {
  const place = await trx
    .selectFrom('dose')
    .innerJoin('site', 'site.id', 'dose.site_id')
    .innerJoin('district', 'district.id', 'dose.district_id')
    .select(['dose.session_day_id', 'dose.district_id', 'district.state_id', 'site.name as site_name'])
    .where('dose.id', '=', alert.doseId)
    .$narrowType<{ session_day_id: NotNull }>()
    .executeTakeFirstOrThrow();
  // Small and non-personal (NOTIFY carries at most 8000 bytes): who the person is stays behind the console's login.
  await publishLiveEvent(trx, {
    type: 'aefi.reported',
    stateId: place.state_id,
    districtId: place.district_id,
    sessionDayId: place.session_day_id,
    at: alert.report.reportedAt.toISOString(),
    data: {
      aefiId: alert.aefiId,
      severity: alert.severity,
      symptoms: alert.report.symptoms,
      siteName: place.site_name,
      source: alert.report.source,
    },
  });
  for (const officer of await districtOfficersOf(trx, place.district_id))
    await enqueueSms(trx, {
      idempotencyKey: aefiAlertSmsKey(alert.aefiId, officer.id),
      mobile: officer.mobile.trim(),
      template: 'STAFF_AEFI_ALERT',
      vars: { severity: alert.severity.toLowerCase(), site: place.site_name, date: indiaDate(alert.report.reportedAt) },
    });
}

/** The alert SMS of one report still waiting to be sent (delivered by the caller after the report commits). */
export async function queuedAefiAlerts(db: Executor, aefiId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('sms_message')
    .select('id')
    .where('idempotency_key', 'like', `aefi-alert:${aefiId}:%`)
    .where('status', '=', 'QUEUED')
    .execute();
  return rows.map((r) => r.id);
}
