import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { MAX_SECRET_CODE_TRIES, secretCodeCheck } from '../../../domain/desk-code-check';
import { ApiError, NO_RESPONSE_STATUS } from '../api/client';
import { forgetStaffSessionIf, useStaffSession } from '../auth/staff-session';
import { ConfirmDialog } from '../components/ConfirmDialog';
import {
  AEFI_SEVERITIES,
  AEFI_SYMPTOMS,
  fetchDeskToday,
  fetchObservation,
  registerWalkIn,
  releaseObserved,
  sendDeskOtp,
  verifyAtDoor,
  type DeskPerson,
  type DeskSession,
  type DeskToday,
  type ObservationList,
  type ObservedPerson,
  type Verification,
} from '../desk/api';
import { indiaClock } from '../format';
import { errorText, refusalText } from '../i18n/error-text';
import { currentLanguage } from '../i18n/i18n';
import { intlLocale } from '../i18n/resources';
import { useI18n, type MessageVars } from '../i18n/useI18n';
import {
  cachedValue,
  cacheValue,
  captureAefi,
  captureDose,
  captureWalkIn,
  countWrongCodeTry,
  deviceId,
  pruneSynced,
  syncPending,
  watchRecords,
  wrongCodeTries,
} from '../offline/desk-store';
import { retryDelayMs, summarise, type MatchedRegistration, type QueuedRecord } from '../offline/queue-logic';
import { ID_TYPES } from '../portal/api';
import type { RouteParams } from '../routes';
import { readSessionStock } from '../stock/api';
import { indiaDate } from '../../../domain/time';

const LIST_REFRESH_MS = 5 * 60_000;

/**
 * The vaccinator desk, one screen per team role: the door check (verifier), the list of verified people to
 * vaccinate (vaccinator), the running observation timers with release and AEFI (observer). A member who takes
 * every step (a one-person team) gets one list: check identity and record the dose in one go. Works offline:
 * today's list is on the phone, the secret code is checked against keyed hashes, and records wait in the queue.
 */
type Tab = 'list' | 'door' | 'vaccinate' | 'record' | 'walk-in' | 'observe' | 'queue';
type DeskMessage = { tone: 'ok' | 'error' | 'pending'; text: string; clientEventId?: string; name?: string };
/** Who the record screen is for: someone on the list, a walk-in just registered, or one registered on this phone. */
type Picked = {
  person?: DeskPerson;
  referenceId?: string;
  secretCode?: string;
  walkIn?: { clientEventId: string; name: string };
};
const TODAY_CACHE_KEY = 'desk-today';

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}

/** The tabs a member's steps call for, in the order of a visit. */
function tabsFor(steps: readonly string[]): Tab[] {
  const verify = steps.includes('VERIFY');
  const vaccinate = steps.includes('VACCINATE');
  const tabs: Tab[] = [];
  if (verify && vaccinate) tabs.push('list', 'record');
  else if (verify) tabs.push('door');
  else if (vaccinate) tabs.push('vaccinate', 'record');
  if (verify) tabs.push('walk-in');
  if (steps.includes('OBSERVE')) tabs.push('observe');
  tabs.push('queue');
  return tabs;
}

