import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { picksDistrict } from '../auth/permissions';
import { forgetStaffSessionIf, useStaffSession } from '../auth/staff-session';
import { ConfirmDialog } from '../components/ConfirmDialog';
import {
  fetchDistrictDashboard,
  fetchDistrictStaff,
  fetchPlannedDays,
  intervene,
  joinSessions,
  paceVerdict,
  type ConsoleSession,
  type Intervention,
  type StaffMember,
} from '../district/api';
import { errorMessage, formatCount, indiaClock, minutesSince } from '../format';
import { hrefForPath } from '../hooks/useHashPath';
import { useI18n } from '../i18n/useI18n';
import { useLiveRoom } from '../live/useLiveRoom';
import { AefiAlerts, useAefiAlerts } from '../district/AefiAlerts';
import { flagsMissingVaccinator, possibleActions } from '../district/session-actions';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { useDistrictList } from '../map/district-list';
import type { RouteParams } from '../routes';
import type { DashboardBody, SessionLiveView } from '../warroom/dashboard-api';
import { DryRunBanner, DryRunPicker, useDryRunWatch } from '../dryruns/DryRunWatch';

const ACTION_LABELS: Record<Intervention['kind'], string> = {
  extend: 'Extend',
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel session',
  assign: 'Add / reassign vaccinator',
  close: 'Close',
};

/** A closed session's only action: the doses wasted, reported late. */
const REPORT_WASTAGE = 'Report wastage';

const EXTENSION_MINUTES = [30, 60, 90, 120];
/** The API's bound on one wastage report. */
const MAX_WASTAGE = 10_000;

/**
 * The extensions offered: the usual steps that end by midnight, and the time left until midnight when that is
 * less than the longest step (no session day runs past its date, so a later choice would only be refused).
 */
function extensionChoices(live: SessionLiveView): number[] {
  const room = live.extendableMinutes;
  const choices = EXTENSION_MINUTES.filter((minutes) => minutes <= room);
  if (room > 0 && room < EXTENSION_MINUTES.at(-1)! && !choices.includes(room)) choices.push(room);
  return choices;
}

/** The closing time in force: the extension's once extended ('24:00' when that is midnight). */
function closingTime(live: SessionLiveView): string {
  if (!live.extendedUntil) return live.closesAt.slice(0, 5);
  return live.extendableMinutes === 0 ? '24:00' : indiaClock(live.extendedUntil);
}

/** The outcome of the last intervention, shown above the sessions: done, or refused and why. */
interface Notice {
  text: string;
  refused: boolean;
}

export function DistrictConsolePage({ params }: { params: RouteParams }) {
  const session = useStaffSession();
  const staff = session?.staff;
  const districtId = Number(params.districtId) || staff?.districtId || undefined;

  if (!staff) return null;
  if (!districtId) return <DistrictPicker stateId={staff.stateId ?? undefined} />;
  return (
    <DistrictConsole key={districtId} districtId={districtId} token={session.token} canPick={picksDistrict(staff)} />
  );
}

