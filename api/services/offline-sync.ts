/**
 * Offline sync: a desk that lost its network keeps registering walk-ins, recording doses and AEFI reports and
 * later sends them as one batch. Each item goes through the same service code as the online request
 * (registerWalkIn, storeDose, reportAefi) in its own
 * transaction, so a batch that partly fails still stores its good items, and a replay (same clientEventId)
 * answers `duplicate` with the stored record. Journey signals of accepted doses go through the outbox relay.
 *
 * Clock rules (all times after correction; see DEFAULT_CLOCK_RULES):
 * - skew = server receipt time − the batch's deviceTime; every item time is corrected by adding it, and the
 *   skew is stored with each dose (dose.clock_skew_ms). |skew| ≤ tolerance is reported as within tolerance.
 * - |skew| > maxAge: the device clock cannot be trusted to have run steadily; its new items are rejected
 *   (CLOCK_UNRELIABLE).
 * - corrected time > receipt + tolerance: rejected (CLOCK_IN_FUTURE); a corrected time up to the tolerance in
 *   the future is stored as the receipt time (no record is ever dated in the future).
 * - corrected time < receipt − maxAge: rejected (CLOCK_TOO_OLD).
 * - a dose timed before 00:00 India time of its session day: rejected (CLOCK_BEFORE_SESSION_DAY); after that
 *   day: rejected by storeDose (WRONG_DAY). An AEFI timed before its dose: rejected (AEFI_BEFORE_DOSE).
 * - replays are answered before any clock rule, so a batch resent days later still answers `duplicate`.
 *
 * A walk-in registered offline has no reference id on the device: its doses name the registration's client event
 * id (walkInClientEventId), and the registration, stored first (items go in device order), is their identity
 * check (the vaccinator saw the photo ID). A dose whose walk-in was not stored is rejected (WALKIN_NOT_REGISTERED).
 * A walk-in whose photo ID was registered before the desk synced (online, or by another desk that synced first) is
 * that registration's person (the photo ID is unique): their registration is stored against it, their doses are
 * that person's, and details that differ open an identity dispute for an officer (matchOfflineWalkIn).
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { RefusalCode } from '../../domain/refusals.js';
import { Compile } from 'typebox/compile';
import { findAefiByClientEventId, type AefiRecord } from '../../db/repositories/aefi.js';
import { findWalkinRegistration } from '../../db/repositories/walkins.js';
import { writeAudit } from '../../db/repositories/audit.js';
import { DomainRefusal } from '../../domain/errors.js';
import { indiaInstant } from '../../domain/time.js';
import { AppError } from '../errors.js';
import type { StaffPrincipal } from '../plugins/auth.js';
import { ClientEventId, SyncAefiItem, SyncDoseItem, SyncWalkInItem } from '../schemas/desk.js';
import { CLOCK_TOLERANCE_MS } from '../../domain/dose-rules.js';
import { reportAefi } from './aefi-reports.js';
import { staffActor } from './staff-actor.js';
import { matchOfflineWalkIn, registerWalkIn, type WalkInDetail } from './walk-ins.js';
import { IDENTITY_ALREADY_REGISTERED } from './registration.js';
import { storeDose, type RecordedDose } from './doses.js';
import { assertTeamStep } from './team.js';

export interface ClockRules {
  /** Skew and future times up to this are device noise (and network latency), not errors. */
  toleranceMs: number;
  /** Items older than this, and device clocks further off than this, are implausible. */
  maxAgeMs: number;
}

export const DEFAULT_CLOCK_RULES: ClockRules = { toleranceMs: CLOCK_TOLERANCE_MS, maxAgeMs: 7 * 86_400_000 };

export const SyncRefusal = {
  INVALID_ITEM: 'INVALID_ITEM',
  CLOCK_UNRELIABLE: 'CLOCK_UNRELIABLE',
  CLOCK_IN_FUTURE: 'CLOCK_IN_FUTURE',
  CLOCK_TOO_OLD: 'CLOCK_TOO_OLD',
  CLOCK_BEFORE_SESSION_DAY: 'CLOCK_BEFORE_SESSION_DAY',
  WALKIN_NOT_REGISTERED: 'WALKIN_NOT_REGISTERED',
  SERVER_ERROR: 'SERVER_ERROR',
} as const satisfies Record<string, RefusalCode>;

