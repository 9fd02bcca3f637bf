/**
 * Recording a dose: committed to Postgres first, in the request, so capture never waits on Temporal; the
 * journey learns of it from a signal written to the outbox in the same transaction and delivered by the relay.
 * A device's client event id makes every replay a no-op that answers with the stored record.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import type { Actor } from '../../db/repositories/audit.js';
import { describeDose, readDoseFacts, writeDose, type StoredDose } from '../../db/repositories/doses.js';
import { noteWrongSecretCode } from '../../db/repositories/verification.js';
import { MAX_SECRET_CODE_TRIES } from '../../domain/desk-code-check.js';
import { decideDose, DoseRefusal, TOO_MANY_CODE_TRIES_MESSAGE, wrongCodeMessage } from '../../domain/dose-rules.js';
import { DomainRefusal, refuse } from '../../domain/errors.js';
import { indiaTime } from '../../domain/time.js';
import { enqueueSignal } from '../../workflows/workflow-outbox.js';
import { batchForDose } from './vaccine-batches.js';
import {
  doseAdministeredSignal,
  sessionDoseRecordedSignal,
  workflowIds,
  type DoseAdministeredEvent,
} from '../../workflows/shared.js';

export { DoseRefusal } from '../../domain/dose-rules.js';

export interface DoseRequest {
  referenceId: string;
  /** The 4-digit code from the person's slip or SMS; omitted when identity was checked by OTP or a verifier. */
  secretCode?: string;
  sessionDayId: string;
  vaccineCode: string;
  batch: string;
  clientEventId?: string;
  administeredAt?: Date;
  source: 'ONLINE' | 'OFFLINE';
  clockSkewMs?: number | null;
  verificationId?: string | null;
}

/** A stored dose as the vaccinator's answer: `duplicate` when this request replayed an event already stored. */
export type RecordedDose = StoredDose & { duplicate: boolean };

/** Session days this process has told of a dose while PLANNED (once each is enough; bounded). */
const toldOpened = new Set<string>();
const TOLD_OPENED_MAX = 10_000;

/**
 * A dose at a session day still PLANNED opens it: its workflow hears so through the outbox, once per process and
 * day (the doses after it change nothing). Best effort after the dose has committed (the dose stands whatever
 * happens here): the workflow also sees the doses in its own reading of the day.
 */
async function tellSessionItOpened(db: Db, sessionDayId: string): Promise<void> {
  if (toldOpened.has(sessionDayId)) return;
  if (toldOpened.size >= TOLD_OPENED_MAX) toldOpened.clear();
  toldOpened.add(sessionDayId);
  try {
    await enqueueSignal(db, {
      workflowId: workflowIds.sessionDay(sessionDayId),
      signalName: sessionDoseRecordedSignal.name,
      payload: { sessionDayId },
    });
  } catch {
    // The workflow's next reading of the day finds the dose.
  }
}

/** Decisions per dose before giving up: each retry follows a concurrent change to the same person or session. */
const MAX_DECISIONS = 4;

/**
 * Stores one dose and its journey signal: the facts in one read, the rules decided here (domain/dose-rules.ts),
 * the write in one call that re-checks those facts under the person's lock. Throws DomainRefusal for a broken
 * rule. The journey's signal is in the outbox with the dose; the worker's relay delivers it, so capture never
 * waits on Temporal.
 */
export async function storeDose(
  db: Db,
  vaccinator: Actor & { id: string },
  request: DoseRequest,
  now = new Date(),
): Promise<{ dose: RecordedDose }> {
  const clientEventId = request.clientEventId ?? randomUUID();
  const administeredAt = request.administeredAt ?? now;
  for (let attempt = 0; attempt < MAX_DECISIONS; attempt++) {
    const facts = await readDoseFacts(db, { ...request, clientEventId });
    const decision = decideDose(facts, { ...request, administeredAt });
    switch (decision.kind) {
      case 'replay':
        return { dose: { ...(await describeDose(db, decision.doseId)), duplicate: true } };
      case 'refuse':
        if (decision.existingDoseId) {
          throw new DomainRefusal(decision.code, decision.message, {
            existing: { ...(await describeDose(db, decision.existingDoseId)), duplicate: false },
          });
        }
        return refuse(decision.code, decision.message);
      case 'wrong-code': {
        const triesLeft = await noteWrongSecretCode(db, vaccinator, {
          beneficiaryId: decision.personId,
          sessionDayId: request.sessionDayId,
          maxTries: MAX_SECRET_CODE_TRIES,
          source: request.source,
        });
        if (triesLeft < 0) return refuse(DoseRefusal.TOO_MANY_CODE_TRIES, TOO_MANY_CODE_TRIES_MESSAGE);
        throw new DomainRefusal(DoseRefusal.SECRET_CODE_MISMATCH, wrongCodeMessage(triesLeft), { triesLeft });
      }
      case 'record': {
        const person = facts.person!;
        const day = facts.day!;
        // A registered, unexpired batch of the session's vaccine; kept per process, so no round trip of its own.
        const { batchNumber } = await batchForDose(db, {
          batch: request.batch,
          vaccineCode: day.vaccineCode,
          at: administeredAt,
        });
        const signal: Omit<DoseAdministeredEvent, 'doseId'> = {
          dose: decision.doseNumber,
          totalDoses: day.doses,
          vaccineCode: day.vaccineCode,
          sessionDayId: day.id,
          administeredAtMs: administeredAt.getTime(),
          minIntervalDays: day.minIntervalDays,
          maxIntervalDays: day.maxIntervalDays,
          ...(decision.precautionDueOn ? { precautionDueOn: decision.precautionDueOn } : {}),
        };
        const written = await writeDose(db, {
          beneficiaryId: person.id,
          referenceId: person.referenceId,
          sessionDayId: day.id,
          stateId: day.stateId,
          districtId: day.districtId,
          siteId: day.siteId,
          vaccineCode: day.vaccineCode,
          batch: batchNumber,
          doseNumber: decision.doseNumber,
          previousDose: decision.previousDose,
          recordingStatuses: decision.recordingStatuses,
          maxCodeTries: decision.maxCodeTries,
          vaccinatorId: vaccinator.id,
          actorRole: vaccinator.role ?? null,
          verificationId: request.verificationId ?? null,
          administeredAt: administeredAt.toISOString(),
          clientEventId,
          source: request.source,
          clockSkewMs: request.clockSkewMs ?? null,
          walkinAt: indiaTime(administeredAt),
          workflowId: workflowIds.journey(person.referenceId),
          signalName: doseAdministeredSignal.name,
          signal,
        });
        if (written.outcome === 'refused') return refuse(written.code, written.message);
        if (written.outcome === 'recorded') {
          if (day.status === 'PLANNED') await tellSessionItOpened(db, day.id);
          return {
            dose: {
              doseId: written.doseId,
              referenceId: person.referenceId,
              dose: decision.doseNumber,
              vaccineCode: day.vaccineCode,
              batch: batchNumber,
              sessionDayId: day.id,
              administeredAt: administeredAt.toISOString(),
              recordedAt: new Date(written.recordedAt).toISOString(),
              clientEventId,
              duplicate: false,
            },
          };
        }
      }
    }
  }
  throw new Error(`the dose for ${request.referenceId} kept meeting concurrent changes; try again`);
}
