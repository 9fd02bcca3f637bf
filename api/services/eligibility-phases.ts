/**
 * A state's eligibility phases, set by its state officer (or a national admin) as one whole list: checked by the
 * domain's rules, replaced in one transaction with its audit row (the list before and after). Every booking and
 * walk-in of the state meets the new list from the next request on (domain/booking-rules.ts, `phaseRefusal`).
 */
import type { Db } from '../../db/connection.js';
import { writeAudit, type Actor } from '../../db/repositories/audit.js';
import { lockPhases, readPhases, replacePhases, type StoredPhase } from '../../db/repositories/eligibility-phases.js';
import { phaseProblems, type EligibilityPhase } from '../../domain/priority-groups.js';
import { AppError } from '../errors.js';

const plain = ({ name, opensOn, groups, minAge, maxAge }: EligibilityPhase): EligibilityPhase => ({
  name,
  opensOn,
  groups,
  minAge,
  maxAge,
});

export async function setStatePhases(
  db: Db,
  request: { stateId: number; phases: EligibilityPhase[]; actor: Actor; dryRun?: boolean },
): Promise<StoredPhase[]> {
  const problems = request.phases.flatMap((phase, index) =>
    phaseProblems(phase).map((message) => ({ phase: index, message })),
  );
  const names = new Map<string, number>();
  request.phases.forEach((phase, index) => {
    const key = phase.name.trim().toLowerCase();
    if (names.has(key)) problems.push({ phase: index, message: `another phase is also named "${phase.name.trim()}"` });
    names.set(key, index);
  });
  if (problems.length)
    throw new AppError(
      'INVALID_PHASES',
      `the phases were not saved: ${problems.map((p) => `phase ${p.phase + 1}: ${p.message}`).join('; ')}`,
      { problems },
    );
  if (request.dryRun)
    return request.phases.map((phase, index) => ({ ...plain(phase), id: -(index + 1), updatedAt: new Date() }));
  return db.transaction().execute(async (trx) => {
    const before = await lockPhases(trx, request.stateId);
    const by = request.actor.type === 'STAFF' ? (request.actor.id ?? null) : null;
    await replacePhases(trx, request.stateId, request.phases, by);
    await writeAudit(trx, {
      actor: request.actor,
      action: 'ELIGIBILITY_PHASES_SET',
      entityType: 'state',
      entityId: String(request.stateId),
      details: { before: before.map(plain), after: request.phases.map(plain) },
    });
    return readPhases(trx, request.stateId);
  });
}