export interface SyncItemResult {
  index: number;
  clientEventId: string | null;
  kind: string | null;
  outcome: 'accepted' | 'duplicate' | 'rejected';
  code?: string;
  message?: string;
  retryable?: boolean;
  dose?: RecordedDose;
  aefi?: AefiRecord;
  walkIn?: {
    referenceId: string;
    duplicate: boolean;
    matchedRegistration?: { differs: WalkInDetail[]; disputeId: string | null };
  };
}

export interface SyncBatch {
  deviceId: string;
  deviceTime: string;
  items: unknown[];
}

const checkDoseItem = Compile(SyncDoseItem);
const checkAefiItem = Compile(SyncAefiItem);
const checkWalkInItem = Compile(SyncWalkInItem);

type SyncItem = SyncDoseItem | SyncAefiItem | SyncWalkInItem;
type ValidItem = { index: number; item: SyncItem; deviceMs: number };

const ITEM_KINDS = ['DOSE', 'AEFI', 'WALKIN'] as const;
const itemTime = (item: SyncItem) =>
  item.kind === 'DOSE' ? item.administeredAt : item.kind === 'AEFI' ? item.reportedAt : item.registeredAt;

/** A refusal the device cannot fix by resending; carried as a per-item result, never thrown out of the batch. */
class ItemRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const checkClientEventId = Compile(ClientEventId);

function validate(index: number, raw: unknown): ValidItem | SyncItemResult {
  const fields = (raw ?? {}) as Record<string, unknown>;
  // Echoed back only when well-formed: a rejected item's answer never reflects what was sent (markup, megabytes).
  const clientEventId = checkClientEventId.Check(fields.clientEventId) ? (fields.clientEventId as string) : null;
  const kind = ITEM_KINDS.find((k) => k === fields.kind) ?? null;
  const invalid = (message: string): SyncItemResult => ({
    index,
    clientEventId,
    kind,
    outcome: 'rejected',
    code: SyncRefusal.INVALID_ITEM,
    message,
  });
  const check =
    kind === 'DOSE' ? checkDoseItem : kind === 'AEFI' ? checkAefiItem : kind === 'WALKIN' ? checkWalkInItem : undefined;
  if (!check) return invalid("kind must be 'DOSE', 'AEFI' or 'WALKIN'");
  if (!check.Check(raw)) {
    const [first] = check.Errors(raw);
    return invalid(first ? `${first.instancePath || 'item'} ${first.message}` : 'the item does not match its schema');
  }
  const item = raw as SyncItem;
  if (item.kind === 'DOSE' && (item.referenceId === undefined) === (item.walkInClientEventId === undefined))
    return invalid('name the person by referenceId or by the walkInClientEventId of their registration (one of them)');
  const deviceMs = Date.parse(itemTime(item));
  if (!Number.isFinite(deviceMs)) return invalid('the item time is not a valid instant');
  return { index, item, deviceMs };
}

