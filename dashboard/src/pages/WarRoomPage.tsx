import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { homeWarRoom, mayView, type WarRoomView } from '../auth/permissions';
import { forgetStaffSessionIf, useStaffSession } from '../auth/staff-session';
import { errorMessage, formatCount, formatPercent, indiaClock, minutesSince } from '../format';
import { hrefForPath } from '../hooks/useHashPath';
import { useLiveRoom, type LiveStatus } from '../live/useLiveRoom';
import { coveragePercent } from '../map/colour-scale';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { IndiaMap, type CoverageMeasure } from '../map/IndiaMap';
import type { RouteParams } from '../routes';
import { CumulativeCoverageChart, DosesPerHourChart } from '../warroom/Charts';
import { fetchDashboard, normaliseDashboard, roomOf, type DashboardBody } from '../warroom/dashboard-api';
import { applyCoverage, applyLiveEvent } from '../warroom/live-model';
import type { SessionRow, WarRoomSnapshot } from '../warroom/types';

const stateOfDistrict = (districtId: number) => INDIA_MAP_DATA.districts.find((d) => d.id === districtId)?.stateId;
const stateName = (stateId: number) => INDIA_MAP_DATA.states.find((s) => s.id === stateId)?.name ?? `State ${stateId}`;
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
  }, [viewKey, session?.token, allowed]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    setSnapshot(undefined);
    void load();
    const timer = window.setInterval(() => void load(), RECONCILE_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 15_000);
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

  if (!staff) return null;
  if (!view) return <p className="page">Your role has no war room.</p>;
  if (!allowed) {
    return (
      <section className="page">
        <h1>Outside your jurisdiction</h1>
        <p>
          <a href={hrefForPath('/war-room')}>Back to your war room</a>
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
          <div className="segmented" role="group" aria-label="Coverage measure">
            <button type="button" aria-pressed={measure === 'dose1'} onClick={() => setMeasure('dose1')}>
              Dose 1
            </button>
            <button type="button" aria-pressed={measure === 'fully'} onClick={() => setMeasure('fully')}>
              Fully vaccinated
            </button>
          </div>
          <LiveBadge status={live.status} detail={live.detail} asOf={snapshot?.generatedAt} />
        </div>
      </header>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
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
              <div className="panel chart-panel">
                <h2>Doses per hour today</h2>
                <div className="chart-box">
                  <DosesPerHourChart hourly={snapshot.hourly} />
                </div>
              </div>
              <div className="panel chart-panel">
                <h2>Coverage, last 30 days {snapshot.coverage.target > 0 ? '(% of target)' : ''}</h2>
                <div className="chart-box">
                  <CumulativeCoverageChart points={snapshot.cumulative} target={snapshot.coverage.target} />
                </div>
              </div>
              <StalledList stalled={snapshot.stalled} now={now} total={snapshot.kpis.stalledSessions} />
            </div>
          </div>
        </>
      )}
      {!snapshot && !error && <p className="wall-loading">Loading the war room…</p>}
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
  const crumbs: Array<{ label: string; target?: WarRoomView }> = [
    { label: 'India', target: canNational ? { level: 'national' } : undefined },
  ];
  if (stateId !== undefined)
    crumbs.push({ label: stateName(stateId), target: canState ? { level: 'state', id: stateId } : undefined });
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
      <span className="wall-subtitle">War room{view.level !== 'district' ? ' · click the map to drill down' : ''}</span>
    </nav>
  );
}

function LiveBadge({ status, detail, asOf }: { status: LiveStatus; detail?: string; asOf?: string }) {
  const label =
    status === 'live'
      ? 'LIVE'
      : status === 'connecting'
        ? 'CONNECTING'
        : status === 'refused'
          ? 'NO LIVE FEED'
          : 'OFFLINE';
  return (
    <div className={`live-badge live-${status}`} role="status" title={detail}>
      <span className="live-dot" aria-hidden="true" />
      {label}
      {asOf && <span className="live-asof">as of {indiaClock(asOf)} IST</span>}
    </div>
  );
}

function Kpis({ snapshot }: { snapshot: WarRoomSnapshot }) {
  const { kpis } = snapshot;
  const items = [
    { key: 'doses-today', label: 'Doses today', value: kpis.dosesToday },
    { key: 'doses-hour', label: 'Doses this hour', value: kpis.dosesThisHour },
    { key: 'live-sessions', label: 'Live sessions', value: kpis.liveSessions },
    {
      key: 'stalled-sessions',
      label: 'Stalled sessions',
      value: kpis.stalledSessions,
      alert: kpis.stalledSessions > 0,
    },
    {
      key: 'registrations',
      label: 'Registrations today',
      value: kpis.registrationsToday,
      note: kpis.registrationsToday === null ? 'national figure only' : undefined,
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
  const { coverage } = snapshot;
  const dose1 = coveragePercent(coverage.dose1, coverage.target);
  const fully = coveragePercent(coverage.fully, coverage.target);
  return (
    <div className="panel coverage-summary">
      <div className="coverage-figure">
        <span className="coverage-label">Dose 1</span>
        <span className="coverage-value" data-testid="coverage-dose1">
          {formatPercent(dose1)}
        </span>
        <span className="coverage-count">{people(coverage.dose1)}</span>
      </div>
      <div className="coverage-figure">
        <span className="coverage-label">Fully vaccinated</span>
        <span className="coverage-value">{formatPercent(fully)}</span>
        <span className="coverage-count">{people(coverage.fully)}</span>
      </div>
      <p className="coverage-target">
        of {formatCount(coverage.target)} target population
        {coverage.targetIsDemo && <span className="demo-flag">DEMO TARGET</span>}
      </p>
    </div>
  );
}

function people(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'person' : 'people'}`;
}

function StalledList({ stalled, now, total }: { stalled: readonly SessionRow[]; now: Date; total: number }) {
  return (
    <section className={`panel stalled-panel${stalled.length ? ' has-stalled' : ''}`} aria-labelledby="stalled-title">
      <h2 id="stalled-title">
        Stalled sessions {total > stalled.length ? `(showing ${stalled.length} of ${total})` : ''}
      </h2>
      {stalled.length === 0 ? (
        <p className="all-clear">✓ No stalled sessions</p>
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
                  <span className="stalled-since">{minutes === undefined ? 'no dose yet' : `${minutes} min`}</span>
                  <span className="stalled-site">{row.siteName}</span>
                  <span className="stalled-district">{row.districtName}</span>
                  <span className="stalled-count">
                    {formatCount(row.dosesRecorded)} / {formatCount(row.booked)} booked
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
  return (
    <section className="sessions-panel">
      <h2>Today's sessions ({sessions.length})</h2>
      {sessions.length === 0 && <p className="muted">No session days today.</p>}
      <table className="data-table wall-table">
        <thead>
          <tr>
            <th>Site</th>
            <th>Status</th>
            <th>Vaccinated</th>
            <th>Booked</th>
            <th>Last dose</th>
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
              <td>{s.lastDoseAt ? `${minutesSince(s.lastDoseAt, now)} min ago` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
