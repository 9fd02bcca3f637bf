import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, NO_RESPONSE_STATUS } from '../api/client';
import { forgetStaffSessionIf, useStaffSession } from '../auth/staff-session';
import {
  fetchDeskToday,
  registerWalkIn,
  verifyAtDoor,
  type DeskPerson,
  type DeskSession,
  type DeskToday,
  type Verification,
} from '../desk/api';
import { errorMessage, indiaClock } from '../format';
import { cachedValue, cacheValue, captureDose, pruneSynced, syncPending, watchRecords } from '../offline/desk-store';
import { retryDelayMs, summarise, type QueuedRecord } from '../offline/queue-logic';
import { ID_TYPES } from '../portal/api';
import type { RouteParams } from '../routes';

type Tab = 'list' | 'record' | 'walk-in' | 'queue';
type DeskMessage = { tone: 'ok' | 'error' | 'pending'; text: string };
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

export function VaccinatorDeskPage(_props: { params: RouteParams }) {
  const session = useStaffSession();
  const online = useOnline();
  const [today, setToday] = useState<DeskToday>();
  const [todaySavedAt, setTodaySavedAt] = useState<string>();
  const [sessionDayId, setSessionDayId] = useState<string>();
  const [tab, setTab] = useState<Tab>('list');
  const [records, setRecords] = useState<QueuedRecord[]>([]);
  const [prefill, setPrefill] = useState<{ referenceId: string; secretCode?: string; name?: string }>();
  const [error, setError] = useState<string>();
  const [message, setMessage] = useState<DeskMessage>();
  const failures = useRef(0);
  const token = session?.token;

  const loadToday = useCallback(async () => {
    if (!token) return;
    try {
      const fresh = await fetchDeskToday(token);
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
      if (!(failure instanceof ApiError && failure.status === NO_RESPONSE_STATUS)) setError(errorMessage(failure));
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

  useEffect(() => {
    if (!summary.pending || !online) return;
    const timer = window.setTimeout(() => void sync(), retryDelayMs(Math.max(1, failures.current)));
    return () => window.clearTimeout(timer);
  }, [summary.pending, online, sync, records]);

  if (!session || !token) return null;
  const current = today?.sessions.find((s) => s.sessionDayId === sessionDayId);

  return (
    <section className="desk">
      <header className="desk-header">
        <div>
          <h1>Vaccinator desk</h1>
          <p className="muted">{session.staff.name}</p>
        </div>
        <span
          className={`net-pill ${online ? 'net-online' : 'net-offline'}`}
          role="status"
          data-testid="network-status"
        >
          {online ? '● Online' : '○ Offline — doses are saved on this phone'}
        </span>
      </header>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      {todaySavedAt && <p className="notice">Showing the list saved at {indiaClock(todaySavedAt)} (no network).</p>}
      {today && today.sessions.length === 0 && <p className="notice">You are not assigned to a session today.</p>}
      {today && today.sessions.length > 1 && (
        <label className="inline-field">
          Session
          <select value={sessionDayId} onChange={(e) => setSessionDayId(e.target.value)}>
            {today.sessions.map((s) => (
              <option key={s.sessionDayId} value={s.sessionDayId}>
                {s.site.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {current && (
        <p className="desk-session">
          <strong>{current.site.name}</strong> · {current.vaccineName} · {current.opensAt.slice(0, 5)}–
          {current.closesAt.slice(0, 5)} · {current.status}
        </p>
      )}
      <nav className="desk-tabs" aria-label="Desk">
        {(
          [
            ['list', "Today's list"],
            ['record', 'Verify & record'],
            ['walk-in', 'Walk-in'],
            ['queue', `Records${summary.pending ? ` (${summary.pending} pending)` : ''}`],
          ] as const
        ).map(([key, label]) => (
          <button key={key} type="button" aria-pressed={tab === key} onClick={() => setTab(key)}>
            {label}
          </button>
        ))}
      </nav>
      <QueueSummary pending={summary.pending} synced={summary.synced} rejected={summary.rejected} />
      {tab === 'list' && current && (
        <PeopleList
          session={current}
          records={records}
          onPick={(person) => {
            setPrefill({ referenceId: person.referenceId, name: person.name });
            setMessage(undefined);
            setTab('record');
          }}
        />
      )}
      {message && (
        <p className={`desk-message desk-message-${message.tone}`} role="status" data-testid="desk-message">
          {message.text}
        </p>
      )}
      {tab === 'record' && current && (
        <RecordDose
          key={prefill?.referenceId ?? 'blank'}
          session={current}
          token={token}
          online={online}
          prefill={prefill}
          onMessage={setMessage}
          onRecorded={() => setPrefill(undefined)}
        />
      )}
      {tab === 'walk-in' && current && (
        <WalkIn
          session={current}
          token={token}
          online={online}
          onRegistered={(referenceId, secretCode, name) => {
            setPrefill({ referenceId, secretCode, name });
            setTab('record');
            void loadToday();
          }}
        />
      )}
      {tab === 'queue' && <QueueList records={records} online={online} onSync={() => void sync()} />}
    </section>
  );
}

function QueueSummary({ pending, synced, rejected }: { pending: number; synced: number; rejected: number }) {
  return (
    <div
      className="queue-summary"
      data-testid="queue-summary"
      data-pending={pending}
      data-synced={synced}
      data-rejected={rejected}
    >
      <span className="chip chip-pending">{pending} pending</span>
      <span className="chip chip-synced">{synced} synced</span>
      <span className={`chip ${rejected ? 'chip-rejected' : 'chip-muted'}`}>{rejected} rejected</span>
    </div>
  );
}

function PeopleList({
  session,
  records,
  onPick,
}: {
  session: DeskSession;
  records: QueuedRecord[];
  onPick: (p: DeskPerson) => void;
}) {
  const [filter, setFilter] = useState('');
  const captured = new Set(
    records
      .filter((r) => r.status !== 'rejected' && r.capture.sessionDayId === session.sessionDayId)
      .map((r) => r.capture.referenceId),
  );
  const people = session.people.filter(
    (p) => !filter || p.name.toLowerCase().includes(filter.toLowerCase()) || p.referenceId.includes(filter),
  );
  return (
    <section>
      <input
        className="search-input"
        placeholder="Search name or reference id"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
        aria-label="Search the list"
      />
      <ul className="desk-people">
        {people.map((p) => {
          const done = p.vaccinated || captured.has(p.referenceId);
          return (
            <li key={`${p.referenceId}-${p.dose}`}>
              <button
                type="button"
                className={`person-row${done ? ' person-done' : ''}`}
                onClick={() => onPick(p)}
                disabled={done}
              >
                <span className="person-name">{p.name}</span>
                <span className="person-meta">
                  Dose {p.dose} · {p.slot ?? 'walk-in'} · …{p.referenceId.slice(-4)} · {p.gender}{' '}
                  {new Date().getFullYear() - p.birthYear}y
                </span>
                <span className="person-state">{done ? '✓ vaccinated' : p.verified ? 'verified' : 'waiting'}</span>
              </button>
            </li>
          );
        })}
        {people.length === 0 && <li className="muted">Nobody on the list.</li>}
      </ul>
    </section>
  );
}

const batchKey = (sessionDayId: string) => `teeka.batch.${sessionDayId}`;

function RecordDose({
  session,
  token,
  online,
  prefill,
  onMessage,
  onRecorded,
}: {
  session: DeskSession;
  token: string;
  online: boolean;
  prefill?: { referenceId: string; secretCode?: string; name?: string };
  onMessage: (message: DeskMessage | undefined) => void;
  onRecorded: () => void;
}) {
  const [referenceId, setReferenceId] = useState(prefill?.referenceId ?? '');
  const [secretCode, setSecretCode] = useState(prefill?.secretCode ?? '');
  const [batch, setBatch] = useState(() => window.localStorage.getItem(batchKey(session.sessionDayId)) ?? '');
  const [verification, setVerification] = useState<Verification | 'offline'>();
  const [busy, setBusy] = useState(false);
  const setMessage = onMessage;

  async function verify(event: FormEvent) {
    event.preventDefault();
    setMessage(undefined);
    if (!navigator.onLine) {
      setVerification('offline');
      return;
    }
    setBusy(true);
    try {
      setVerification(await verifyAtDoor({ sessionDayId: session.sessionDayId, referenceId, secretCode }, token));
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === NO_RESPONSE_STATUS) setVerification('offline');
      else setMessage({ tone: 'error', text: errorMessage(failure) });
    } finally {
      setBusy(false);
    }
  }

  async function record() {
    setBusy(true);
    window.localStorage.setItem(batchKey(session.sessionDayId), batch);
    try {
      const saved = await captureDose(
        {
          referenceId,
          secretCode,
          sessionDayId: session.sessionDayId,
          vaccineCode: session.vaccineCode,
          batch: batch.trim(),
          verificationId: verification && verification !== 'offline' ? verification.verificationId : undefined,
          displayName: verification && verification !== 'offline' ? verification.person.name : prefill?.name,
        },
        token,
      );
      if (saved.status === 'synced')
        setMessage({
          tone: 'ok',
          text: `✓ Dose ${saved.doseNumber ?? ''} recorded for ${saved.capture.displayName ?? referenceId}`,
        });
      else if (saved.status === 'rejected') setMessage({ tone: 'error', text: `✕ Not recorded: ${saved.reason}` });
      else
        setMessage({
          tone: 'pending',
          text: `Saved on this phone — it syncs by itself when the network is back (${saved.capture.displayName ?? referenceId})`,
        });
      if (saved.status !== 'rejected') {
        setReferenceId('');
        setSecretCode('');
        setVerification(undefined);
        onRecorded();
      }
    } catch (failure) {
      setMessage({ tone: 'error', text: errorMessage(failure) });
    } finally {
      setBusy(false);
    }
  }

  const due = verification && verification !== 'offline' ? verification.dueDose : undefined;
  const alreadyDone = verification && verification !== 'offline' && verification.vaccinatedHere;
  return (
    <section className="record-dose">
      <form className="form" onSubmit={(e) => void verify(e)}>
        {prefill?.name && <p className="desk-person-name">{prefill.name}</p>}
        <label>
          Reference id (14 digits)
          <input
            name="referenceId"
            inputMode="numeric"
            pattern="[0-9]{14}"
            maxLength={14}
            required
            value={referenceId}
            onChange={(e) => {
              setReferenceId(e.target.value.replace(/\D/g, ''));
              setVerification(undefined);
            }}
          />
        </label>
        <label>
          Secret code (4 digits, from the person's SMS or slip)
          <input
            name="secretCode"
            inputMode="numeric"
            pattern="[0-9]{4}"
            maxLength={4}
            required
            value={secretCode}
            onChange={(e) => {
              setSecretCode(e.target.value.replace(/\D/g, ''));
              setVerification(undefined);
            }}
          />
        </label>
        {!verification && (
          <button type="submit" className="button-primary button-big" disabled={busy}>
            {online ? 'Check identity' : 'Continue (offline)'}
          </button>
        )}
      </form>
      {verification === 'offline' && (
        <p className="notice">No network: the secret code will be checked by the server when this record syncs.</p>
      )}
      {verification && verification !== 'offline' && (
        <div className="verified-card">
          <strong>✓ {verification.person.name}</strong>
          <span>
            {verification.person.gender} · born {verification.person.birthYear} · ID{' '}
            {verification.person.idNumberMasked}
          </span>
          <span>
            {alreadyDone
              ? `Already vaccinated here (dose ${verification.vaccinatedHere!.dose})`
              : due
                ? `Due: dose ${due}`
                : 'No dose due'}
          </span>
        </div>
      )}
      {verification && !alreadyDone && (verification === 'offline' || due) && (
        <div className="form">
          <label>
            Batch number
            <input
              name="batch"
              required
              pattern="[A-Za-z0-9][A-Za-z0-9/_.\-]{0,39}"
              value={batch}
              onChange={(e) => setBatch(e.target.value)}
            />
          </label>
          <button
            type="button"
            className="button-primary button-big"
            disabled={busy || !batch.trim()}
            onClick={() => void record()}
            data-testid="record-dose"
          >
            Record {due ? `dose ${due}` : 'dose'} · {session.vaccineName}
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
}: {
  session: DeskSession;
  token: string;
  online: boolean;
  onRegistered: (referenceId: string, secretCode: string, name: string) => void;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      const name = String(form.get('name')).trim();
      const registered = await registerWalkIn(
        {
          sessionDayId: session.sessionDayId,
          mobile: String(form.get('mobile')),
          person: {
            name,
            birthYear: Number(form.get('birthYear')),
            gender: String(form.get('gender')),
            idType: Number(form.get('idType')),
            idNumber: String(form.get('idNumber')).replace(/\s/g, ''),
          },
        },
        token,
      );
      onRegistered(registered.referenceId, registered.secretCode, name);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section>
      <p className="muted">
        Walk-in seats left: {Math.max(0, session.counts.walkinCapacity - session.counts.walkinUsed)}. Check the photo ID
        before registering.
      </p>
      {!online && (
        <p className="notice">
          Registering a walk-in needs the network (the ID must be checked against everyone registered).
        </p>
      )}
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label>
          Mobile
          <input name="mobile" inputMode="numeric" pattern="[6-9][0-9]{9}" maxLength={10} required />
        </label>
        <label>
          Full name
          <input name="name" required maxLength={100} />
        </label>
        <label>
          Year of birth
          <input name="birthYear" type="number" min={1900} max={new Date().getFullYear()} required />
        </label>
        <label>
          Gender
          <select name="gender" defaultValue="F">
            <option value="F">Female</option>
            <option value="M">Male</option>
            <option value="O">Other</option>
          </select>
        </label>
        <label>
          Photo ID
          <select name="idType" defaultValue="1">
            {ID_TYPES.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          ID number
          <input name="idNumber" required minLength={4} maxLength={30} autoComplete="off" />
        </label>
        {error && (
          <p className="error-detail" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button-primary button-big" disabled={busy || !online}>
          Register walk-in
        </button>
      </form>
    </section>
  );
}

function QueueList({ records, online, onSync }: { records: QueuedRecord[]; online: boolean; onSync: () => void }) {
  return (
    <section>
      <button type="button" className="button-secondary" onClick={onSync} disabled={!online}>
        Sync now
      </button>
      <ul className="queue-list" data-testid="queue-list">
        {records.map((r) => (
          <li key={r.clientEventId} className={`queue-item queue-${r.status}`} data-status={r.status}>
            <span className="queue-status">
              {r.status === 'synced' ? '✓ synced' : r.status === 'rejected' ? '✕ rejected' : '… pending'}
            </span>
            <span>
              {r.capture.displayName ?? r.capture.referenceId} · {r.capture.vaccineCode} {r.capture.batch} ·{' '}
              {indiaClock(r.administeredAt)}
            </span>
            {r.reason && r.status !== 'synced' && <span className="queue-reason">{r.reason}</span>}
          </li>
        ))}
        {records.length === 0 && <li className="muted">No doses recorded on this phone yet.</li>}
      </ul>
    </section>
  );
}
