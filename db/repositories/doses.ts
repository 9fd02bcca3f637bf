/**
 * Doses in Postgres: the facts a dose is decided on, read in one statement, and the write in one call of
 * `record_dose` (migration 2026-12-06T1600_record_day_write_path), so a dose costs two round trips and holds the
 * hot per-session rows only while that one statement runs; concurrent doses share that statement and its commit.
 */
import { sql, type NotNull } from 'kysely';
import { isRefusalCode, type RefusalCode } from '../../domain/refusals.js';
import type { DoseFacts } from '../../domain/dose-rules.js';
import type { Db } from '../connection.js';
import type { Executor } from './audit.js';
import { writtenTogetherOn, type ItemError } from './written-together.js';

export interface StoredDose {
  doseId: string;
  referenceId: string;
  dose: number;
  vaccineCode: string;
  batch: string;
  sessionDayId: string;
  administeredAt: string;
  recordedAt: string;
  clientEventId: string;
}

/** What decideDose needs, in one round trip. Ids that are not uuids simply match nothing. */
export async function readDoseFacts(
  db: Executor,
  request: { referenceId: string; sessionDayId: string; clientEventId: string; verificationId?: string | null },
): Promise<DoseFacts> {
  const uuidOrNull = (value: string | null | undefined) =>
    value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value : null;
  // dose_facts (migration 2026-12-07T0200_dose_plans_kept_per_connection) keeps its plan per connection.
  const { rows } = await sql<{ facts: RawFacts }>`
    select dose_facts(${request.referenceId}, ${uuidOrNull(request.sessionDayId)}::uuid, ${request.clientEventId},
                      ${uuidOrNull(request.verificationId)}::uuid) as facts`.execute(db);
  const raw = rows[0]!.facts;
  const afterDays = raw.day?.precautionAfterDays ?? null;
  const groupAfterDays = raw.day?.precautionGroupAfterDays ?? null;
  const group = raw.person?.priorityGroup ?? null;
  return {
    // The precaution intervals of the day's vaccine and of the person's group, read with the rest
    // (2026-12-09T0930, 2026-12-12T0300).
    ...(raw.day
      ? {
          precaution: {
            rules: [
              ...(afterDays === null ? [] : [{ vaccineCode: raw.day.vaccineCode, afterDays }]),
              ...(groupAfterDays === null || !group
                ? []
                : [{ vaccineCode: raw.day.vaccineCode, group, afterDays: groupAfterDays }]),
            ],
            group,
          },
        }
      : {}),
    replay: raw.replay,
    person: raw.person,
    // Only for a person with no booking at the day (migration 2026-12-11T0200_dose_facts_eligibility).
    walkIn: raw.walkIn ?? null,
    day: raw.day,
    previous: raw.previous ? { ...raw.previous, administeredAt: new Date(raw.previous.administeredAt) } : null,
    wrongCodeTries: raw.wrongCodeTries,
    verification: raw.verification ? { ...raw.verification, verifiedAt: new Date(raw.verification.verifiedAt) } : null,
  };
}

type RawFacts = Omit<DoseFacts, 'person' | 'day' | 'previous' | 'verification' | 'precaution'> & {
  person: DoseFacts['person'];
  day:
    | (NonNullable<DoseFacts['day']> & {
        precautionAfterDays: number | null;
        /** Absent from the answer of dose_facts before 2026-12-12T0300 (a rolling upgrade). */
        precautionGroupAfterDays?: number | null;
      })
    | null;
  previous: (Omit<NonNullable<DoseFacts['previous']>, 'administeredAt'> & { administeredAt: string }) | null;
  verification: (Omit<NonNullable<DoseFacts['verification']>, 'verifiedAt'> & { verifiedAt: string }) | null;
};

/** The plan record_dose writes; see the migration for each field. */
export interface DosePlan {
  beneficiaryId: string;
  referenceId: string;
  sessionDayId: string;
  stateId: number;
  districtId: number;
  siteId: number;
  vaccineCode: string;
  batch: string;
  doseNumber: number;
  previousDose: number;
  recordingStatuses: string[];
  maxCodeTries: number | null;
  vaccinatorId: string;
  actorRole: string | null;
  verificationId: string | null;
  administeredAt: string;
  clientEventId: string;
  source: 'ONLINE' | 'OFFLINE';
  clockSkewMs: number | null;
  walkinAt: string;
  workflowId: string;
  signalName: string;
  signal: Record<string, unknown>;
}

export type DoseWrite =
  | { outcome: 'recorded'; doseId: string; recordedAt: string }
  /** A fact the plan was decided on changed meanwhile (or a concurrent writer won a unique key): decide again. */
  | { outcome: 'stale' }
  | { outcome: 'refused'; code: RefusalCode; message: string };

/** SQLSTATEs of a concurrent writer winning (unique key, deadlock, serialization): the decision is stale. */
const STALE_STATES = new Set(['23505', '40P01', '40001']);

/**
 * Doses are written together (group commit, migration 2026-12-07T0400_doses_written_together): a few statements in
 * flight at once, each carrying every dose that arrived while the others were busy. Inside a batch the doses go in
 * district and session-day order, the order every batch takes those rows' locks in, so two batches never wait on
 * each other in a circle.
 */
const dosesWrittenTogether = writtenTogetherOn<DosePlan, DoseWrite | { error: ItemError }>((db) => ({
  lanes: 4,
  maxItems: 64,
  order: (a, b) => a.districtId - b.districtId || a.sessionDayId.localeCompare(b.sessionDayId),
  async write(plans) {
    const { rows } = await sql<{ results: (DoseWrite | { error: ItemError })[] }>`
      select record_doses_each(${JSON.stringify(plans)}::jsonb) as results`.execute(db);
    return rows[0]!.results;
  },
}));

export async function writeDose(db: Db, plan: DosePlan): Promise<DoseWrite> {
  const result = await dosesWrittenTogether(db).write('doses', plan);
  if (!('error' in result)) return result;
  const { code, message, hint } = result.error;
  if (code === 'TK002' && hint && isRefusalCode(hint)) return { outcome: 'refused', code: hint, message };
  if (code && STALE_STATES.has(code)) return { outcome: 'stale' };
  throw Object.assign(new Error(message), result.error);
}

export async function describeDose(db: Executor, doseId: string): Promise<StoredDose> {
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
    // Doses recorded at a session (the desk's); a dose an officer added has its own description.
    .$narrowType<{ session_day_id: NotNull }>()
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
  };
}