export function VaccinatorDeskPage(_props: { params: RouteParams }) {
  const session = useStaffSession();
  const online = useOnline();
  const { t, language } = useI18n();
  const [today, setToday] = useState<DeskToday>();
  const [todaySavedAt, setTodaySavedAt] = useState<string>();
  const [sessionDayId, setSessionDayId] = useState<string>();
  const [tab, setTab] = useState<Tab>();
  const [records, setRecords] = useState<QueuedRecord[]>([]);
  const [picked, setPicked] = useState<Picked>();
  const [error, setError] = useState<string>();
  const [message, setMessage] = useState<DeskMessage>();
  const failures = useRef(0);
  const token = session?.token;

  const loadToday = useCallback(async () => {
    if (!token) return;
    try {
      const fresh = await fetchDeskToday(token, deviceId());
      setToday(fresh);
      setTodaySavedAt(undefined);
      setError(undefined);
      await cacheValue(TODAY_CACHE_KEY, fresh);
    } catch (failure) {
      forgetStaffSessionIf(failure);
      const cached = await cachedValue<DeskToday>(TODAY_CACHE_KEY);
      if (cached) {
        setToday((current) => current ?? cached.value);
        setTodaySavedAt(cached.savedAt);
      }
      if (!(failure instanceof ApiError && failure.status === NO_RESPONSE_STATUS)) setError(errorText(failure));
    }
  }, [token]);

  useEffect(() => {
    void loadToday();
    void pruneSynced();
    return watchRecords(setRecords);
  }, [loadToday]);

  useEffect(() => {
    if (!sessionDayId && today?.sessions[0]) setSessionDayId(today.sessions[0].sessionDayId);
  }, [today, sessionDayId]);

  // "Saved on this phone" gives way to "synced" once the record reaches the server (or to its refusal).
  useEffect(() => {
    if (!message?.clientEventId) return;
    const record = records.find((r) => r.clientEventId === message.clientEventId);
    if (record?.status === 'synced' && record.kind === 'WALKIN' && record.matchedRegistration)
      setMessage({
        tone: record.matchedRegistration.differs.length ? 'pending' : 'ok',
        text: matchedWalkInText(t, message.name ?? '', record.referenceId ?? '', record.matchedRegistration),
      });
    else if (record?.status === 'synced')
      setMessage({
        tone: 'ok',
        text:
          record.kind === 'WALKIN'
            ? t('desk.walkIn.synced', { name: message.name ?? '', referenceId: record.referenceId ?? '' })
            : t('desk.record.synced', { name: message.name ?? record.capture.referenceId }),
      });
    else if (record?.status === 'rejected')
      setMessage({ tone: 'error', text: t('desk.record.rejected', { reason: reasonText(record) }) });
  }, [records, message, t]);

  // A message was written in the language of its moment: another language starts without it.
  useEffect(() => setMessage(undefined), [language]);

  const summary = summarise(records);

  // Sync by itself: when the network returns, and with backoff while anything is pending.
  const sync = useCallback(async () => {
    if (!token || !navigator.onLine) return;
    const outcome = await syncPending(token);
    failures.current = outcome.failed ? failures.current + 1 : 0;
    if (outcome.sent) void loadToday();
  }, [token, loadToday]);

  useEffect(() => {
    if (online) void sync();
  }, [online, sync]);

  // While online, the list is fetched again now and then: fresh bookings, and the server hears this device is in
  // touch (after closing, that lets the session's no-shows go ahead instead of waiting for its doses).
  useEffect(() => {
    if (!online) return;
    const refresh = window.setInterval(() => void loadToday(), LIST_REFRESH_MS);
    return () => window.clearInterval(refresh);
  }, [online, loadToday]);

  useEffect(() => {
    if (!summary.pending || !online) return;
    const timer = window.setTimeout(() => void sync(), retryDelayMs(Math.max(1, failures.current)));
    return () => window.clearTimeout(timer);
  }, [summary.pending, online, sync, records]);

  const current = today?.sessions.find((s) => s.sessionDayId === sessionDayId);
  const tabs = tabsFor(current?.steps ?? []);
  const activeTab = tab && tabs.includes(tab) ? tab : tabs[0];
  if (!session || !token) return null;

  const tabLabel = (key: Tab) =>
    key === 'queue'
      ? summary.pending
        ? t('desk.tabs.recordsPending', { count: summary.pending })
        : t('desk.tabs.records')
      : t(`desk.tabs.${key === 'walk-in' ? 'walkIn' : key}`);

  return (
    <section className="desk">
      <header className="desk-header">
        <div>
          <h1>{t('desk.title')}</h1>
          <p className="muted">
            {session.staff.name}
            {current && (
              <>
                {' · '}
                <span className="role-pill" data-testid="team-role">
                  {t(`desk.role.${current.teamRole}`)}
                </span>
              </>
            )}
          </p>
        </div>
        <span
          className={`net-pill ${online ? 'net-online' : 'net-offline'}`}
          role="status"
          data-testid="network-status"
        >
          {online ? t('desk.online') : t('desk.offline')}
        </span>
      </header>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      {todaySavedAt && (
        <p className="notice" data-testid="list-saved-at">
          {t('desk.listSavedAt', { time: indiaClock(todaySavedAt) })}
        </p>
      )}
      {today && today.sessions.length === 0 && <p className="notice">{t('desk.notAssigned')}</p>}
      {today && today.sessions.length > 1 && (
        <label className="inline-field">
          {t('desk.session')}
          <select value={sessionDayId} onChange={(e) => setSessionDayId(e.target.value)}>
            {today.sessions.map((s) => (
              <option key={s.sessionDayId} value={s.sessionDayId}>
                {s.site.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {current?.dryRun && (
        <p className="notice dry-run-banner" role="status" data-testid="dry-run-banner">
          {t('desk.dryRun')}
        </p>
      )}
      {current && (
        <p className="desk-session">
          {t('desk.sessionLine', {
            site: current.site.name,
            vaccine: current.vaccineName,
            opens: current.opensAt.slice(0, 5),
            closes: current.closesAt.slice(0, 5),
            status: t(`sessionStatus.${current.status}`),
          })}
        </p>
      )}
      <nav className="desk-tabs" aria-label={t('desk.tabs.label')}>
        {tabs.map((key) => (
          <button key={key} type="button" aria-pressed={activeTab === key} onClick={() => setTab(key)}>
            {tabLabel(key)}
          </button>
        ))}
      </nav>
      <QueueSummary pending={summary.pending} synced={summary.synced} rejected={summary.rejected} />
      {message && (
        <p className={`desk-message desk-message-${message.tone}`} role="status" data-testid="desk-message">
          {message.text}
        </p>
      )}
      {current && (activeTab === 'list' || activeTab === 'door' || activeTab === 'vaccinate') && (
        <PeopleList
          session={current}
          records={records}
          mode={activeTab}
          onPick={(person) => {
            setPicked({ person });
            setMessage(undefined);
            setTab(activeTab === 'door' ? 'door' : 'record');
          }}
        />
      )}
      {current && activeTab === 'door' && picked?.person && (
        <IdentityCheck
          key={picked.person.referenceId}
          session={current}
          token={token}
          online={online}
          person={picked.person}
          mode="door"
          onMessage={setMessage}
          onDone={() => {
            setPicked(undefined);
            void loadToday();
          }}
        />
      )}
      {current && activeTab === 'record' && (
        <IdentityCheck
          key={picked?.person?.referenceId ?? picked?.referenceId ?? picked?.walkIn?.clientEventId ?? 'blank'}
          session={current}
          token={token}
          online={online}
          person={picked?.person}
          prefill={picked}
          mode={current.steps.includes('VERIFY') ? 'record' : 'vaccinate'}
          onMessage={setMessage}
          onDone={() => setPicked(undefined)}
        />
      )}
      {current && activeTab === 'walk-in' && (
        <WalkIn
          session={current}
          token={token}
          online={online}
          onRegistered={(referenceId, secretCode, name) => {
            setPicked({ referenceId, secretCode });
            setMessage({ tone: 'ok', text: t('desk.walkIn.registered', { name, referenceId }) });
            setTab(current.steps.includes('VACCINATE') ? 'record' : 'door');
            void loadToday();
          }}
          onSavedOnPhone={(clientEventId, name) => {
            setMessage({ tone: 'pending', text: t('desk.walkIn.savedOnPhone', { name }), clientEventId, name });
            if (current.steps.includes('VACCINATE')) {
              setPicked({ walkIn: { clientEventId, name } });
              setTab('record');
            }
          }}
        />
      )}
      {current && activeTab === 'observe' && (
        <Observation session={current} token={token} online={online} onMessage={setMessage} />
      )}
      {activeTab === 'queue' && <QueueList records={records} online={online} onSync={() => void sync()} />}
    </section>
  );
}

/** Why the server refused a record, in the chosen language when its code is known. */
function reasonText(record: QueuedRecord): string {
  return refusalText(record.code, record.reason) ?? record.reason ?? '';
}

/**
 * A walk-in the server stored as a registration made meanwhile with the same photo ID: said plainly, and when the
 * details offered at the desk differ, that an officer reviews them (the dose stands either way).
 */
function matchedWalkInText(
  t: (key: string, vars?: MessageVars) => string,
  name: string,
  referenceId: string,
  match: MatchedRegistration,
): string {
  if (!match.differs.length) return t('desk.walkIn.matched', { name, referenceId });
  const details = new Intl.ListFormat(intlLocale(currentLanguage()), { type: 'conjunction' }).format(
    match.differs.map((detail) => t(`desk.walkIn.detail.${detail}`)),
  );
  return t('desk.walkIn.matchedForReview', { name, referenceId, details });
}

function QueueSummary({ pending, synced, rejected }: { pending: number; synced: number; rejected: number }) {
  const { t } = useI18n();
  return (
    <div
      className="queue-summary"
      data-testid="queue-summary"
      data-pending={pending}
      data-synced={synced}
      data-rejected={rejected}
    >
      <span className="chip chip-pending">{t('desk.queue.pending', { count: pending })}</span>
      <span className="chip chip-synced">{t('desk.queue.synced', { count: synced })}</span>
      <span className={`chip ${rejected ? 'chip-rejected' : 'chip-muted'}`}>
        {t('desk.queue.rejected', { count: rejected })}
      </span>
    </div>
  );
}

function PeopleList({
  session,
  records,
  mode,
  onPick,
}: {
  session: DeskSession;
  records: QueuedRecord[];
  mode: 'list' | 'door' | 'vaccinate';
  onPick: (p: DeskPerson) => void;
}) {
  const { t } = useI18n();
  const [filter, setFilter] = useState('');
  const captured = new Set(
    records.flatMap((r) =>
      r.kind === 'DOSE' && r.status !== 'rejected' && r.capture.sessionDayId === session.sessionDayId
        ? [r.capture.referenceId]
        : [],
    ),
  );
  const done = (p: DeskPerson) => p.vaccinated || captured.has(p.referenceId);
  const people = session.people
    .filter((p) => mode !== 'vaccinate' || (p.verified && !done(p)))
    .filter((p) => !filter || p.name.toLowerCase().includes(filter.toLowerCase()) || p.referenceId.includes(filter));
  const year = new Date().getFullYear();
  return (
    <section>
      <input
        className="search-input"
        placeholder={t('desk.list.search')}
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        aria-label={t('desk.list.searchLabel')}
      />
      <ul className="desk-people" data-testid={`people-${mode}`}>
        {people.map((p) => {
          const finished = done(p) || (mode === 'door' && p.verified);
          return (
            <li key={`${p.referenceId}-${p.dose}`}>
              <button
                type="button"
                className={`person-row${done(p) ? ' person-done' : ''}`}
                onClick={() => onPick(p)}
                disabled={finished}
              >
                <span className="person-name">{p.name}</span>
                <span className="person-meta">
                  {t('desk.list.meta', {
                    dose: p.dose,
                    slot: p.slot ?? t('desk.list.walkIn'),
                    ref: p.referenceId.slice(-4),
                    gender: t(`gender.${p.gender}`),
                    age: year - p.birthYear,
                  })}
                </span>
                <span className="person-state">
                  {done(p) ? t('desk.list.vaccinated') : p.verified ? t('desk.list.verified') : t('desk.list.waiting')}
                </span>
              </button>
            </li>
          );
        })}
        {people.length === 0 && (
          <li className="muted">{mode === 'vaccinate' ? t('desk.list.toVaccinateEmpty') : t('desk.list.empty')}</li>
        )}
      </ul>
    </section>
  );
}

const batchKey = (sessionDayId: string) => `teeka.batch.${sessionDayId}`;
const issuedKey = (sessionDayId: string) => `teeka.issued-batches.${sessionDayId}`;

interface IssuedBatch {
  batchNumber: string;
  expiresOn: string;
}

/**
 * The batches issued to the session day and in date, to pick from instead of typing: read when online and kept
 * on the phone for a day with no network. Empty when none were issued (the vaccinator types the vial's number).
 */
function useIssuedBatches(sessionDayId: string, token: string, online: boolean): IssuedBatch[] {
  const [issued, setIssued] = useState<IssuedBatch[]>(() => {
    try {
      return JSON.parse(window.localStorage.getItem(issuedKey(sessionDayId)) ?? '[]') as IssuedBatch[];
    } catch {
      return [];
    }
  });
  useEffect(() => {
    if (!online) return;
    let live = true;
    readSessionStock(sessionDayId, token).then(
      (stock) => {
        const today = indiaDate();
        const usable = stock.batches
          .filter((b) => b.vialsIssued > 0 && b.expiresOn !== null && b.expiresOn >= today)
          .map((b) => ({ batchNumber: b.batchNumber, expiresOn: b.expiresOn! }));
        window.localStorage.setItem(issuedKey(sessionDayId), JSON.stringify(usable));
        if (live) setIssued(usable);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [sessionDayId, token, online]);
  return issued;
}

type Checked =
  | { kind: 'server'; verification: Verification }
  /** A walk-in registered on this phone: the vaccinator saw their photo ID; the server checks at sync. */
  | { kind: 'walk-in'; clientEventId: string }
  | { kind: 'device'; secretCode: string }
  | { kind: 'door'; verificationId: string };

/**
 * Who the person is, then (unless at the door) the dose. Online the server checks the secret code or an OTP;
 * offline the phone checks the code against the list's keyed hash and counts wrong tries, and the server checks
 * the code again when the dose syncs. A vaccinator whose team has a door check records against that check.
 */
function IdentityCheck({
  session,
  token,
  online,
  person,
  prefill,
  mode,
  onMessage,
  onDone,
}: {
  session: DeskSession;
  token: string;
  online: boolean;
  person?: DeskPerson;
  prefill?: Picked;
  mode: 'door' | 'record' | 'vaccinate';
  onMessage: (message: DeskMessage | undefined) => void;
  onDone: () => void;
}) {
  const { t, formatDate } = useI18n();
  const [referenceId, setReferenceId] = useState(person?.referenceId ?? prefill?.referenceId ?? '');
  const [secretCode, setSecretCode] = useState(prefill?.secretCode ?? '');
  const [method, setMethod] = useState<'code' | 'otp'>('code');
  const [mobile, setMobile] = useState('');
  const [txnId, setTxnId] = useState<string>();
  const [otp, setOtp] = useState('');
  const [batch, setBatch] = useState(() => window.localStorage.getItem(batchKey(session.sessionDayId)) ?? '');
  const issued = useIssuedBatches(session.sessionDayId, token, online);
  useEffect(() => {
    if (issued.length > 0 && !issued.some((b) => b.batchNumber === batch)) setBatch(issued[0]!.batchNumber);
  }, [issued, batch]);
  const [checked, setChecked] = useState<Checked | undefined>(() =>
    prefill?.walkIn
      ? { kind: 'walk-in', clientEventId: prefill.walkIn.clientEventId }
      : mode === 'vaccinate' && person?.verificationId
        ? { kind: 'door', verificationId: person.verificationId }
        : undefined,
  );
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);
  const listed = person ?? session.people.find((p) => p.referenceId === referenceId);
  const name = listed?.name ?? prefill?.walkIn?.name;

  function reset() {
    setChecked(undefined);
    setNotice(undefined);
  }

  async function checkOnDevice() {
    if (!listed) return setNotice({ tone: 'error', text: t('desk.verify.offlineUnknown') });
    if ((await wrongCodeTries(session.sessionDayId, listed.referenceId)) >= MAX_SECRET_CODE_TRIES)
      return setNotice({ tone: 'error', text: t('desk.verify.offlineLocked') });
    if ((await secretCodeCheck(session.codeKey, listed.referenceId, secretCode)) === listed.codeCheck) {
      setChecked({ kind: 'device', secretCode });
      setNotice({ tone: 'ok', text: t('desk.verify.offlineMatch') });
      return;
    }
    const tries = await countWrongCodeTry(session.sessionDayId, listed.referenceId);
    setNotice(
      tries >= MAX_SECRET_CODE_TRIES
        ? { tone: 'error', text: t('desk.verify.offlineLocked') }
        : { tone: 'error', text: t('desk.verify.offlineMismatch', { count: MAX_SECRET_CODE_TRIES - tries }) },
    );
  }

  async function verify(event: FormEvent) {
    event.preventDefault();
    onMessage(undefined);
    setNotice(undefined);
    if (!navigator.onLine) {
      if (method === 'otp') setNotice({ tone: 'error', text: t('desk.verify.offlineOtp') });
      else await checkOnDevice();
      return;
    }
    setBusy(true);
    try {
      if (method === 'otp' && !txnId) {
        setTxnId((await sendDeskOtp({ sessionDayId: session.sessionDayId, mobile }, token)).txnId);
        setNotice({ tone: 'ok', text: t('desk.verify.otpSent') });
        return;
      }
      const verification = await verifyAtDoor(
        method === 'otp'
          ? { sessionDayId: session.sessionDayId, referenceId, mobile, txnId: txnId!, otp }
          : { sessionDayId: session.sessionDayId, referenceId, secretCode },
        token,
      );
      setChecked({ kind: 'server', verification });
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === NO_RESPONSE_STATUS && method === 'code')
        await checkOnDevice();
      else setNotice({ tone: 'error', text: errorText(failure) });
    } finally {
      setBusy(false);
    }
  }

  async function record() {
    if (!checked) return;
    setBusy(true);
    window.localStorage.setItem(batchKey(session.sessionDayId), batch);
    const displayName = (checked.kind === 'server' ? checked.verification.person.name : name) ?? referenceId;
    try {
      const saved = await captureDose(
        {
          referenceId,
          sessionDayId: session.sessionDayId,
          vaccineCode: session.vaccineCode,
          batch: batch.trim(),
          ...(checked.kind === 'device' ? { secretCode: checked.secretCode } : {}),
          ...(checked.kind === 'server' ? { verificationId: checked.verification.verificationId } : {}),
          ...(checked.kind === 'door' ? { verificationId: checked.verificationId } : {}),
          ...(checked.kind === 'walk-in' ? { walkInClientEventId: checked.clientEventId } : {}),
          displayName,
        },
        token,
      );
      if (saved.status === 'synced')
        onMessage({ tone: 'ok', text: t('desk.record.recorded', { dose: saved.doseNumber ?? '', name: displayName }) });
      else if (saved.status === 'rejected')
        onMessage({ tone: 'error', text: t('desk.record.rejected', { reason: reasonText(saved) }) });
      else
        onMessage({
          tone: 'pending',
          text: t('desk.record.savedOnPhone', { name: displayName }),
          clientEventId: saved.clientEventId,
          name: displayName,
        });
      if (saved.status !== 'rejected') {
        setReferenceId('');
        setSecretCode('');
        reset();
        onDone();
      }
    } catch (failure) {
      onMessage({ tone: 'error', text: errorText(failure) });
    } finally {
      setBusy(false);
    }
  }

  const verification = checked?.kind === 'server' ? checked.verification : undefined;
  const due = verification ? verification.dueDose : checked?.kind === 'walk-in' ? 1 : (listed?.dose ?? null);
  const alreadyDone = verification?.vaccinatedHere;
  const canRecord = checked && mode !== 'door' && !alreadyDone && due !== null;
  return (
    <section className="record-dose">
      {checked?.kind !== 'door' && checked?.kind !== 'walk-in' && (
        <form className="form" onSubmit={(e) => void verify(e)}>
          {name && <p className="desk-person-name">{name}</p>}
          <label>
            {t('desk.verify.referenceId')}
            <input
              name="referenceId"
              inputMode="numeric"
              pattern="[0-9]{14}"
              maxLength={14}
              required
              value={referenceId}
              onChange={(e) => {
                setReferenceId(e.target.value.replace(/\D/g, ''));
                reset();
              }}
            />
          </label>
          {method === 'code' ? (
            <label>
              {t('desk.verify.secretCode')}
              <input
                name="secretCode"
                className="code-input"
                inputMode="numeric"
                pattern="[0-9]{4}"
                maxLength={4}
                required
                autoComplete="off"
                value={secretCode}
                onChange={(e) => {
                  setSecretCode(e.target.value.replace(/\D/g, ''));
                  reset();
                }}
              />
            </label>
          ) : (
            <>
              <label>
                {t('desk.verify.mobile')}
                <input
                  name="mobile"
                  inputMode="numeric"
                  pattern="[6-9][0-9]{9}"
                  maxLength={10}
                  required
                  value={mobile}
                  disabled={!!txnId}
                  onChange={(e) => setMobile(e.target.value.replace(/\D/g, ''))}
                />
              </label>
              {txnId && (
                <label>
                  {t('desk.verify.otp')}
                  <input
                    name="otp"
                    inputMode="numeric"
                    pattern="[0-9]{6}"
                    maxLength={6}
                    required
                    autoComplete="one-time-code"
                    value={otp}
                    onChange={(e) => setOtp(e.target.value.replace(/\D/g, ''))}
                  />
                </label>
              )}
            </>
          )}
          {!checked && (
            <div className="button-row">
              <button type="submit" className="button-primary button-big" disabled={busy}>
                {method === 'otp'
                  ? txnId
                    ? t('desk.verify.confirmOtp')
                    : t('desk.verify.sendOtp')
                  : online
                    ? t('desk.verify.check')
                    : t('desk.verify.checkOffline')}
              </button>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setMethod(method === 'code' ? 'otp' : 'code');
                  setTxnId(undefined);
                  setOtp('');
                  reset();
                }}
              >
                {method === 'code' ? t('desk.verify.byOtp') : t('desk.verify.bySecretCode')}
              </button>
            </div>
          )}
        </form>
      )}
      {notice && (
        <p className={notice.tone === 'ok' ? 'notice' : 'error-detail'} role="status" data-testid="identity-notice">
          {notice.text}
        </p>
      )}
      {verification && (
        <div className="verified-card" data-testid="verified-card">
          <strong>{t('desk.verify.verifiedCard', { name: verification.person.name })}</strong>
          <span>
            {t('desk.verify.personFacts', {
              gender: t(`gender.${verification.person.gender}`),
              birthYear: verification.person.birthYear,
              idNumber: verification.person.idNumberMasked,
            })}
          </span>
          {verification.person.priorityGroup && (
            <span className="badge badge-group" data-testid="priority-group">
              {t('desk.verify.priorityGroup', { group: t(`priority.group.${verification.person.priorityGroup}`) })}
            </span>
          )}
          <span>
            {alreadyDone
              ? t('desk.verify.alreadyVaccinated', { dose: alreadyDone.dose })
              : due
                ? t('desk.verify.due', { dose: due })
                : t('desk.verify.notDue')}
          </span>
          {mode === 'door' && !alreadyDone && due && <span>{t('desk.verify.sendToVaccinator')}</span>}
          {verification.otherRegistrations?.map((other) => (
            <span key={other.referenceId} className="error-detail" role="alert" data-testid="other-registration">
              {t('desk.verify.otherRegistration', {
                name: other.name,
                birthYear: other.birthYear,
                idNumber: other.idNumberMasked,
                doses: other.doses,
              })}
            </span>
          ))}
        </div>
      )}
      {(checked?.kind === 'door' || checked?.kind === 'walk-in') && name && <p className="desk-person-name">{name}</p>}
      {checked?.kind === 'walk-in' && <p className="notice">{t('desk.walkIn.onPhoneIdentity')}</p>}
      {mode === 'door' && checked && (
        <button type="button" className="button-secondary button-big" onClick={onDone}>
          {t('desk.verify.next')}
        </button>
      )}
      {canRecord && (
        <div className="form">
          <label>
            {t('desk.record.batch')}
            {issued.length > 0 ? (
              <select name="batch" value={batch} onChange={(e) => setBatch(e.target.value)} data-testid="batch-pick">
                {issued.map((b) => (
                  <option key={b.batchNumber} value={b.batchNumber}>
                    {t('desk.record.batchOption', { number: b.batchNumber, date: formatDate(b.expiresOn) })}
                  </option>
                ))}
              </select>
            ) : (
              <input
                name="batch"
                required
                pattern="[A-Za-z0-9][A-Za-z0-9/_.\-]{0,39}"
                value={batch}
                onChange={(e) => setBatch(e.target.value)}
              />
            )}
          </label>
          <button
            type="button"
            className="button-primary button-big"
            disabled={busy || !batch.trim()}
            onClick={() => void record()}
            data-testid="record-dose"
          >
            {due
              ? t('desk.record.button', { dose: due, vaccine: session.vaccineName })
              : t('desk.record.buttonAny', { vaccine: session.vaccineName })}
          </button>
        </div>
      )}
    </section>
  );
}

function WalkIn({
  session,
  token,
  online,
  onRegistered,
  onSavedOnPhone,
}: {
  session: DeskSession;
  token: string;
  online: boolean;
  onRegistered: (referenceId: string, secretCode: string, name: string) => void;
  onSavedOnPhone: (clientEventId: string, name: string) => void;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    const name = String(form.get('name')).trim();
    const request = {
      sessionDayId: session.sessionDayId,
      mobile: String(form.get('mobile')),
      person: {
        name,
        birthYear: Number(form.get('birthYear')),
        gender: String(form.get('gender')) as DeskPerson['gender'], // the select offers only M, F and O
        idType: Number(form.get('idType')),
        idNumber: String(form.get('idNumber')).replace(/\s/g, ''),
      },
    };
    // With no network the walk-in waits on the phone, like a dose, and is registered when it syncs.
    const saveOnPhone = async () => {
      const saved = await captureWalkIn({ ...request, displayName: name });
      onSavedOnPhone(saved.clientEventId, name);
    };
    try {
      if (!navigator.onLine) return await saveOnPhone();
      const registered = await registerWalkIn(request, token);
      onRegistered(registered.referenceId, registered.secretCode, name);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === NO_RESPONSE_STATUS) await saveOnPhone();
      else setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section>
      <p className="muted">
        {t('desk.walkIn.seatsLeft', {
          count: Math.max(0, session.counts.walkinCapacity - session.counts.walkinUsed),
        })}
      </p>
      {!online && <p className="notice">{t('desk.walkIn.offlineNote')}</p>}
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('desk.walkIn.mobile')}
          <input name="mobile" inputMode="numeric" pattern="[6-9][0-9]{9}" maxLength={10} required />
        </label>
        <label>
          {t('desk.walkIn.name')}
          <input name="name" required maxLength={100} />
        </label>
        <label>
          {t('desk.walkIn.birthYear')}
          <input name="birthYear" type="number" min={1900} max={new Date().getFullYear()} required />
        </label>
        <label>
          {t('desk.walkIn.gender')}
          <select name="gender" defaultValue="F">
            <option value="F">{t('gender.F')}</option>
            <option value="M">{t('gender.M')}</option>
            <option value="O">{t('gender.O')}</option>
          </select>
        </label>
        <label>
          {t('desk.walkIn.idType')}
          <select name="idType" defaultValue="1">
            {ID_TYPES.map((type) => (
              <option key={type.id} value={type.id}>
                {t(`idType.${type.id}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('desk.walkIn.idNumber')}
          <input name="idNumber" required minLength={4} maxLength={30} autoComplete="off" />
        </label>
        {error && (
          <p className="error-detail" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button-primary button-big" disabled={busy}>
          {online ? t('desk.walkIn.register') : t('desk.walkIn.registerOffline')}
        </button>
      </form>
    </section>
  );
}

/** mm:ss until an instant, never below zero. */
function countdown(until: string, now: number): string {
  const seconds = Math.max(0, Math.ceil((Date.parse(until) - now) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * The observer's screen: everyone vaccinated, each with a running 30-minute timer, released once it is over;
 * an adverse event can be reported for anyone on it (online at once, or queued on the phone).
 */
function Observation({
  session,
  token,
  online,
  onMessage,
}: {
  session: DeskSession;
  token: string;
  online: boolean;
  onMessage: (message: DeskMessage | undefined) => void;
}) {
  const { t } = useI18n();
  const [list, setList] = useState<ObservationList>();
  const [now, setNow] = useState(() => Date.now());
  const [error, setError] = useState<string>();
  const [aefiFor, setAefiFor] = useState<ObservedPerson>();
  const cacheKey = `observation:${session.sessionDayId}`;

  const load = useCallback(async () => {
    try {
      const fresh = await fetchObservation(session.sessionDayId, token);
      setList(fresh);
      setError(undefined);
      await cacheValue(cacheKey, fresh);
    } catch (failure) {
      const cached = await cachedValue<ObservationList>(cacheKey);
      if (cached) setList((current) => current ?? cached.value);
      if (!(failure instanceof ApiError && failure.status === NO_RESPONSE_STATUS)) setError(errorText(failure));
    }
  }, [session.sessionDayId, token, cacheKey]);

  useEffect(() => {
    void load();
    const refresh = window.setInterval(() => void load(), 15_000);
    const tick = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => {
      window.clearInterval(refresh);
      window.clearInterval(tick);
    };
  }, [load]);

  async function release(person: ObservedPerson) {
    try {
      await releaseObserved(person.doseId, token);
      onMessage({ tone: 'ok', text: t('desk.observe.released', { name: person.name }) });
      await load();
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  // A timer that ran out since the last answer moves to "ready" on the phone at once.
  const everyone = [...(list?.underObservation ?? []), ...(list?.readyToRelease ?? [])];
  const under = everyone.filter((p) => Date.parse(p.observeUntil) > now);
  const ready = everyone.filter((p) => Date.parse(p.observeUntil) <= now);
  const row = (person: ObservedPerson, isReady: boolean) => (
    <li key={person.doseId} className={`observed ${isReady ? 'observed-ready' : ''}`} data-testid="observed-person">
      <span className="person-name">{person.name}</span>
      <span className="person-meta">
        {t('desk.observe.since', { dose: person.dose, time: indiaClock(person.administeredAt) })}
        {person.aefiReports > 0 && ` · ${t('desk.observe.reports', { count: person.aefiReports })}`}
      </span>
      {!isReady && (
        <span className="timer" data-testid="observation-timer">
          {t('desk.observe.remaining', { time: countdown(person.observeUntil, now) })}
        </span>
      )}
      <span className="button-row">
        {isReady && (
          <button type="button" className="button-primary" onClick={() => void release(person)} disabled={!online}>
            {t('desk.observe.release')}
          </button>
        )}
        <button type="button" className="button-danger-outline" onClick={() => setAefiFor(person)}>
          {t('desk.observe.reportAefi')}
        </button>
      </span>
    </li>
  );
  return (
    <section className="observation">
      <p className="muted">{t('desk.observe.intro', { minutes: list?.observationMinutes ?? 30 })}</p>
      {!online && <p className="notice">{t('desk.observe.offline')}</p>}
      {error && (
        <p className="error-detail" role="alert">
          {error}
        </p>
      )}
      {everyone.length === 0 && <p className="muted">{t('desk.observe.empty')}</p>}
      {ready.length > 0 && (
        <>
          <h2>{t('desk.observe.ready')}</h2>
          <ul className="desk-people">{ready.map((p) => row(p, true))}</ul>
        </>
      )}
      {under.length > 0 && (
        <>
          <h2>{t('desk.observe.under')}</h2>
          <ul className="desk-people">{under.map((p) => row(p, false))}</ul>
        </>
      )}
      {aefiFor && (
        <AefiDialog
          person={aefiFor}
          sessionDayId={session.sessionDayId}
          token={token}
          onDone={(message) => {
            setAefiFor(undefined);
            onMessage(message);
            void load();
          }}
          onCancel={() => setAefiFor(undefined)}
        />
      )}
    </section>
  );
}

function AefiDialog({
  person,
  sessionDayId,
  token,
  onDone,
  onCancel,
}: {
  person: ObservedPerson;
  sessionDayId: string;
  token: string;
  onDone: (message: DeskMessage) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [severity, setSeverity] = useState<string>('MINOR');
  const [symptoms, setSymptoms] = useState<string[]>([]);
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function submit() {
    setBusy(true);
    try {
      const saved = await captureAefi(
        {
          referenceId: person.referenceId,
          sessionDayId,
          doseId: person.doseId,
          severity,
          symptoms,
          ...(notes.trim() ? { notes: notes.trim() } : {}),
          displayName: person.name,
        },
        token,
      );
      if (saved.status === 'rejected') setError(reasonText(saved));
      else
        onDone(
          saved.status === 'synced'
            ? { tone: 'ok', text: t('desk.aefi.reported', { name: person.name }) }
            : {
                tone: 'pending',
                text: t('desk.aefi.queued', { name: person.name }),
                clientEventId: saved.clientEventId,
                name: person.name,
              },
        );
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      title={t('desk.aefi.title', { name: person.name })}
      confirmLabel={t('desk.aefi.submit')}
      danger
      busy={busy}
      error={error}
      confirmDisabled={symptoms.length === 0}
      onConfirm={() => void submit()}
      onCancel={onCancel}
    >
      <label>
        {t('desk.aefi.severity')}
        <select value={severity} onChange={(e) => setSeverity(e.target.value)} name="aefi-severity">
          {AEFI_SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {t(`desk.aefi.severities.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="symptoms">
        <legend>{t('desk.aefi.symptoms')}</legend>
        {AEFI_SYMPTOMS.map((symptom) => (
          <label key={symptom} className="check">
            <input
              type="checkbox"
              checked={symptoms.includes(symptom)}
              onChange={(e) =>
                setSymptoms((current) =>
                  e.target.checked ? [...current, symptom] : current.filter((s) => s !== symptom),
                )
              }
            />
            {t(`desk.aefi.symptom.${symptom}`)}
          </label>
        ))}
      </fieldset>
      <label>
        {t('desk.aefi.notes')}
        <textarea value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={1000} rows={2} />
      </label>
    </ConfirmDialog>
  );
}

function QueueList({ records, online, onSync }: { records: QueuedRecord[]; online: boolean; onSync: () => void }) {
  const { t } = useI18n();
  return (
    <section>
      <button type="button" className="button-secondary" onClick={onSync} disabled={!online}>
        {t('desk.queue.syncNow')}
      </button>
      <ul className="queue-list" data-testid="queue-list">
        {records.map((r) => (
          <li key={r.clientEventId} className={`queue-item queue-${r.status}`} data-status={r.status}>
            <span className="queue-status">
              {r.status === 'synced'
                ? t('desk.queue.statusSynced')
                : r.status === 'rejected'
                  ? t('desk.queue.statusRejected')
                  : t('desk.queue.statusPending')}
            </span>
            <span>
              {r.kind === 'WALKIN'
                ? t('desk.queue.walkIn', {
                    name: r.capture.displayName ?? r.capture.person.name,
                    ref: r.referenceId ?? '—',
                    time: indiaClock(r.administeredAt),
                  })
                : r.kind === 'DOSE'
                  ? t('desk.queue.dose', {
                      name: r.capture.displayName ?? r.capture.referenceId,
                      vaccine: r.capture.vaccineCode,
                      batch: r.capture.batch,
                      time: indiaClock(r.administeredAt),
                    })
                  : t('desk.queue.aefi', {
                      name: r.capture.displayName ?? r.capture.referenceId,
                      time: indiaClock(r.administeredAt),
                    })}
            </span>
            {r.reason && r.status !== 'synced' && <span className="queue-reason">{reasonText(r)}</span>}
            {r.kind === 'WALKIN' && r.matchedRegistration && (
              <span className="queue-note" data-testid="walk-in-matched">
                {matchedWalkInText(
                  t,
                  r.capture.displayName ?? r.capture.person.name,
                  r.referenceId ?? '',
                  r.matchedRegistration,
                )}
              </span>
            )}
          </li>
        ))}
        {records.length === 0 && <li className="muted">{t('desk.queue.empty')}</li>}
      </ul>
    </section>
  );
}