export async function syncOfflineBatch(
  app: FastifyInstance,
  staff: StaffPrincipal,
  batch: SyncBatch,
  options: { receivedAt: Date; log: FastifyBaseLogger; rules?: ClockRules },
) {
  const rules = options.rules ?? DEFAULT_CLOCK_RULES;
  const receivedMs = options.receivedAt.getTime();
  const skewMs = Math.round(receivedMs - Date.parse(batch.deviceTime));
  const clockUsable = Math.abs(skewMs) <= rules.maxAgeMs;
  const vaccinator = staffActor(staff);

  // Session access and dates, looked up once per session day in the batch.
  const sessions = new Map<string, { date: string } | AppError | DomainRefusal>();
  async function sessionFor(sessionDayId: string): Promise<{ date: string }> {
    if (!sessions.has(sessionDayId)) {
      try {
        await app.assertSessionAccess(staff, sessionDayId);
        const day = await app.db
          .selectFrom('session_day')
          .select('date')
          .where('id', '=', sessionDayId)
          .executeTakeFirstOrThrow();
        sessions.set(sessionDayId, day);
      } catch (error) {
        if (!(error instanceof AppError || error instanceof DomainRefusal)) throw error;
        sessions.set(sessionDayId, error);
      }
    }
    const known = sessions.get(sessionDayId)!;
    if (known instanceof Error) throw known;
    return known;
  }

  /** The item's time on the server clock, or a rejection by the clock rules. */
  function correctedTime(deviceMs: number): Date {
    if (!clockUsable) {
      throw new ItemRejected(
        SyncRefusal.CLOCK_UNRELIABLE,
        `the device clock is ${Math.round(Math.abs(skewMs) / 3_600_000)} hours off; set its time and report these records by hand`,
      );
    }
    const corrected = deviceMs + skewMs;
    if (corrected > receivedMs + rules.toleranceMs) {
      throw new ItemRejected(
        SyncRefusal.CLOCK_IN_FUTURE,
        `the time is ${Math.round((corrected - receivedMs) / 60_000)} minutes in the future, even after correcting the device clock`,
      );
    }
    if (corrected < receivedMs - rules.maxAgeMs) {
      throw new ItemRejected(
        SyncRefusal.CLOCK_TOO_OLD,
        `the time is more than ${Math.round(rules.maxAgeMs / 86_400_000)} days ago`,
      );
    }
    return new Date(Math.min(corrected, receivedMs));
  }

  /** A time on the device, corrected, that must fall on the session's day (India) or later. */
  function timeOnSessionDay(deviceMs: number, session: { date: string }, what: string): Date {
    const at = correctedTime(deviceMs);
    if (at < indiaInstant(session.date, '00:00'))
      throw new ItemRejected(
        SyncRefusal.CLOCK_BEFORE_SESSION_DAY,
        `the ${what} is timed before its session day (${session.date})`,
      );
    return at;
  }

  async function syncWalkIn(item: SyncWalkInItem, deviceMs: number): Promise<{ walkIn: SyncItemResult['walkIn'] }> {
    const session = await sessionFor(item.sessionDayId);
    const stored = async () => {
      const replay = await findWalkinRegistration(app.db, item.clientEventId);
      return replay && { walkIn: { referenceId: replay.referenceId, duplicate: true } };
    };
    const replay = await stored();
    if (replay) return replay;
    const registeredAt = timeOnSessionDay(deviceMs, session, 'walk-in');
    await assertTeamStep(app.db, staff, item.sessionDayId, 'VERIFY');
    const request = { sessionDayId: item.sessionDayId, mobile: item.mobile, person: item.person };
    const offline = { clientEventId: item.clientEventId, registeredAt };
    // Their photo ID was registered meanwhile (online, or by a desk that synced first): the walk-in is that person.
    const matched = async () => {
      const match = await matchOfflineWalkIn(app, staff, request, offline);
      return (
        match && {
          walkIn: {
            referenceId: match.referenceId,
            duplicate: false,
            matchedRegistration: { differs: match.differs, disputeId: match.disputeId },
          },
        }
      );
    };
    try {
      const match = await matched();
      if (match) return match;
      const person = await registerWalkIn(app, staff, request, offline);
      return { walkIn: { referenceId: person.referenceId, duplicate: false } };
    } catch (error) {
      // The same registration sent twice at once: the other request stored it.
      const raced = await stored();
      if (raced) return raced;
      // The photo ID was registered between the look-up and the registration.
      if (error instanceof AppError && error.code === IDENTITY_ALREADY_REGISTERED) {
        const match = await matched();
        if (match) return match;
      }
      throw error;
    }
  }

  async function syncDose(item: SyncDoseItem, deviceMs: number): Promise<{ dose: RecordedDose }> {
    const session = await sessionFor(item.sessionDayId);
    let person: { referenceId: string; secretCode?: string; verificationId: string | null };
    if (item.walkInClientEventId) {
      const walkIn = await findWalkinRegistration(app.db, item.walkInClientEventId);
      if (!walkIn || walkIn.sessionDayId !== item.sessionDayId) {
        throw new ItemRejected(
          SyncRefusal.WALKIN_NOT_REGISTERED,
          'the walk-in this dose was given to was not registered (see their registration on this phone); register them and record the dose again',
        );
      }
      person = { referenceId: walkIn.referenceId, verificationId: walkIn.verificationId };
    } else {
      person = {
        referenceId: item.referenceId!,
        secretCode: item.secretCode,
        verificationId: item.verificationId ?? null,
      };
    }
    const replay = await app.db
      .selectFrom('dose')
      .select('id')
      .where('client_event_id', '=', item.clientEventId)
      .executeTakeFirst();
    let administeredAt = new Date(deviceMs + (clockUsable ? skewMs : 0));
    if (!replay) {
      administeredAt = timeOnSessionDay(deviceMs, session, 'dose');
      await assertTeamStep(app.db, staff, item.sessionDayId, 'VACCINATE');
    }
    const request = {
      referenceId: person.referenceId,
      secretCode: person.secretCode,
      verificationId: person.verificationId,
      sessionDayId: item.sessionDayId,
      vaccineCode: item.vaccineCode,
      batch: item.batch,
      clientEventId: item.clientEventId,
      administeredAt,
      source: 'OFFLINE' as const,
      clockSkewMs: skewMs,
    };
    return storeDose(app.db, vaccinator, request);
  }

  async function syncAefi(item: SyncAefiItem, deviceMs: number): Promise<{ aefi: AefiRecord }> {
    const replay = await findAefiByClientEventId(app.db, item.clientEventId);
    const reportedAt = replay ? new Date(replay.reportedAt) : correctedTime(deviceMs);
    const { kind: _kind, reportedAt: _deviceTime, ...fields } = item;
    return { aefi: await reportAefi(app, staff, { ...fields, reportedAt, source: 'OFFLINE' }) };
  }

  const results: SyncItemResult[] = [];
  const valid: ValidItem[] = [];
  batch.items.forEach((raw, index) => {
    const checked = validate(index, raw);
    if ('item' in checked) valid.push(checked);
    else results.push(checked);
  });
  // In the order things happened on the device (one skew for the batch, so device order is corrected order).
  valid.sort((a, b) => a.deviceMs - b.deviceMs || a.index - b.index);

  for (const { index, item, deviceMs } of valid) {
    const base = { index, clientEventId: item.clientEventId, kind: item.kind };
    try {
      const stored =
        item.kind === 'DOSE'
          ? await syncDose(item, deviceMs)
          : item.kind === 'AEFI'
            ? await syncAefi(item, deviceMs)
            : await syncWalkIn(item, deviceMs);
      const duplicate =
        'dose' in stored ? stored.dose.duplicate : 'aefi' in stored ? stored.aefi.duplicate : stored.walkIn!.duplicate;
      results.push({ ...base, outcome: duplicate ? 'duplicate' : 'accepted', ...stored });
    } catch (error) {
      if (error instanceof ItemRejected || error instanceof DomainRefusal || error instanceof AppError) {
        results.push({ ...base, outcome: 'rejected', code: error.code, message: error.message });
      } else {
        options.log.error({ err: error, clientEventId: item.clientEventId }, 'offline item failed');
        results.push({
          ...base,
          outcome: 'rejected',
          code: SyncRefusal.SERVER_ERROR,
          message: 'the server failed to store this item; send it again later',
          retryable: true,
        });
      }
    }
  }

  results.sort((a, b) => a.index - b.index);
  const count = (outcome: SyncItemResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
  const summary = {
    deviceId: batch.deviceId,
    receivedAt: options.receivedAt.toISOString(),
    clockSkewMs: skewMs,
    clockSkewWithinTolerance: Math.abs(skewMs) <= rules.toleranceMs,
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
  };
  const rejectedCodes: Record<string, number> = {};
  for (const r of results) if (r.code) rejectedCodes[r.code] = (rejectedCodes[r.code] ?? 0) + 1;
  await writeAudit(app.db, {
    actor: vaccinator,
    action: 'OFFLINE_BATCH_SYNCED',
    entityType: 'device',
    entityId: batch.deviceId,
    source: 'OFFLINE',
    details: { ...summary, items: batch.items.length, rejectedCodes },
  });
  return { ...summary, results };
}
