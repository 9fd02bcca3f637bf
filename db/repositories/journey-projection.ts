import type { Actor, Executor } from './audit.js';
import { SYSTEM_ACTOR, writeAudit } from './audit.js';

export interface StageProjection {
  from: string | null;
  to: string;
  reason: string;
  /** The workflow step that made the change: a retried activity writes nothing twice. */
  stepKey: string;
  nextDoseDueOn?: string | null;
}

/**
 * Mirrors a journey stage change into Postgres (beneficiary.stage + history + audit) for pages and
 * dashboards. Idempotent on stepKey. The audit row names who asked for the change (a person's account, an
 * officer), or the journey itself when it moved on its own (a timer, a signal).
 */
export async function projectStage(
  db: Executor,
  beneficiaryId: string,
  projection: StageProjection,
  actor: Actor = SYSTEM_ACTOR,
): Promise<void> {
  const inserted = await db
    .insertInto('journey_stage_history')
    .values({
      beneficiary_id: beneficiaryId,
      from_stage: projection.from,
      to_stage: projection.to,
      reason: projection.reason,
      step_key: projection.stepKey,
    })
    .onConflict((oc) => oc.column('step_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return;
  await db
    .updateTable('beneficiary')
    .set({
      stage: projection.to,
      stage_updated_at: new Date(),
      ...(projection.nextDoseDueOn !== undefined ? { next_dose_due_on: projection.nextDoseDueOn } : {}),
    })
    .where('id', '=', beneficiaryId)
    .execute();
  await writeAudit(db, {
    actor,
    action: 'JOURNEY_STAGE_CHANGED',
    entityType: 'beneficiary',
    entityId: beneficiaryId,
    source: actor.type === 'SYSTEM' ? 'WORKFLOW' : 'ONLINE',
    details: { from: projection.from, to: projection.to, reason: projection.reason },
  });
}

/**
 * The journey ended awaiting its person's return: their stage stays (it still says where they wait), a history
 * row and an audit row say why, and `journey_inactive_since` marks that no journey runs for them. Idempotent on
 * stepKey.
 */
export async function projectJourneyInactive(
  db: Executor,
  beneficiaryId: string,
  projection: { stage: string; reason: string; stepKey: string },
): Promise<void> {
  const inserted = await db
    .insertInto('journey_stage_history')
    .values({
      beneficiary_id: beneficiaryId,
      from_stage: projection.stage,
      to_stage: projection.stage,
      reason: projection.reason,
      step_key: projection.stepKey,
    })
    .onConflict((oc) => oc.column('step_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return;
  await db
    .updateTable('beneficiary')
    .set({ journey_inactive_since: new Date() })
    .where('id', '=', beneficiaryId)
    .execute();
  await writeAudit(db, {
    actor: SYSTEM_ACTOR,
    action: 'JOURNEY_INACTIVE',
    entityType: 'beneficiary',
    entityId: beneficiaryId,
    source: 'WORKFLOW',
    details: { stage: projection.stage, reason: projection.reason },
  });
}

/**
 * A journey that had ended awaiting return runs again (the person came back): clears `journey_inactive_since` and
 * records why in the history. Does nothing when it was not set (resumed already, or never ended so).
 */
export async function projectJourneyResumed(
  db: Executor,
  beneficiaryId: string,
  projection: { reason: string; stepKey: string },
): Promise<void> {
  const cleared = await db
    .updateTable('beneficiary')
    .set({ journey_inactive_since: null })
    .where('id', '=', beneficiaryId)
    .where('journey_inactive_since', 'is not', null)
    .returning('stage')
    .executeTakeFirst();
  if (!cleared) return;
  await db
    .insertInto('journey_stage_history')
    .values({
      beneficiary_id: beneficiaryId,
      from_stage: cleared.stage,
      to_stage: cleared.stage,
      reason: projection.reason,
      step_key: projection.stepKey,
    })
    .onConflict((oc) => oc.column('step_key').doNothing())
    .execute();
  await writeAudit(db, {
    actor: SYSTEM_ACTOR,
    action: 'JOURNEY_RESUMED',
    entityType: 'beneficiary',
    entityId: beneficiaryId,
    source: 'WORKFLOW',
    details: { stage: cleared.stage, reason: projection.reason },
  });
}
