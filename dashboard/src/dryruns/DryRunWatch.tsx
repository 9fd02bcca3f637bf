/**
 * Watching a dry run live from the war room or the district console: the officer picks one of today's dry runs,
 * and its session days are shown in a panel of their own, marked as a dry run, read from
 * GET /api/v1/dry-runs/:id/sessions. The real figures beside it never include them (the real dashboards leave dry
 * runs out on the server); nothing here is added to anything real. A simulation is read on its own compressed clock.
 */
import { useCallback, useEffect, useState } from 'react';
import type { DryRunViewBody, DryRunSessionsBody } from '../../../api/schemas/dry-runs';
import { indiaDate } from '../../../domain/time';
import { apiGet } from '../api/client';
import { errorMessage, formatCount, indiaClock, minutesSince } from '../format';
import { useI18n } from '../i18n/useI18n';

/** A simulation's day passes in minutes: look again every few seconds while one is watched. */
const WATCH_EVERY_MS = 3_000;

export interface DryRunWatch {
  runs: DryRunViewBody[];
  chosen: string;
  choose(id: string): void;
  body?: DryRunSessionsBody;
  error?: string;
  reload(): Promise<void>;
}

/** Today's dry runs of a district, a state, or everywhere the officer may see; and the one being watched. */
export function useDryRunWatch(token: string, scope: { districtId?: number; stateId?: number }): DryRunWatch {
  const [runs, setRuns] = useState<DryRunViewBody[]>([]);
  const [chosen, setChosen] = useState('');
  const [body, setBody] = useState<DryRunSessionsBody>();
  const [error, setError] = useState<string>();
  const query =
    scope.districtId !== undefined
      ? `?districtId=${scope.districtId}`
      : scope.stateId !== undefined
        ? `?stateId=${scope.stateId}`
        : '';

  useEffect(() => {
    setChosen('');
    if (!token) return setRuns([]);
    let gone = false;
    apiGet<{ dryRuns: DryRunViewBody[] }>(`/api/v1/dry-runs${query}`, { token }).then(
      (list) => !gone && setRuns(list.dryRuns.filter((r) => r.date === indiaDate())),
      // Not an officer of this area, or no dry runs to offer: the picker stays empty.
      () => !gone && setRuns([]),
    );
    return () => {
      gone = true;
    };
  }, [query, token]);

  const reload = useCallback(async () => {
    if (!chosen) return setBody(undefined);
    try {
      const fresh = await apiGet<DryRunSessionsBody>(`/api/v1/dry-runs/${chosen}/sessions`, { token });
      setBody(fresh.dryRun.id === chosen ? fresh : undefined);
      setError(undefined);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }, [chosen, token]);

  useEffect(() => {
    setBody(undefined);
    if (!chosen) return;
    void reload();
    const timer = window.setInterval(() => void reload(), WATCH_EVERY_MS);
    return () => window.clearInterval(timer);
  }, [chosen, reload]);

  return { runs, chosen, choose: setChosen, body: body?.dryRun.id === chosen ? body : undefined, error, reload };
}

/** The choice: real sessions only (the default), or one of today's dry runs. Absent when there is none today. */
export function DryRunPicker({ watch }: { watch: DryRunWatch }) {
  const { t } = useI18n();
  if (watch.runs.length === 0) return null;
  return (
    <label className="inline-field dry-run-picker">
      {t('dryRuns.watch.pick')}
      <select value={watch.chosen} onChange={(e) => watch.choose(e.target.value)} data-testid="dry-run-picker">
        <option value="">{t('dryRuns.watch.realOnly')}</option>
        {watch.runs.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name} ({t(`dryRuns.modes.${r.mode}`)}, {t(`dryRuns.statuses.${r.status}`)})
          </option>
        ))}
      </select>
    </label>
  );
}

/** The mark over a watched dry run: its name, that it is a rehearsal counted nowhere, and its clock. */
export function DryRunBanner({ body }: { body: DryRunSessionsBody }) {
  const { t } = useI18n();
  return (
    <div className="dry-run-watch-banner" role="status" data-testid="dry-run-watch-banner">
      <strong>{t('dryRuns.watch.banner', { name: body.dryRun.name })}</strong>
      <span>{t('dryRuns.watch.notReal')}</span>
      <span className="dry-run-clock">
        {body.clock === 'SIMULATED'
          ? t('dryRuns.watch.simulatedClock', { time: indiaClock(body.calendarNow) })
          : t('dryRuns.watch.realClock')}
        {' · '}
        {t(`dryRuns.statuses.${body.dryRun.status}`)}
      </span>
    </div>
  );
}

/** The war room's view of a watched dry run: its sessions as the wall shows a day's, stalls first. */
export function DryRunSessionsPanel({ body }: { body: DryRunSessionsBody }) {
  const { t } = useI18n();
  const now = new Date(body.calendarNow);
  const stalled = body.sessions.filter((s) => s.status === 'STALLED');
  const sessions = [...stalled, ...body.sessions.filter((s) => s.status !== 'STALLED')];
  return (
    <section className="panel dry-run-watch" data-testid="dry-run-watch">
      <DryRunBanner body={body} />
      {stalled.length > 0 && (
        <p className="alert-banner" role="alert" data-testid="dry-run-stalled">
          {t('dryRuns.watch.stalled', { count: stalled.length })}
        </p>
      )}
      {sessions.length === 0 ? (
        <p className="muted">{t('dryRuns.watch.noSessions')}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table wall-table">
            <thead>
              <tr>
                <th>{t('dryRuns.watch.site')}</th>
                <th>{t('dryRuns.watch.status')}</th>
                <th>{t('dryRuns.watch.vaccinated')}</th>
                <th>{t('dryRuns.watch.booked')}</th>
                <th>{t('dryRuns.watch.lastDose')}</th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => {
                const since = s.minutesSinceLastDose ?? minutesSince(s.lastDoseAt, now);
                return (
                  <tr
                    key={s.sessionDayId}
                    className={s.status === 'STALLED' ? 'row-alert' : undefined}
                    data-testid="dry-run-session"
                    data-status={s.status}
                  >
                    <td>{s.siteName}</td>
                    <td>
                      <span className={`status-pill status-${s.status.toLowerCase()}`}>{s.status}</span>
                      {s.status === 'STALLED' && s.stallReason && (
                        <span className="stall-reason">
                          {' '}
                          {t(`district.stallReason.${s.stallReason}`, {
                            minutes: since ?? 0,
                            done: s.vaccinated,
                            planned: s.pace.expectedByNow,
                          })}
                        </span>
                      )}
                    </td>
                    <td>{formatCount(s.vaccinated)}</td>
                    <td>{formatCount(s.booked)}</td>
                    <td>{s.lastDoseAt ? t('dryRuns.watch.minutesAgo', { count: since ?? 0 }) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
