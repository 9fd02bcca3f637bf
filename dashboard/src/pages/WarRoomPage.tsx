import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { homeWarRoom, mayView, type WarRoomView } from '../auth/permissions';
import { forgetStaffSessionIf, useStaffSession } from '../auth/staff-session';
import { errorMessage, formatCount, formatPercent, indiaClockSeconds, minutesSince } from '../format';
import { hrefForPath } from '../hooks/useHashPath';
import { useI18n } from '../i18n/useI18n';
import { useLiveRoom, type LiveStatus } from '../live/useLiveRoom';
import { coveragePercent } from '../map/colour-scale';
import { useDistrictList } from '../map/district-list';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { IndiaMap, type CoverageMeasure } from '../map/IndiaMap';
import type { RouteParams } from '../routes';
import { coverageChartUnit, CumulativeCoverageChart, DosesPerHourChart } from '../warroom/Charts';
import { fetchDashboard, normaliseDashboard, roomOf, type DashboardBody } from '../warroom/dashboard-api';
import { applyCoverage, applyLiveEvent, laterOf } from '../warroom/live-model';
import type { SessionRow, WarRoomSnapshot } from '../warroom/types';
import { DryRunPicker, DryRunSessionsPanel, useDryRunWatch } from '../dryruns/DryRunWatch';

const stateName = (stateId: number, language: string) => {
  const state = INDIA_MAP_DATA.states.find((s) => s.id === stateId);
  return (language === 'hi' ? state?.nameHi : state?.name) ?? state?.name ?? `State ${stateId}`;
};
/** The live feed corrects small drifts; a fresh read now and then makes sure nothing drifts for long. */
const RECONCILE_MS = 60_000;

export function viewFromParams(params: RouteParams): WarRoomView | undefined {
  const id = Number(params.id);
  if (params.level === 'state' && Number.isInteger(id)) return { level: 'state', id };
  if (params.level === 'district' && Number.isInteger(id)) return { level: 'district', id };
  return undefined;
}

