/**
 * Recording a dose: committed to Postgres first, in the request, so capture never waits on Temporal; the
 * journey learns of it from a signal written to the outbox in the same transaction and delivered after commit.
 * A device's client event id makes every replay a no-op that answers with the stored record.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.js';
import { giveBackSeat } from '../../db/repositories/appointments.js';
import { takeWalkinSlotSeat } from '../../db/repositories/walkin-seats.js';
import { writeAudit, type Actor } from '../../db/repositories/audit.js';
import type { Executor } from '../../db/repositories/audit.js';
import { constantTimeEqual } from '../../domain/codes.js';
import { DomainRefusal, refuse } from '../../domain/errors.js';
import { daysBetween, indiaDate } from '../../domain/time.js';
import type { TemporalGateway } from '../../workflows/client.js';
import { enqueueSignal } from '../../workflows/outbox.js';
import { publishLiveEvent } from '../../live/publish.js';
import { doseAdministeredSignal, workflowIds, type DoseAdministeredEvent } from '../../workflows/shared.js';
import { deliverAfterCommit } from './workflow-commands.js';

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

export interface RecordedDose {
  doseId: string;
  referenceId: string;
  dose: number;
  vaccineCode: string;
  batch: string;
  sessionDayId: string;
  administeredAt: string;
  recordedAt: string;
  clientEventId: string;
  /** True when this request replayed an event already stored. */
  duplicate: boolean;
}

export const DoseRefusal = {
  PERSON_NOT_FOUND: 'PERSON_NOT_FOUND',
  SECRET_CODE_MISMATCH: 'SECRET_CODE_MISMATCH',
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  SESSION_NOT_OPEN: 'SESSION_NOT_OPEN',
  WRONG_DAY: 'WRONG_DAY',
  VACCINE_MISMATCH: 'VACCINE_MISMATCH',
  DOSE2_TOO_EARLY: 'DOSE2_TOO_EARLY',
  FULLY_VACCINATED: 'FULLY_VACCINATED',
  DOSE_ALREADY_RECORDED: 'DOSE_ALREADY_RECORDED',
  WALKIN_QUOTA_FULL: 'WALKIN_QUOTA_FULL',
  CLIENT_EVENT_CONFLICT: 'CLIENT_EVENT_CONFLICT',
} as const;

/** Session states in which doses are taken. PLANNED too: capture never waits for the session workflow. */
const RECORDING_STATUSES = ['PLANNED', 'OPEN', 'STALLED'];

async function describeDose(db: Executor, doseId: string, duplicate: boolean): Promise<RecordedDose> {
  const row = await db
    .selectFrom('dose')
    .innerJoin('beneficiary', 'beneficiary.id', 'dose.beneficiary_id')
    .select([
      'dose.id',
      'beneficiary.reference_id',
      'dose.dose_number',
      'dose.vaccine_code',
      'dose.batch',
      'dose.session_day_id',
      'dose.administered_at',
      'dose.recorded_at',
      'dose.client_event_id',
    ])
    .where('dose.id', '=', doseId)
    .executeTakeFirstOrThrow();
  return {
    doseId: row.id,
    referenceId: row.reference_id,
    dose: row.dose_number,
    vaccineCode: row.vaccine_code,
    batch: row.batch,
    sessionDayId: row.session_day_id,
    administeredAt: row.administered_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    clientEventId: row.client_event_id,
    duplicate,
  };
}