function DistrictPicker({ stateId }: { stateId?: number }) {
  const districts = useDistrictList(INDIA_MAP_DATA.districts)
    .filter((d) => stateId === undefined || d.stateId === stateId)
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="page">
      <h1>District console</h1>
      <label className="inline-field">
        Choose a district
        <select
          defaultValue=""
          onChange={(e) => e.target.value && (window.location.hash = hrefForPath(`/district/${e.target.value}`))}
        >
          <option value="" disabled>
            —
          </option>
          {districts.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
              {stateId === undefined ? ` (${INDIA_MAP_DATA.states.find((s) => s.id === d.stateId)?.code ?? ''})` : ''}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}

function DistrictConsole({ districtId, token, canPick }: { districtId: number; token: string; canPick: boolean }) {
  const [dashboard, setDashboard] = useState<DashboardBody>();
  const [rows, setRows] = useState<ConsoleSession[]>([]);
  const [vaccinators, setVaccinators] = useState<StaffMember[]>([]);
  const [error, setError] = useState<string>();
  const [action, setAction] = useState<{ row: ConsoleSession; kind: Intervention['kind'] }>();
  const [notice, setNotice] = useState<Notice>();
  const [now, setNow] = useState(() => new Date());
  const { t } = useI18n();

  const load = useCallback(async () => {
    try {
      const [board, plans] = await Promise.all([
        fetchDistrictDashboard(districtId, token),
        fetchPlannedDays(districtId, token),
      ]);
      setDashboard(board);
      setRows(joinSessions(board.sessions ?? [], plans));
      setError(undefined);
    } catch (failure) {
      forgetStaffSessionIf(failure);
      setError(errorMessage(failure));
    }
  }, [districtId, token]);

  useEffect(() => {
    void load();
    void fetchDistrictStaff(districtId, token).then(setVaccinators, () => setVaccinators([]));
    const timer = window.setInterval(() => void load(), 60_000);
    const clock = window.setInterval(() => setNow(new Date()), 15_000);
    return () => {
      window.clearInterval(timer);
      window.clearInterval(clock);
    };
  }, [load, districtId, token]);

  const aefi = useAefiAlerts();
  const live = useLiveRoom(`district:${districtId}`, token, {
    onEvent: (event) => {
      aefi.hear(event);
      if (event.type === 'dose.recorded' && event.sessionDayId) {
        setRows((current) =>
          current.map((row) =>
            row.live.sessionDayId === event.sessionDayId
              ? {
                  ...row,
                  live: {
                    ...row.live,
                    vaccinated: row.live.vaccinated + 1,
                    lastDoseAt: event.at,
                    minutesSinceLastDose: 0,
                  },
                }
              : row,
          ),
        );
      } else if (event.type === 'session.status' || event.type === 'booking.changed') {
        const status = typeof event.data.status === 'string' ? event.data.status : undefined;
        if (status)
          setRows((current) =>
            current.map((row) =>
              row.live.sessionDayId === event.sessionDayId ? { ...row, live: { ...row.live, status } } : row,
            ),
          );
        void load();
      }
    },
  });

  const stalled = rows.filter((r) => r.live.status === 'STALLED');
  // A dry run the officer chose to watch: its own cards, marked, apart from the real ones.
  const watch = useDryRunWatch(token, { districtId });
  const dryRows: ConsoleSession[] = (watch.body?.sessions ?? []).map((live) => ({ live }));
  const dryStalled = dryRows.filter((r) => r.live.status === 'STALLED');
  const dryNow = watch.body ? new Date(watch.body.calendarNow) : now;
  const districtName =
    dashboard?.scope.name ??
    INDIA_MAP_DATA.districts.find((d) => d.id === districtId)?.name ??
    `District ${districtId}`;

  return (
    <section className="page console">
      <header className="console-header">
        <div>
          <h1>{districtName} — today's sessions</h1>
          <p className="muted">
            {dashboard ? `${dashboard.date} · updated ${indiaClock(dashboard.asOf)} IST` : 'Loading…'} · live feed:{' '}
            {live.status}
            {canPick && (
              <>
                {' · '}
                <a href={hrefForPath('/district')}>change district</a>
              </>
            )}
          </p>
        </div>
        <div className="console-header-actions">
          <DryRunPicker watch={watch} />
          <a className="button-secondary" href={hrefForPath('/lookup')}>
            {t('lookup.fromConsole')}
          </a>
          <a className="button-secondary" href={hrefForPath('/planning')}>
            Plan sites and sessions
          </a>
        </div>
      </header>
      <AefiAlerts alerts={aefi.alerts} onDismiss={aefi.dismiss} />
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className={notice.refused ? 'notice notice-refused' : 'notice'} role={notice.refused ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
      {stalled.length > 0 && (
        <div className="alert-banner" role="alert" data-testid="stalled-alert">
          <strong>
            ⚠ {stalled.length === 1 ? '1 session has stalled' : `${stalled.length} sessions have stalled`}
          </strong>
          <span>
            {stalled
              .map(
                (r) =>
                  `${r.live.siteName} (no dose for ${r.live.minutesSinceLastDose ?? minutesSince(r.live.lastDoseAt, now) ?? '?'} min)`,
              )
              .join(' · ')}
          </span>
        </div>
      )}
      {watch.error && watch.chosen && (
        <p className="error-banner" role="alert">
          {watch.error}
        </p>
      )}
      {watch.body && (
        <section className="dry-run-watch" data-testid="dry-run-watch" aria-label={t('dryRuns.watch.title')}>
          <DryRunBanner body={watch.body} />
          {dryStalled.length > 0 && (
            <p className="alert-banner" role="alert" data-testid="dry-run-stalled">
              {t('dryRuns.watch.stalled', { count: dryStalled.length })}
            </p>
          )}
          {dryRows.length === 0 && <p className="muted">{t('dryRuns.watch.noSessions')}</p>}
          <div className="session-cards">
            {dryRows.map((row) => (
              <SessionCard
                key={row.live.sessionDayId}
                row={row}
                now={dryNow}
                onAction={(kind) => setAction({ row, kind })}
              />
            ))}
          </div>
        </section>
      )}
      {dashboard && rows.length === 0 && <p className="muted">No session days today in this district.</p>}
      <div className="session-cards">
        {rows.map((row) => (
          <SessionCard key={row.live.sessionDayId} row={row} now={now} onAction={(kind) => setAction({ row, kind })} />
        ))}
      </div>
      {action && (
        <InterventionDialog
          row={action.row}
          kind={action.kind}
          vaccinators={vaccinators}
          token={token}
          onDone={(outcome) => {
            setAction(undefined);
            setNotice(outcome);
            void load();
            void watch.reload();
          }}
          onCancel={() => setAction(undefined)}
        />
      )}
    </section>
  );
}

function SessionCard({
  row,
  now,
  onAction,
}: {
  row: ConsoleSession;
  now: Date;
  onAction: (kind: Intervention['kind']) => void;
}) {
  const { t } = useI18n();
  const { live, plan } = row;
  const verdict = paceVerdict(live);
  const since = live.minutesSinceLastDose ?? minutesSince(live.lastDoseAt, now);
  const actions = possibleActions(live);
  const vaccinators = plan?.team.filter((m) => m.teamRole === 'VACCINATOR').length;
  const percentOfPlan =
    live.pace.expectedByNow > 0 ? Math.min(150, (live.vaccinated / live.pace.expectedByNow) * 100) : undefined;
  return (
    <article
      className={`session-card status-card-${live.status.toLowerCase()}`}
      data-testid="session-card"
      data-session-day-id={live.sessionDayId}
      data-status={live.status}
    >
      <header>
        <h2>{live.siteName}</h2>
        <span className={`status-pill status-${live.status.toLowerCase()}`}>{live.status}</span>
      </header>
      <p className="muted">
        {live.vaccineCode} · {live.opensAt.slice(0, 5)}–{closingTime(live)}
        {live.extendedUntil && ' (extended)'}
        {plan && plan.team.length > 0 && ` · team: ${plan.team.map((m) => m.name).join(', ')}`}
        {plan && plan.team.length === 0 && ' · no vaccinator assigned'}
      </p>
      {vaccinators !== undefined && flagsMissingVaccinator(live, vaccinators, now) && (
        <p className="flag-no-vaccinator" role="alert" data-testid="no-vaccinator">
          No vaccinator assigned, and the session opens at {live.opensAt.slice(0, 5)}: assign one now.
        </p>
      )}
      {live.status === 'STALLED' && live.stallReason && (
        <p className="stall-reason" data-testid="stall-reason" data-reason={live.stallReason}>
          {t(`district.stallReason.${live.stallReason}`, {
            minutes: since ?? 0,
            done: live.vaccinated,
            planned: live.pace.expectedByNow,
          })}
        </p>
      )}
      <dl className="session-figures">
        <div>
          <dt>Booked</dt>
          <dd>{formatCount(live.booked)}</dd>
        </div>
        <div>
          <dt>Vaccinated</dt>
          <dd data-testid="vaccinated">{formatCount(live.vaccinated)}</dd>
        </div>
        <div>
          <dt>No-shows</dt>
          <dd>{formatCount(live.noShows)}</dd>
        </div>
        <div>
          <dt>Walk-ins</dt>
          <dd>{formatCount(live.walkIns)}</dd>
        </div>
      </dl>
      <div className={`pace pace-${verdict}`}>
        <div className="pace-text">
          Pace: {formatCount(live.vaccinated)} done vs {formatCount(live.pace.expectedByNow)} planned by now
          {live.pace.dosesPerHour !== null && ` · ${live.pace.dosesPerHour.toFixed(1)}/h`}
          {' · '}
          {since === undefined
            ? 'not open yet'
            : live.lastDoseAt
              ? `last dose ${since} min ago`
              : `no dose for ${since} min`}
        </div>
        {percentOfPlan !== undefined && (
          <div className="pace-bar" aria-hidden="true">
            <span style={{ width: `${Math.min(100, percentOfPlan)}%` }} />
          </div>
        )}
      </div>
      {actions.length > 0 && (
        <div className="session-actions">
          {actions.map((kind) => (
            <button
              key={kind}
              type="button"
              className={kind === 'cancel' ? 'button-danger-outline' : undefined}
              onClick={() => onAction(kind)}
            >
              {kind === 'close' && live.status === 'CLOSED' ? REPORT_WASTAGE : ACTION_LABELS[kind]}
            </button>
          ))}
        </div>
      )}
    </article>
  );
}

function InterventionDialog({
  row,
  kind,
  vaccinators,
  token,
  onDone,
  onCancel,
}: {
  row: ConsoleSession;
  kind: Intervention['kind'];
  vaccinators: StaffMember[];
  token: string;
  onDone: (outcome: Notice) => void;
  onCancel: () => void;
}) {
  const choices = extensionChoices(row.live);
  const [minutes, setMinutes] = useState(() => (choices.includes(60) ? 60 : choices[0]));
  const [reason, setReason] = useState('');
  const [staffId, setStaffId] = useState('');
  const [replaces, setReplaces] = useState('');
  const [wastage, setWastage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const live: SessionLiveView = row.live;
  const team = row.plan?.team ?? [];

  const intervention = ((): Intervention | undefined => {
    switch (kind) {
      case 'extend':
        return minutes !== undefined && choices.includes(minutes) ? { kind, minutes } : undefined;
      case 'pause':
        return reason.trim() ? { kind, reason: reason.trim() } : { kind };
      case 'resume':
        return { kind };
      case 'cancel':
        return reason.trim().length >= 3 ? { kind, reason: reason.trim() } : undefined;
      case 'assign':
        return staffId
          ? {
              kind,
              staffId,
              teamRole: 'VACCINATOR',
              ...(replaces ? { replacesStaffId: replaces } : {}),
              moveFromOtherSession: true,
            }
          : undefined;
      case 'close': {
        if (wastage.trim() === '') return { kind };
        const wasted = Number(wastage);
        return Number.isInteger(wasted) && wasted >= 0 && wasted <= MAX_WASTAGE ? { kind, wastage: wasted } : undefined;
      }
    }
  })();

  async function confirm() {
    if (!intervention) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await intervene(live.sessionDayId, intervention, token);
      onDone({
        text: `${ACTION_LABELS[kind]}: ${live.siteName} is now ${result.status}${kind === 'extend' ? `, closing at ${indiaClock(result.closesAt)} IST` : ''}.`,
        refused: false,
      });
    } catch (failure) {
      // The server said no (the session closed meanwhile, say): the step is over, and the console says why. With
      // no answer (network, server error) the dialog stays open to try again.
      if (failure instanceof ApiError && failure.status >= 400 && failure.status < 500) {
        onDone({ text: `${ACTION_LABELS[kind]} refused: ${errorMessage(failure)}`, refused: true });
      } else {
        setError(errorMessage(failure));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      title={`${ACTION_LABELS[kind]} — ${live.siteName}`}
      confirmLabel={
        kind === 'cancel' ? 'Cancel the session and notify everyone' : `Confirm: ${ACTION_LABELS[kind].toLowerCase()}`
      }
      danger={kind === 'cancel'}
      busy={busy}
      error={error}
      confirmDisabled={!intervention}
      onConfirm={() => void confirm()}
      onCancel={onCancel}
    >
      {kind === 'extend' && (
        <>
          <p>
            The session now closes at {closingTime(live)}. People still waiting can be vaccinated if it stays open
            longer.
          </p>
          {choices.length > 0 ? (
            <label className="inline-field">
              Extend by
              <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} name="extend-minutes">
                {choices.map((m) => (
                  <option key={m} value={m}>
                    {m} minutes{m === live.extendableMinutes && ' (until midnight)'}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <p className="error-detail">
              It already closes at midnight: a session day cannot run later. Plan another session day instead.
            </p>
          )}
        </>
      )}
      {kind === 'pause' && (
        <>
          <p>No doses can be recorded while the session is paused. Booked people keep their appointments.</p>
          <label>
            Reason (optional)
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={300} />
          </label>
        </>
      )}
      {kind === 'resume' && <p>The session opens again for doses.</p>}
      {kind === 'close' && (
        <>
          <p>
            {live.status === 'CLOSED'
              ? 'The session is closed. Report the doses wasted (opened vials not used up).'
              : 'No more doses can be recorded once the session is closed; the people booked and not vaccinated become no-shows.'}
          </p>
          <label>
            Doses wasted (optional)
            <input
              type="number"
              inputMode="numeric"
              min={0}
              max={MAX_WASTAGE}
              step={1}
              value={wastage}
              onChange={(e) => setWastage(e.target.value)}
              name="wastage"
            />
          </label>
        </>
      )}
      {kind === 'cancel' && (
        <>
          <p>
            <strong>This cannot be undone.</strong> All {formatCount(live.booked)} booked people get an SMS and their
            appointments are cancelled so they can book again.
          </p>
          <label>
            Reason (sent in the SMS; required)
            <input
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={300}
              required
              name="cancel-reason"
            />
          </label>
        </>
      )}
      {kind === 'assign' && (
        <>
          <label>
            Vaccinator
            <select value={staffId} onChange={(e) => setStaffId(e.target.value)} name="assign-staff">
              <option value="">Choose…</option>
              {vaccinators
                .filter((v) => !team.some((m) => m.staffId === v.id))
                .map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name} ({v.username})
                  </option>
                ))}
            </select>
          </label>
          {team.length > 0 && (
            <label>
              Replaces (optional)
              <select value={replaces} onChange={(e) => setReplaces(e.target.value)}>
                <option value="">Nobody — add to the team</option>
                {team.map((m) => (
                  <option key={m.staffId} value={m.staffId}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <p className="muted">A vaccinator on another session today is moved from it.</p>
        </>
      )}
    </ConfirmDialog>
  );
}