export function WarRoomPage({ params }: { params: RouteParams }) {
  const session = useStaffSession();
  const staff = session?.staff;
  const { t } = useI18n();
  // The current list: a district imported after the map data was generated is in its state too.
  const districtList = useDistrictList(INDIA_MAP_DATA.districts);
  const stateOfDistrict = useCallback(
    (districtId: number) => districtList.find((d) => d.id === districtId)?.stateId,
    [districtList],
  );
  const view = useMemo(() => viewFromParams(params) ?? (staff ? homeWarRoom(staff) : undefined), [params, staff]);
  const viewKey = view ? roomOf(view) : undefined;
  const allowed = staff && view ? mayView(staff, view, stateOfDistrict) : false;

  const [snapshot, setSnapshot] = useState<WarRoomSnapshot>();
  const [error, setError] = useState<string>();
  const [measure, setMeasure] = useState<CoverageMeasure>('dose1');
  const [now, setNow] = useState(() => new Date());
  const viewRef = useRef(viewKey);
  viewRef.current = viewKey;

  const load = useCallback(async () => {
    if (!view || !session || !allowed) return;
    try {
      const fresh = await fetchDashboard(view, session.token);
      if (viewRef.current === roomOf(view)) {
        setSnapshot(fresh);
        setError(undefined);
      }
    } catch (failure) {
      forgetStaffSessionIf(failure);
      setError(errorMessage(failure));
    }
  }, [viewKey, session?.token, allowed]); // view itself changes identity each render; viewKey says when it changed

  useEffect(() => {
    setSnapshot(undefined);
    void load();
    const timer = window.setInterval(() => void load(), RECONCILE_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  useEffect(() => {
    // Every 5 s: the "as of" time of a live screen and the minutes since a stalled session's last dose.
    const timer = window.setInterval(() => setNow(new Date()), 5_000);
    return () => window.clearInterval(timer);
  }, []);

  const live = useLiveRoom(allowed ? viewKey : undefined, session?.token, {
    onSnapshot: (message) => setSnapshot(normaliseDashboard(message.data as DashboardBody)),
    onCoverage: (message) => setSnapshot((current) => (current ? applyCoverage(current, message) : current)),
    onEvent: (event) => {
      setSnapshot((current) => (current ? applyLiveEvent(current, event) : current));
      // A session changing state may be one this screen does not list yet: read the lists again soon.
      if (event.type === 'session.status') window.setTimeout(() => void load(), 500);
    },
  });
  // A dry run of this area the officer chose to watch: shown in its own marked panel, never in the figures.
  const watch = useDryRunWatch(
    allowed ? (session?.token ?? '') : '',
    view?.level === 'district' ? { districtId: view.id } : view?.level === 'state' ? { stateId: view.id } : {},
  );

  if (!staff) return null;
  if (!view) return <p className="page">{t('warroom.war.noWarRoom')}</p>;
  if (!allowed) {
    return (
      <section className="page">
        <h1>{t('warroom.war.outside')}</h1>
        <p>
          <a href={hrefForPath('/war-room')}>{t('warroom.war.back')}</a>
        </p>
      </section>
    );
  }

  const go = (target: WarRoomView) => {
    if (mayView(staff, target, stateOfDistrict))
      window.location.hash = hrefForPath(
        target.level === 'national' ? '/war-room' : `/war-room/${target.level}/${target.id}`,
      );
  };
  const stateId = view.level === 'state' ? view.id : view.level === 'district' ? stateOfDistrict(view.id) : undefined;

  return (
    <section className="wall" aria-busy={!snapshot}>
      <header className="wall-header">
        <Breadcrumb
          view={view}
          snapshot={snapshot}
          stateId={stateId}
          go={go}
          canNational={staff.role === 'NATIONAL_ADMIN'}
          canState={staff.role !== 'DISTRICT_OFFICER'}
        />
        <div className="wall-tools">
          <div className="segmented" role="group" aria-label={t('warroom.war.measure')}>
            <button type="button" aria-pressed={measure === 'dose1'} onClick={() => setMeasure('dose1')}>
              {t('warroom.war.dose1')}
            </button>
            <button type="button" aria-pressed={measure === 'fully'} onClick={() => setMeasure('fully')}>
              {t('warroom.war.fully')}
            </button>
          </div>
          <DryRunPicker watch={watch} />
          <LiveBadge
            status={live.status}
            detail={live.detail}
            // While the feed is live the screen is current up to now; otherwise as of the last read or message.
            asOf={
              snapshot &&
              (live.status === 'live' ? laterOf(snapshot.generatedAt, now.toISOString()) : snapshot.generatedAt)
            }
          />
        </div>
      </header>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      {watch.body && <DryRunSessionsPanel body={watch.body} />}
      {snapshot && (
        <>
          <Kpis snapshot={snapshot} />
          <div className="wall-grid">
            <div className={`wall-map panel${view.level === 'district' ? ' with-sessions' : ''}`}>
              <IndiaMap
                level={view.level}
                stateId={stateId}
                districtId={view.level === 'district' ? view.id : undefined}
                states={snapshot.states}
                districts={snapshot.districts}
                sites={view.level === 'district' ? snapshot.sessions : undefined}
                measure={measure}
                onSelectState={view.level === 'national' ? (id) => go({ level: 'state', id }) : undefined}
                onSelectDistrict={(id) => go({ level: 'district', id })}
              />
              {view.level === 'district' && <SessionsTable sessions={snapshot.sessions} now={now} />}
            </div>
            <div className="wall-side">
              <CoverageSummary snapshot={snapshot} />
              <div className="panel chart-panel" data-testid="chart-doses-per-hour">
                <h2>{t('warroom.war.dosesPerHour')}</h2>
                <div className="chart-box">
                  <DosesPerHourChart hourly={snapshot.hourly} />
                </div>
              </div>
              <div className="panel chart-panel" data-testid="chart-coverage-30-days">
                <h2>
                  {t('warroom.war.coverage30')} (
                  {coverageChartUnit(snapshot.cumulative, snapshot.coverage.target) === 'percent'
                    ? t('warroom.war.ofTarget')
                    : t('warroom.chart.peopleAxis')}
                  )
                </h2>
                <div className="chart-box">
                  <CumulativeCoverageChart points={snapshot.cumulative} target={snapshot.coverage.target} />
                </div>
              </div>
              <StalledList stalled={snapshot.stalled} now={now} total={snapshot.kpis.stalledSessions} />
            </div>
          </div>
        </>
      )}
      {!snapshot && !error && <p className="wall-loading">{t('warroom.war.loading')}</p>}
    </section>
  );
}

function Breadcrumb({
  view,
  snapshot,
  stateId,
  go,
  canNational,
  canState,
}: {
  view: WarRoomView;
  snapshot?: WarRoomSnapshot;
  stateId?: number;
  go: (v: WarRoomView) => void;
  canNational: boolean;
  canState: boolean;
}) {
  const { t, language } = useI18n();
  const crumbs: Array<{ label: string; target?: WarRoomView }> = [
    { label: t('warroom.war.india'), target: canNational ? { level: 'national' } : undefined },
  ];
  if (stateId !== undefined)
    crumbs.push({
      label: stateName(stateId, language),
      target: canState ? { level: 'state', id: stateId } : undefined,
    });
  if (view.level === 'district')
    crumbs.push({ label: snapshot?.name ?? INDIA_MAP_DATA.districts.find((d) => d.id === view.id)?.name ?? '' });
  return (
    <nav aria-label="Level" className="breadcrumb">
      <h1>
        {crumbs.map((crumb, i) => {
          const last = i === crumbs.length - 1;
          return (
            <span key={crumb.label + i}>
              {i > 0 && <span className="crumb-sep"> › </span>}
              {!last && crumb.target ? (
                <button type="button" className="crumb-link" onClick={() => go(crumb.target!)}>
                  {crumb.label}
                </button>
              ) : (
                <span className={last ? 'crumb-current' : undefined}>{crumb.label}</span>
              )}
            </span>
          );
        })}
      </h1>
      <span className="wall-subtitle">
        {t('warroom.war.title')}
        {view.level !== 'district' ? ` · ${t('warroom.war.drill')}` : ''}
      </span>
    </nav>
  );
}

function LiveBadge({ status, detail, asOf }: { status: LiveStatus; detail?: string; asOf?: string }) {
  const { t } = useI18n();
  const label =
    status === 'live'
      ? t('warroom.war.live')
      : status === 'connecting'
        ? t('warroom.war.connecting')
        : status === 'refused'
          ? t('warroom.war.noFeed')
          : t('warroom.war.offline');
  return (
    <div className={`live-badge live-${status}`} role="status" title={detail}>
      <span className="live-dot" aria-hidden="true" />
      {label}
      {asOf && (
        <span className="live-asof" data-testid="as-of" data-as-of={asOf}>
          {t('warroom.war.asOf', { time: indiaClockSeconds(asOf) })}
        </span>
      )}
    </div>
  );
}

function Kpis({ snapshot }: { snapshot: WarRoomSnapshot }) {
  const { t } = useI18n();
  const { kpis } = snapshot;
  const items = [
    { key: 'doses-today', label: t('warroom.kpi.dosesToday'), value: kpis.dosesToday },
    { key: 'doses-hour', label: t('warroom.kpi.dosesHour'), value: kpis.dosesThisHour },
    { key: 'live-sessions', label: t('warroom.kpi.liveSessions'), value: kpis.liveSessions },
    {
      key: 'stalled-sessions',
      label: t('warroom.kpi.stalled'),
      value: kpis.stalledSessions,
      alert: kpis.stalledSessions > 0,
    },
    {
      key: 'registrations',
      label: t('warroom.kpi.registrations'),
      value: kpis.registrationsToday,
      // People carry no address: below national level they count where they first booked or were vaccinated.
      note: snapshot.level === 'national' ? undefined : t('warroom.kpi.registrationsHere'),
    },
  ];
  return (
    <dl className="kpi-row">
      {items.map((item) => (
        <div
          key={item.key}
          className={`kpi${item.alert ? ' kpi-alert' : ''}`}
          data-testid={`kpi-${item.key}`}
          data-value={item.value ?? ''}
        >
          <dt>{item.label}</dt>
          <dd>{formatCount(item.value)}</dd>
          {item.note && <span className="kpi-note">{item.note}</span>}
        </div>
      ))}
    </dl>
  );
}

function CoverageSummary({ snapshot }: { snapshot: WarRoomSnapshot }) {
  const { t } = useI18n();
  const { coverage } = snapshot;
  const people = (count: number) =>
    `${formatCount(count)} ${count === 1 ? t('warroom.war.person') : t('warroom.war.people')}`;
  const dose1 = coveragePercent(coverage.dose1, coverage.target);
  const fully = coveragePercent(coverage.fully, coverage.target);
  return (
    <div className="panel coverage-summary">
      <div className="coverage-figure">
        <span className="coverage-label">{t('warroom.war.dose1')}</span>
        <span className="coverage-value" data-testid="coverage-dose1">
          {formatPercent(dose1)}
        </span>
        <span className="coverage-count">{people(coverage.dose1)}</span>
      </div>
      <div className="coverage-figure">
        <span className="coverage-label">{t('warroom.war.fully')}</span>
        <span className="coverage-value">{formatPercent(fully)}</span>
        <span className="coverage-count">{people(coverage.fully)}</span>
      </div>
      <p className="coverage-target">
        {t('warroom.war.ofTargetPopulation', { count: coverage.target })}
        {coverage.targetIsDemo && <span className="demo-flag">{t('warroom.war.demoTarget')}</span>}
      </p>
    </div>
  );
}

function StalledList({ stalled, now, total }: { stalled: readonly SessionRow[]; now: Date; total: number }) {
  const { t } = useI18n();
  return (
    <section
      className={`panel stalled-panel${stalled.length ? ' has-stalled' : ''}`}
      aria-labelledby="stalled-title"
      data-testid="stalled-panel"
    >
      <h2 id="stalled-title">
        {t('warroom.war.stalledTitle')}{' '}
        {total > stalled.length ? t('warroom.war.showing', { shown: stalled.length, total }) : ''}
      </h2>
      {stalled.length === 0 ? (
        <p className="all-clear">{t('warroom.war.allClear')}</p>
      ) : (
        <ul className="stalled-list">
          {[...stalled]
            .sort(
              (a, b) => (minutesSince(b.lastDoseAt, now) ?? Infinity) - (minutesSince(a.lastDoseAt, now) ?? Infinity),
            )
            .map((row) => {
              const minutes = minutesSince(row.lastDoseAt, now);
              return (
                <li key={row.sessionDayId} className="stalled-item" data-testid="stalled-session">
                  <span className="stalled-since">
                    {minutes === undefined ? t('warroom.war.noDoseYet') : t('warroom.war.minutes', { count: minutes })}
                  </span>
                  <span className="stalled-site">{row.siteName}</span>
                  <span className="stalled-district">{row.districtName}</span>
                  <span className="stalled-count">
                    {formatCount(row.dosesRecorded)} / {formatCount(row.booked)} {t('warroom.war.booked')}
                  </span>
                </li>
              );
            })}
        </ul>
      )}
    </section>
  );
}

function SessionsTable({ sessions, now }: { sessions: readonly SessionRow[]; now: Date }) {
  const { t } = useI18n();
  return (
    <section className="sessions-panel">
      <h2>{t('warroom.war.todaysSessions', { count: sessions.length })}</h2>
      {sessions.length === 0 && <p className="muted">{t('warroom.war.noSessions')}</p>}
      <table className="data-table wall-table">
        <thead>
          <tr>
            <th>{t('warroom.war.site')}</th>
            <th>{t('warroom.war.status')}</th>
            <th>{t('warroom.war.vaccinatedCol')}</th>
            <th>{t('warroom.war.bookedCol')}</th>
            <th>{t('warroom.war.lastDose')}</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.sessionDayId} className={s.status === 'STALLED' ? 'row-alert' : undefined}>
              <td>{s.siteName}</td>
              <td>
                <span className={`status-pill status-${s.status.toLowerCase()}`}>{s.status}</span>
              </td>
              <td>{formatCount(s.dosesRecorded)}</td>
              <td>{formatCount(s.booked)}</td>
              <td>
                {s.lastDoseAt ? t('warroom.war.minutesAgo', { count: minutesSince(s.lastDoseAt, now) ?? 0 }) : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
