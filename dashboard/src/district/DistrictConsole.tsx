import { useEffect, useState } from 'react';
import { useDryRunWatch } from '../dryruns/DryRunWatch';
import { minutesSince } from '../format';
import { useI18n } from '../i18n/useI18n';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { TomorrowStock } from '../stock/TomorrowStock';
import { AefiAlerts } from './AefiAlerts';
import type { ConsoleSession, Intervention } from './api';
import { ConsoleHeader } from './ConsoleHeader';
import { DryRunSessions } from './DryRunSessions';
import { InterventionDialog, type Notice } from './InterventionDialog';
import { SessionCard } from './SessionCard';
import { useConsoleSessions } from './useConsoleSessions';

/**
 * A district's console: today's sessions as cards (status, pace, team), stalled ones called out, AEFI alerts, a dry
 * run to watch, tomorrow's stock, and the interventions an officer makes on a session (extend, pause, cancel...).
 */
export function DistrictConsole({
  districtId,
  token,
  canPick,
}: {
  districtId: number;
  token: string;
  canPick: boolean;
}) {
  const { t, language } = useI18n();
  const { dashboard, rows, vaccinators, error, now, load, aefi, live } = useConsoleSessions(districtId, token);
  const [action, setAction] = useState<{ row: ConsoleSession; kind: Intervention['kind'] }>();
  const [notice, setNotice] = useState<Notice>();
  // A notice was written in the language of its moment: another language starts without it.
  useEffect(() => setNotice(undefined), [language]);

  const stalled = rows.filter((r) => r.live.status === 'STALLED');
  // A dry run the officer chose to watch: its own cards, marked, apart from the real ones.
  const watch = useDryRunWatch(token, { districtId });
  const districtName =
    dashboard?.scope.name ??
    INDIA_MAP_DATA.districts.find((d) => d.id === districtId)?.name ??
    `District ${districtId}`;

  return (
    <section className="page console">
      <ConsoleHeader
        districtName={districtName}
        dashboard={dashboard}
        liveStatus={live.status}
        canPick={canPick}
        watch={watch}
      />
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
      {watch.body && <DryRunSessions body={watch.body} onAction={(row, kind) => setAction({ row, kind })} />}
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
