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
import { formatCount, indiaClock, minutesSince } from '../format';
import { errorText } from '../i18n/error-text';
import { hrefForPath } from '../hooks/useHashPath';
import { useI18n } from '../i18n/useI18n';
import { useLiveRoom } from '../live/useLiveRoom';
import { AefiAlerts, useAefiAlerts } from '../district/AefiAlerts';
import { TomorrowStock } from '../stock/TomorrowStock';
import { batchProblemsOf, CloseByBatch, closingVials, useClosingStock, type BatchProblem } from '../stock/CloseByBatch';
import { flagsMissingVaccinator, possibleActions } from '../district/session-actions';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { useDistrictList } from '../map/district-list';
import type { RouteParams } from '../routes';
import type { DashboardBody, SessionLiveView } from '../warroom/dashboard-api';
import { DryRunBanner, DryRunPicker, useDryRunWatch } from '../dryruns/DryRunWatch';

type Translate = ReturnType<typeof useI18n>['t'];

/** An action's label; a closed session's only action is the doses wasted, reported late. */
const actionLabel = (t: Translate, kind: Intervention['kind'], status?: string) =>
  kind === 'close' && status === 'CLOSED' ? t('district.action.reportWastage') : t(`district.action.${kind}`);

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
  const { t } = useI18n();
  const districts = useDistrictList(INDIA_MAP_DATA.districts)
    .filter((d) => stateId === undefined || d.stateId === stateId)
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="page">
      <h1>{t('district.pickTitle')}</h1>
      <label className="inline-field">
        {t('district.pickDistrict')}
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
  const { t, language } = useI18n();
  const [dashboard, setDashboard] = useState<DashboardBody>();
  const [rows, setRows] = useState<ConsoleSession[]>([]);
  const [vaccinators, setVaccinators] = useState<StaffMember[]>([]);
  const [error, setError] = useState<string>();
  const [action, setAction] = useState<{ row: ConsoleSession; kind: Intervention['kind'] }>();
  const [notice, setNotice] = useState<Notice>();
  const [now, setNow] = useState(() => new Date());
  // A notice was written in the language of its moment: another language starts without it.
  useEffect(() => setNotice(undefined), [language]);

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
      setError(errorText(failure));
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
          <h1>{t('district.title', { district: districtName })}</h1>
          <p className="muted">
            {dashboard
              ? t('district.updated', { date: dashboard.date, time: indiaClock(dashboard.asOf) })
              : t('district.loading')}
            {' · '}
            {t('district.liveFeed', { status: t(`district.liveStatus.${live.status}`) })}
            {canPick && (
              <>
                {' · '}
                <a href={hrefForPath('/district')}>{t('district.changeDistrict')}</a>
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
            {t('district.plan')}
          </a>
          <a className="button-secondary" href={hrefForPath('/batches')}>
            {t('stock.openRegistry')}
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
          <strong>{t('district.stalledCount', { count: stalled.length })}</strong>
          <span>
            {stalled
              .map((r) =>
                t('district.stalledItem', {
                  site: r.live.siteName,
                  minutes: r.live.minutesSinceLastDose ?? minutesSince(r.live.lastDoseAt, now) ?? '?',
                }),
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
      {dashboard && rows.length === 0 && <p className="muted">{t('district.noSessions')}</p>}
      <div className="session-cards">
        {rows.map((row) => (
          <SessionCard key={row.live.sessionDayId} row={row} now={now} onAction={(kind) => setAction({ row, kind })} />
        ))}
      </div>
      <TomorrowStock districtId={districtId} token={token} />
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
        <span className={`status-pill status-${live.status.toLowerCase()}`}>{t(`sessionStatus.${live.status}`)}</span>
      </header>
      <p className="muted">
        {live.vaccineCode} · {live.opensAt.slice(0, 5)}–{closingTime(live)}
        {live.extendedUntil && ` ${t('district.extended')}`}
        {plan && plan.team.length > 0 && ` · ${t('district.team', { names: plan.team.map((m) => m.name).join(', ') })}`}
        {plan && plan.team.length === 0 && ` · ${t('district.noTeam')}`}
      </p>
      {vaccinators !== undefined && flagsMissingVaccinator(live, vaccinators, now) && (
        <p className="flag-no-vaccinator" role="alert" data-testid="no-vaccinator">
          {t('district.noVaccinatorFlag', { opens: live.opensAt.slice(0, 5) })}
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
          <dt>{t('district.figures.booked')}</dt>
          <dd>{formatCount(live.booked)}</dd>
        </div>
        <div>
          <dt>{t('district.figures.vaccinated')}</dt>
          <dd data-testid="vaccinated">{formatCount(live.vaccinated)}</dd>
        </div>
        <div>
          <dt>{t('district.figures.noShows')}</dt>
          <dd>{formatCount(live.noShows)}</dd>
        </div>
        <div>
          <dt>{t('district.figures.walkIns')}</dt>
          <dd>{formatCount(live.walkIns)}</dd>
        </div>
      </dl>
      <div className={`pace pace-${verdict}`}>
        <div className="pace-text">
          {t('district.pace', { done: live.vaccinated, planned: live.pace.expectedByNow })}
          {live.pace.dosesPerHour !== null &&
            ` · ${t('district.perHour', { rate: live.pace.dosesPerHour.toFixed(1) })}`}
          {' · '}
          {since === undefined
            ? t('district.notOpenYet')
            : live.lastDoseAt
              ? t('district.lastDose', { minutes: since })
              : t('district.noDoseFor', { minutes: since })}
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
              {actionLabel(t, kind, live.status)}
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
  const { t } = useI18n();
  const choices = extensionChoices(row.live);
  const [minutes, setMinutes] = useState(() => (choices.includes(60) ? 60 : choices[0]));
  const [reason, setReason] = useState('');
  const [moveBookings, setMoveBookings] = useState(true);
  const [staffId, setStaffId] = useState('');
  const [replaces, setReplaces] = useState('');
  const [wastage, setWastage] = useState('');
  const [opened, setOpened] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<BatchProblem[]>([]);
  const closing = useClosingStock(row.live.sessionDayId, token, kind === 'close');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const live: SessionLiveView = row.live;
  const team = row.plan?.team ?? [];
  const label = actionLabel(t, kind, live.status);

  const intervention = ((): Intervention | undefined => {
    switch (kind) {
      case 'extend':
        return minutes !== undefined && choices.includes(minutes) ? { kind, minutes } : undefined;
      case 'pause':
        return reason.trim() ? { kind, reason: reason.trim() } : { kind };
      case 'resume':
        return { kind };
      case 'cancel':
        return reason.trim().length >= 3
          ? { kind, reason: reason.trim(), ...(moveBookings && { moveBookings }) }
          : undefined;
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
        // A day with batches is closed batch by batch; one without (or not yet read) by its wastage alone.
        if (closing.lines?.length) {
          const vials = closingVials(closing.lines, opened);
          return vials ? { kind, vials } : undefined;
        }
        if (closing.lines === undefined && !closing.error) return undefined;
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
      const done = { action: label, site: live.siteName, status: t(`sessionStatus.${result.status}`) };
      onDone({
        text: result.moves
          ? t('district.doneMoved', { ...done, moved: result.moves.moved, released: result.moves.notMoved })
          : kind === 'extend'
            ? t('district.doneExtended', { ...done, time: indiaClock(result.closesAt) })
            : t('district.done', done),
        refused: false,
      });
    } catch (failure) {
      // The server said no (the session closed meanwhile, say): the step is over, and the console says why. With
      // no answer (network, server error) the dialog stays open to try again.
      const batchProblems = batchProblemsOf(failure);
      if (batchProblems?.length) {
        // A close refused batch by batch stays open, each problem beside its batch.
        setProblems(batchProblems);
        closing.reload();
      } else if (failure instanceof ApiError && failure.status >= 400 && failure.status < 500) {
        onDone({ text: t('district.refused', { action: label, reason: errorText(failure) }), refused: true });
      } else {
        setError(errorText(failure));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      title={t('district.dialogTitle', { action: label, site: live.siteName })}
      confirmLabel={
        kind === 'cancel'
          ? moveBookings
            ? t('district.confirmCancelMove')
            : t('district.confirmCancel')
          : t('district.confirm', { action: label })
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
          <p>{t('district.extendIntro', { time: closingTime(live) })}</p>
          {choices.length > 0 ? (
            <label className="inline-field">
              {t('district.extendBy')}
              <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} name="extend-minutes">
                {choices.map((m) => (
                  <option key={m} value={m}>
                    {t('district.extendChoice', { minutes: m })}
                    {m === live.extendableMinutes && ` ${t('district.untilMidnight')}`}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <p className="error-detail">{t('district.atMidnight')}</p>
          )}
        </>
      )}
      {kind === 'pause' && (
        <>
          <p>{t('district.pauseIntro')}</p>
          <label>
            {t('district.reasonOptional')}
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={300} />
          </label>
        </>
      )}
      {kind === 'resume' && <p>{t('district.resumeIntro')}</p>}
      {kind === 'close' && (
        <>
          <p>{live.status === 'CLOSED' ? t('district.closeClosed') : t('district.closeOpen')}</p>
          {closing.error && <p className="error-detail">{closing.error}</p>}
          {closing.lines === undefined && !closing.error && <p className="muted">{t('stock.close.loading')}</p>}
          {closing.lines !== undefined && closing.lines.length > 0 && (
            <CloseByBatch
              lines={closing.lines}
              opened={opened}
              problems={problems}
              onOpened={(batchId, value) => {
                setOpened((before) => ({ ...before, [batchId]: value }));
                setProblems((before) => before.filter((p) => p.batchId !== batchId));
              }}
            />
          )}
          {(closing.error || closing.lines?.length === 0) && (
            <label>
              {t('district.wastage')}
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
          )}
        </>
      )}
      {kind === 'cancel' && (
        <>
          <label className="checkbox-field">
            <input
              type="checkbox"
              checked={moveBookings}
              onChange={(e) => setMoveBookings(e.target.checked)}
              name="move-bookings"
            />
            {t('district.moveBookings')}
          </label>
          <p>
            <strong>{t('district.cancelWarning')}</strong>{' '}
            {moveBookings
              ? t('district.cancelMoveIntro', { count: live.booked })
              : t('district.cancelRelease', { count: live.booked })}
          </p>
          <label>
            {t('district.cancelReason')}
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
            {t('district.vaccinator')}
            <select value={staffId} onChange={(e) => setStaffId(e.target.value)} name="assign-staff">
              <option value="">{t('district.choose')}</option>
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
              {t('district.replaces')}
              <select value={replaces} onChange={(e) => setReplaces(e.target.value)}>
                <option value="">{t('district.replacesNobody')}</option>
                {team.map((m) => (
                  <option key={m.staffId} value={m.staffId}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <p className="muted">{t('district.movedFromOther')}</p>
        </>
      )}
    </ConfirmDialog>
  );
}
