/**
 * Duplicate-person hints: one person registered twice under two photo-ID types (an Aadhaar and a PAN, say) is not
 * caught by the ID's uniqueness, which holds within each ID's own numbers. A registration whose person key — name
 * (lower-cased, single spaces), year of birth, gender — matches a live registration under another ID type is
 * flagged with it. Registration goes ahead (namesakes are common): the desk's identity check shows the other
 * registration and its doses, and an officer reviews the pair (same person, or different people).
 */
import { sql } from 'kysely';
import { maskIdNumber } from '../../domain/identity.js';
import { writeAudit, type Actor, type Executor } from './audit.js';

/** The person key of a beneficiary row (as indexed by beneficiary_person_key_idx). */
const personKey = (name: string) => sql<string>`lower(regexp_replace(btrim(${name}), '\\s+', ' ', 'g'))`;

/** Flags the new registration with every live registration of the same person key under another ID type. */
export async function flagDuplicatePeople(
  trx: Executor,
  registered: { beneficiaryId: string; name: string; birthYear: number; gender: string; idType: number; actor: Actor },
): Promise<number> {
  const flagged = await trx
    .insertInto('duplicate_person_hint')
    .columns(['beneficiary_id', 'other_beneficiary_id'])
    .expression((eb) =>
      eb
        .selectFrom('beneficiary as b')
        .select([sql<string>`${registered.beneficiaryId}::uuid`.as('beneficiary_id'), 'b.id'])
        .where(sql<string>`lower(regexp_replace(btrim(b.name), '\\s+', ' ', 'g'))`, '=', personKey(registered.name))
        .where('b.birth_year', '=', registered.birthYear)
        .where('b.gender', '=', registered.gender as never)
        .where('b.id_type', '<>', registered.idType)
        .where('b.deleted_at', 'is', null)
        .where('b.id', '<>', registered.beneficiaryId),
    )
    .onConflict((oc) => oc.constraint('duplicate_person_hint_pair_unique').doNothing())
    .returning(['id', 'other_beneficiary_id'])
    .execute();
  for (const hint of flagged) {
    await writeAudit(trx, {
      actor: registered.actor,
      action: 'DUPLICATE_PERSON_FLAGGED',
      entityType: 'duplicate_person_hint',
      entityId: hint.id,
      details: { beneficiaryId: registered.beneficiaryId, otherBeneficiaryId: hint.other_beneficiary_id },
    });
  }
  return flagged.length;
}

export interface OtherRegistration {
  hintId: string;
  referenceId: string;
  name: string;
  birthYear: number;
  idType: number;
  idNumberMasked: string;
  stage: string;
  doses: number;
  /** null until an officer reviews the pair; then SAME_PERSON (pairs found different people are not shown). */
  outcome: 'SAME_PERSON' | null;
}

/**
 * The live registrations a person may be a duplicate of (in either direction), with their doses: what the desk
 * shows at the door so a second course under another ID is caught. Pairs an officer found to be different people
 * are left out.
 */
export async function otherRegistrationsOf(db: Executor, beneficiaryId: string): Promise<OtherRegistration[]> {
  const rows = await db
    .selectFrom('duplicate_person_hint as h')
    .innerJoin('beneficiary as o', (join) =>
      join.on((eb) =>
        eb.or([
          eb.and([eb('h.beneficiary_id', '=', beneficiaryId), eb('o.id', '=', eb.ref('h.other_beneficiary_id'))]),
          eb.and([eb('h.other_beneficiary_id', '=', beneficiaryId), eb('o.id', '=', eb.ref('h.beneficiary_id'))]),
        ]),
      ),
    )
    .select((eb) => [
      'h.id as hint_id',
      'h.outcome',
      'o.reference_id',
      'o.name',
      'o.birth_year',
      'o.id_type',
      'o.id_last4',
      'o.stage',
      eb
        .selectFrom('dose')
        .select((d) => d.fn.countAll<string>().as('n'))
        .whereRef('dose.beneficiary_id', '=', 'o.id')
        .as('doses'),
    ])
    .where('o.deleted_at', 'is', null)
    .where((eb) => eb.or([eb('h.outcome', 'is', null), eb('h.outcome', '=', 'SAME_PERSON')]))
    .orderBy('h.flagged_at')
    .execute();
  return rows.map((r) => ({
    hintId: r.hint_id,
    referenceId: r.reference_id,
    name: r.name,
    birthYear: r.birth_year,
    idType: r.id_type,
    idNumberMasked: maskIdNumber(r.id_last4),
    stage: r.stage,
    doses: Number(r.doses ?? 0),
    outcome: r.outcome === 'SAME_PERSON' ? 'SAME_PERSON' : null,
  }));
}
