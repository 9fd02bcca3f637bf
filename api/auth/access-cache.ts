/**
 * The answers of the access reads every staff request makes — is this token still usable, where is this session
 * day and who is on its team — kept in the API process while its LISTEN connection hears every change to them.
 * The tables announce each change on `teeka_access` when it commits (migration
 * 2026-12-08T0410_access_changes_announced); the listener hands it to `changed`, which forgets what it names. So a
 * vaccinator's doses cost one access read per token and per session day, not two per dose.
 *
 * A kept answer is as fresh as a read: before using one, the cache waits until the listener has heard every change
 * committed before the request asked (`caughtUp`, one `select 1` on the listening connection shared by the
 * requests of that moment), so a deactivation, a logout or a team change applies to the very next request, on
 * every API process. Nothing is kept from a read during which a change or a reconnection was heard (the epoch),
 * and a lost connection forgets everything, as changes sent while nobody listened are gone.
 */

/** One change, as announced: a staff member's standing, one token, or one session day's team or place. */
export type AccessChange = { staffId: string } | { jti: string } | { sessionDayId: string };

interface Kept<T> {
  value: T;
  /** Whom the answer depends on besides its key: the staff member (tokens), the login session (beneficiaries). */
  staffId?: string;
  sid?: string;
  keptAt: number;
}

export interface AccessCacheOptions {
  /** True once every change committed before the call has been heard; false when not listening. */
  caughtUp: () => Promise<boolean>;
  /** Longest an answer is kept, heard changes or not. */
  maxAgeMs?: number;
  /** Most answers kept of each kind; past it the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

export class AccessCache {
  private readonly tokens = new Map<string, Kept<boolean>>();
  private readonly sessions = new Map<string, Kept<unknown>>();
  private epoch = 0;
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly options: AccessCacheOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  /** Whether a token (by its id) may be used, read with `read` unless a kept answer stands. */
  tokenUsable(token: { jti: string; staffId?: string; sid?: string }, read: () => Promise<boolean>): Promise<boolean> {
    return this.through(this.tokens, token.jti, { staffId: token.staffId, sid: token.sid }, read);
  }

  /** A session day's place and team, read with `read` unless a kept answer stands; `undefined` is never kept. */
  session<T>(sessionDayId: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
    return this.through(this.sessions, sessionDayId, {}, read) as Promise<T | undefined>;
  }

  /** A change was heard: forget every answer it may have changed. */
  changed(change: AccessChange): void {
    this.epoch++;
    if ('staffId' in change) {
      for (const [jti, kept] of this.tokens) if (kept.staffId === change.staffId) this.tokens.delete(jti);
    } else if ('jti' in change) {
      this.tokens.delete(change.jti);
      // A revoked login session (its id is revoked like a token's) ends every token issued in it.
      for (const [jti, kept] of this.tokens) if (kept.sid === change.jti) this.tokens.delete(jti);
    } else if ('sessionDayId' in change) {
      this.sessions.delete(change.sessionDayId);
    }
  }

  /** The LISTEN connection was lost or is back: changes may have gone unheard. */
  forgetAll(): void {
    this.epoch++;
    this.tokens.clear();
    this.sessions.clear();
  }

  private async through<T>(
    kept: Map<string, Kept<T>>,
    key: string,
    dependsOn: { staffId?: string; sid?: string },
    read: () => Promise<T>,
  ): Promise<T> {
    const epoch = this.epoch;
    const heardAll = await this.options.caughtUp();
    const found = kept.get(key);
    if (found && heardAll && this.now() - found.keptAt < this.maxAgeMs) return found.value;
    if (found) kept.delete(key);
    const value = await read();
    if (value !== undefined && heardAll && epoch === this.epoch) {
      if (kept.size >= this.maxEntries) kept.delete(kept.keys().next().value!);
      kept.set(key, { value, ...dependsOn, keptAt: this.now() });
    }
    return value;
  }
}

/** The payload of a `teeka_access` notification, or undefined for one this version does not know. */
export function parseAccessChange(payload: string): AccessChange | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const fields = parsed as Record<string, unknown>;
  if (typeof fields.staffId === 'string') return { staffId: fields.staffId };
  if (typeof fields.jti === 'string') return { jti: fields.jti };
  if (typeof fields.sessionDayId === 'string') return { sessionDayId: fields.sessionDayId };
  return undefined;
}