/** Stores one dose and its journey signal in one transaction. Throws DomainRefusal for rule violations. */
export async function storeDose(
  db: Db,
  vaccinator: Actor & { id: string },
  request: DoseRequest,
  now = new Date(),
): Promise<{ dose: RecordedDose; commandId?: string }> {
  const clientEventId = request.clientEventId ?? randomUUID();
  const administeredAt = request.administeredAt ?? now;
  return db.transaction().execute(async (trx) => {
    /** The stored record when this client event was already stored: the request is its replay. */
    const replayed = async () => {
      const replay = await trx
        .selectFrom('dose')
        .select(['id', 'beneficiary_id'])
        .where('client_event_id', '=', clientEventId)
        .executeTakeFirst();
      if (!replay) return undefined;
      const dose = await describeDose(trx, replay.id, true);
      if (dose.referenceId !== request.referenceId) {
        refuse(DoseRefusal.CLIENT_EVENT_CONFLICT, 'this client event id was already used for another person');
      }
      return dose;
    };
    const early = await replayed();
    if (early) return { dose: early };

    const person = await trx
      .selectFrom('beneficiary')
      .select(['id', 'secret_code', 'reference_id'])
      .where('reference_id', '=', request.referenceId)
      .where('deleted_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!person) return refuse(DoseRefusal.PERSON_NOT_FOUND, 'no registered person has that reference id');
    // A retry sent while the first request was still running waited for the person's lock above; now that the first
    // has committed, it is a replay, not a second dose (tests/reliability/concurrent-retries.test.ts).
    const late = await replayed();
    if (late) return { dose: late };
    if (request.secretCode !== undefined && !constantTimeEqual(person.secret_code, request.secretCode)) {
      return refuse(DoseRefusal.SECRET_CODE_MISMATCH, 'the secret code does not match this person');
    }

    const day = await trx
      .selectFrom('session_day')
      .innerJoin('vaccine', 'vaccine.code', 'session_day.vaccine_code')
      .innerJoin('district', 'district.id', 'session_day.district_id')
      .select([
        'session_day.id',
        'session_day.date',
        'session_day.status',
        'session_day.vaccine_code',
        'session_day.site_id',
        'session_day.district_id',
        'district.state_id',
        'vaccine.doses',
        'vaccine.min_interval_days',
        'vaccine.max_interval_days',
      ])
      .where('session_day.id', '=', request.sessionDayId)
      .executeTakeFirst();
    if (!day) return refuse(DoseRefusal.SESSION_NOT_FOUND, 'no such session day');
    // A device that was offline syncs after the session closed: its doses were given while it was open.
    const recording = request.source === 'OFFLINE' ? [...RECORDING_STATUSES, 'CLOSED'] : RECORDING_STATUSES;
    if (!recording.includes(day.status))
      return refuse(DoseRefusal.SESSION_NOT_OPEN, `this session day is ${day.status.toLowerCase()}`);
    if (indiaDate(administeredAt) !== day.date) {
      return refuse(
        DoseRefusal.WRONG_DAY,
        `this session day is for ${day.date}; the dose was given on ${indiaDate(administeredAt)}`,
      );
    }
    if (request.vaccineCode !== day.vaccine_code) {
      return refuse(
        DoseRefusal.VACCINE_MISMATCH,
        `this session day gives ${day.vaccine_code}, not ${request.vaccineCode}`,
      );
    }

    const previous = await trx
      .selectFrom('dose')
      .select(['id', 'dose_number', 'vaccine_code', 'administered_at', 'session_day_id'])
      .where('beneficiary_id', '=', person.id)
      .orderBy('dose_number', 'desc')
      .executeTakeFirst();
    if (previous && previous.session_day_id === day.id) {
      throw new DomainRefusal(
        DoseRefusal.DOSE_ALREADY_RECORDED,
        `dose ${previous.dose_number} was already recorded for this person at this session`,
        {
          existing: await describeDose(trx, previous.id, false),
        },
      );
    }
    const doseNumber = (previous?.dose_number ?? 0) + 1;
    if (doseNumber > day.doses)
      return refuse(DoseRefusal.FULLY_VACCINATED, 'this person has already received every dose');
    if (previous) {
      if (previous.vaccine_code !== day.vaccine_code) {
        return refuse(
          DoseRefusal.VACCINE_MISMATCH,
          `dose ${doseNumber} must be ${previous.vaccine_code}, the vaccine of dose ${previous.dose_number}`,
        );
      }
      const since = daysBetween(indiaDate(previous.administered_at), day.date);
      if (since < day.min_interval_days) {
        return refuse(
          DoseRefusal.DOSE2_TOO_EARLY,
          `dose ${doseNumber} of ${day.vaccine_code} is due ${day.min_interval_days} days after dose ${previous.dose_number}; only ${since} have passed`,
        );
      }
    }

    // The person's appointment here is completed; one elsewhere for the same dose is released (they came here).
    const appointment = await trx
      .updateTable('appointment')
      .set({ status: 'COMPLETED', updated_at: now })
      .where('beneficiary_id', '=', person.id)
      .where('dose_number', '=', doseNumber)
      .where('status', '=', 'BOOKED')
      .where('session_day_id', '=', day.id)
      .returning('id')
      .executeTakeFirst();
    const elsewhere = await trx
      .updateTable('appointment')
      .set({ status: 'CANCELLED', updated_at: now })
      .where('beneficiary_id', '=', person.id)
      .where('dose_number', '=', doseNumber)
      .where('status', '=', 'BOOKED')
      .returning(['session_day_id', 'slot_id', 'dose_number'])
      .execute();
    for (const seat of elsewhere) await giveBackSeat(trx, seat);
    if (!appointment) {
      const walkIn = await trx
        .updateTable('session_day')
        .set({ walkin_used: sql`walkin_used + 1` })
        .where('id', '=', day.id)
        .where(sql<boolean>`walkin_used < walkin_capacity`)
        .returning('id')
        .executeTakeFirst();
      if (!walkIn)
        return refuse(
          DoseRefusal.WALKIN_QUOTA_FULL,
          'this person has no booking here and the walk-in quota is used up',
        );
      // And a walk-in seat of the slot it was given in, or one borrowed from another (rule in walkin-seats.ts).
      await takeWalkinSlotSeat(trx, day.id, administeredAt);
    }

    const inserted = await trx
      .insertInto('dose')
      .values({
        beneficiary_id: person.id,
        dose_number: doseNumber,
        vaccine_code: day.vaccine_code,
        batch: request.batch,
        site_id: day.site_id,
        session_day_id: day.id,
        district_id: day.district_id,
        vaccinator_id: vaccinator.id,
        verification_id: request.verificationId ?? null,
        appointment_id: appointment?.id ?? null,
        administered_at: administeredAt,
        recorded_at: now,
        client_event_id: clientEventId,
        source: request.source,
        clock_skew_ms: request.clockSkewMs ?? null,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('beneficiary').set({ vaccine_code: day.vaccine_code }).where('id', '=', person.id).execute();
    await writeAudit(trx, {
      actor: vaccinator,
      action: 'DOSE_RECORDED',
      entityType: 'dose',
      entityId: inserted.id,
      source: request.source,
      details: {
        referenceId: person.reference_id,
        dose: doseNumber,
        sessionDayId: day.id,
        batch: request.batch,
        appointmentId: appointment?.id ?? null,
      },
    });
    const event: DoseAdministeredEvent = {
      doseId: inserted.id,
      dose: doseNumber,
      totalDoses: day.doses,
      vaccineCode: day.vaccine_code,
      sessionDayId: day.id,
      administeredAtMs: administeredAt.getTime(),
      minIntervalDays: day.min_interval_days,
      maxIntervalDays: day.max_interval_days,
    };
    await publishLiveEvent(trx, {
      type: 'dose.recorded',
      stateId: day.state_id,
      districtId: day.district_id,
      sessionDayId: day.id,
      at: administeredAt.toISOString(),
      data: { dose: doseNumber, vaccineCode: day.vaccine_code, source: request.source, recordedAt: now.toISOString() },
    });
    const commandId = await enqueueSignal(trx, {
      workflowId: workflowIds.journey(person.reference_id),
      signalName: doseAdministeredSignal.name,
      payload: event,
    });
    return { dose: await describeDose(trx, inserted.id, false), commandId };
  });
}

export async function recordDose(
  ctx: { db: Db; temporal: TemporalGateway; log: FastifyBaseLogger },
  vaccinator: Actor & { id: string },
  request: DoseRequest,
): Promise<RecordedDose> {
  const { dose, commandId } = await storeDose(ctx.db, vaccinator, request);
  // The dose is stored: answer the vaccinator now and tell the journey right after. The outbox relay
  // delivers the signal if this attempt fails, so capture never waits on Temporal.
  if (commandId) void deliverAfterCommit(ctx.db, ctx.temporal, ctx.log, [commandId]);
  return dose;
}
