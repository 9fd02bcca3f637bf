/**
 * Adverse events following immunisation (AEFI), reported by staff of the dose's session: the session is known only
 * from the dose, so its access is checked here.
 */
import { Refusal } from '../../domain/refusals.js';
import type { FastifyInstance } from 'fastify';
import {
  findDoseRef,
  queuedAefiAlerts,
  storeAefi,
  type AefiRecord,
  type AefiSeverity,
} from '../../db/repositories/aefi.js';
import { deliverSms } from '../../messaging/sms-outbox.js';
import { refuse } from '../../domain/errors.js';
import type { StaffPrincipal } from '../plugins/auth.js';
import { assertTeamStep } from './team.js';
import { staffActor } from './staff-actor.js';

export interface AefiRequest {
  doseId?: string;
  doseClientEventId?: string;
  severity: AefiSeverity;
  symptoms: string[];
  notes?: string;
  clientEventId: string;
  /** When it was reported; now for the online desk, the corrected device time for offline sync. */
  reportedAt?: Date;
  source: 'ONLINE' | 'OFFLINE';
}

/** An adverse event after a dose, reported by staff of the dose's session (or an officer over it). */
export async function reportAefi(
  app: FastifyInstance,
  staff: StaffPrincipal,
  request: AefiRequest,
): Promise<AefiRecord> {
  if ((request.doseId === undefined) === (request.doseClientEventId === undefined)) {
    refuse(
      Refusal.DOSE_REFERENCE_REQUIRED,
      'name the dose by doseId or by the clientEventId it was recorded with (one of them)',
    );
  }
  const dose = await findDoseRef(app.db, request);
  if (!dose) return refuse(Refusal.DOSE_NOT_FOUND, 'no recorded dose matches; sync the dose first');
  await app.assertSessionAccess(staff, dose.sessionDayId);
  // The observer's step, or the vaccinator's in a team without one (domain/team.ts).
  await assertTeamStep(app.db, staff, dose.sessionDayId, 'OBSERVE');
  const record = await storeAefi(app.db, staffActor(staff), {
    dose,
    severity: request.severity,
    symptoms: request.symptoms,
    notes: request.notes ?? null,
    clientEventId: request.clientEventId,
    reportedAt: request.reportedAt ?? new Date(),
    source: request.source,
  });
  // A serious or severe report queued an SMS to each district officer with it: send them now. A gateway failure
  // never fails the report; the worker's staff-SMS sweep sends what is left QUEUED.
  for (const id of await queuedAefiAlerts(app.db, record.aefiId))
    await deliverSms(app.db, app.sms, id).catch((error: unknown) =>
      app.log.warn({ err: error, aefiId: record.aefiId }, 'AEFI alert SMS not delivered now; the worker will retry it'),
    );
  return record;
}
