/**
 * A dose given elsewhere (another site or district, abroad, a paper record never entered), added by an officer of
 * the person's jurisdiction from evidence; for a person not yet booked or vaccinated in any district, by an officer
 * of the district the request names, which records the dose (recordingDistrict). It counts like any dose: one
 * transaction stores it with its evidence, releases a booking of the person's for that dose, audits it with the
 * officer and their note, and puts the journey's doseAdministered signal in the outbox, as a dose at a desk does.
 * The journey then moves the person on (dose 2 due, fully vaccinated, precaution due) and reissues the
 * certificate, which shows the dose as recorded by an officer; a journey that had ended fully vaccinated is resumed
 * for a precaution dose (workflows/journey-resume.ts).
 *
 * The request's clientEventId makes it exactly once: the same key again answers the stored dose and adds nothing.
 */
import type { Db } from '../../db/connection.js';
import { isRefusalCode } from '../../domain/refusals.js';
import { writeAudit } from '../../db/repositories/audit.js';
import {
  describeElsewhereDose,
  doseByClientEventId,
  lockElsewhereDoseFacts,
  writeElsewhereDose,
} from '../../db/repositories/doses-elsewhere.js';
import { decideDoseElsewhere, ElsewhereRefusal } from '../../domain/dose-elsewhere.js';
import { DomainRefusal, refuse } from '../../domain/errors.js';
import { indiaDate, indiaInstant } from '../../domain/time.js';
import { enqueueSignal } from '../../workflows/workflow-outbox.js';
import { assertDistrictAccess } from '../auth/jurisdiction.js';
import { doseAdministeredSignal, workflowIds, type DoseAdministeredEvent } from '../../workflows/shared.js';
import type { StaffPrincipal } from '../plugins/auth.js';
import type { ElsewhereDoseBody, ElsewhereDoseResult } from '../schemas/doses-elsewhere.js';
import { staffActor } from './staff-actor.js';

/** What a dose given elsewhere stores as its batch when the evidence does not name one. */
export const BATCH_NOT_KNOWN = 'NOT KNOWN';

export async function addDoseGivenElsewhere(
  db: Db,
  staff: StaffPrincipal,
  input: { beneficiaryId: string; referenceId: string; body: ElsewhereDoseBody },
  now = new Date(),
): Promise<ElsewhereDoseResult> {
  const { body } = input;
  const replayed = await replay(db, input);
  if (replayed) return replayed;

  // A district named must exist and be the officer's (404 / 403 before anything is read under the lock).
  if (body.districtId !== undefined) await assertDistrictAccess(db, staff, body.districtId);

  const today = indiaDate(now);
  // Only the date is known: midday in India, or now for a dose given today.
  const administeredAt = body.givenOn === today ? now : indiaInstant(body.givenOn, '12:00');
  const actor = staffActor(staff);
  try {
    const written = await db.transaction().execute(async (trx) => {
      const facts = await lockElsewhereDoseFacts(trx, input.beneficiaryId, body.vaccineCode);
      // Under the person's lock: the same request, sent twice at once, is seen here by the second.
      if (await doseByClientEventId(trx, body.clientEventId)) return undefined;
      const decision = decideDoseElsewhere(facts, {
        doseNumber: body.dose,
        vaccineCode: body.vaccineCode,
        givenOn: body.givenOn,
        today,
      });
      if (decision.kind === 'refuse') return refuse(decision.code, decision.message);
      const districtId = recordingDistrict(facts.homeDistrictId, body.districtId);
      const dose = await writeElsewhereDose(trx, {
        beneficiaryId: input.beneficiaryId,
        doseNumber: body.dose,
        vaccineCode: body.vaccineCode,
        batch: body.batch?.trim().toUpperCase() || BATCH_NOT_KNOWN,
        districtId,
        administeredAt,
        clientEventId: body.clientEventId,
        place: body.place.trim(),
        evidenceReference: body.evidence.reference.trim(),
        note: body.evidence.note.trim(),
        addedBy: staff.staffId,
      });
      await writeAudit(trx, {
        actor,
        action: 'DOSE_ADDED_BY_OFFICER',
        entityType: 'dose',
        entityId: dose.doseId,
        details: {
          referenceId: input.referenceId,
          dose: body.dose,
          vaccineCode: body.vaccineCode,
          givenOn: body.givenOn,
          place: body.place.trim(),
          evidenceReference: body.evidence.reference.trim(),
          reason: body.evidence.note.trim(),
          ...(dose.released.length ? { releasedAppointments: dose.released } : {}),
        },
      });
      const signal: DoseAdministeredEvent = {
        doseId: dose.doseId,
        dose: body.dose,
        totalDoses: facts.vaccine!.doses,
        vaccineCode: body.vaccineCode,
        administeredAtMs: administeredAt.getTime(),
        minIntervalDays: facts.vaccine!.minIntervalDays,
        maxIntervalDays: facts.maxIntervalDays,
        ...(decision.precautionDueOn ? { precautionDueOn: decision.precautionDueOn } : {}),
      };
      await enqueueSignal(trx, {
        workflowId: workflowIds.journey(input.referenceId),
        signalName: doseAdministeredSignal.name,
        payload: signal,
      });
      return dose;
    });
    if (!written) return (await replay(db, input))!;
    return {
      dose: describe(await describeElsewhereDose(db, written.doseId)),
      duplicate: false,
      releasedAppointments: written.released,
    };
  } catch (error) {
    const { code, constraint, hint, message } = (error ?? {}) as {
      code?: string;
      constraint?: string;
      hint?: string;
      message?: string;
    };
    if (code === '23505' && constraint === 'dose_client_event_id_key') return (await replay(db, input))!;
    if (code === '23505' && constraint === 'dose_one_per_number')
      throw new DomainRefusal(
        ElsewhereRefusal.DOSE_ALREADY_RECORDED,
        `dose ${body.dose} is already recorded for this person`,
      );
    // A dry run's test person (the trigger keeps rehearsals apart from real records).
    if (code === 'TK002' && hint && isRefusalCode(hint)) throw new DomainRefusal(hint, message ?? 'refused');
    throw error;
  }
}

/**
 * The district that records the dose (and whose coverage counts it): the person's own, where they were first booked
 * or vaccinated; for a person in no district yet, the one the request names, which then becomes theirs (as a first
 * booking or dose there would make it). A district named for a person who has one must be theirs.
 */
function recordingDistrict(home: number | null, named: number | undefined): number {
  if (home === null) {
    if (named === undefined)
      return refuse(
        'PERSON_HAS_NO_DISTRICT',
        'this person has not been booked or vaccinated in any district yet: name the district that records the dose (districtId)',
      );
    return named;
  }
  if (named !== undefined && named !== home)
    return refuse(
      'DISTRICT_NOT_THE_PERSONS',
      `this person's doses are recorded in their own district (${home}), not in district ${named}; leave districtId out or name theirs`,
    );
  return home;
}

/** The dose this request's key already added, if any; a key used for another person or a desk dose is refused. */
async function replay(
  db: Db,
  input: { beneficiaryId: string; body: ElsewhereDoseBody },
): Promise<ElsewhereDoseResult | undefined> {
  const stored = await doseByClientEventId(db, input.body.clientEventId);
  if (!stored) return undefined;
  if (stored.beneficiary_id !== input.beneficiaryId || stored.source !== 'OFFICER')
    refuse(ElsewhereRefusal.CLIENT_EVENT_CONFLICT, 'this clientEventId was already used for another dose');
  return { dose: describe(await describeElsewhereDose(db, stored.id)), duplicate: true, releasedAppointments: [] };
}

function describe(row: Awaited<ReturnType<typeof describeElsewhereDose>>): ElsewhereDoseResult['dose'] {
  return {
    doseId: row.id,
    referenceId: row.reference_id,
    dose: row.dose_number,
    vaccineCode: row.vaccine_code,
    batch: row.batch,
    givenOn: indiaDate(row.administered_at),
    recordedAt: row.recorded_at.toISOString(),
    place: row.place,
    evidence: { reference: row.evidence_reference, note: row.note },
    addedBy: row.added_by_name,
  };
}
