import { DryRunBanner, type DryRunWatch } from '../dryruns/DryRunWatch';
import { useI18n } from '../i18n/useI18n';
import type { ConsoleSession, Intervention } from './api';
import { SessionCard } from './SessionCard';

/** A dry run the officer chose to watch: its own cards, marked, apart from the real ones, on the run's clock. */
export function DryRunSessions({
  body,
  onAction,
}: {
  body: NonNullable<DryRunWatch['body']>;
  onAction: (row: ConsoleSession, kind: Intervention['kind']) => void;
}) {
  const { t } = useI18n();
  const dryRows: ConsoleSession[] = body.sessions.map((live) => ({ live }));
  const dryStalled = dryRows.filter((r) => r.live.status === 'STALLED');
  const dryNow = new Date(body.calendarNow);
  return (
    <section className="dry-run-watch" data-testid="dry-run-watch" aria-label={t('dryRuns.watch.title')}>
      <DryRunBanner body={body} />
      {dryStalled.length > 0 && (
        <p className="alert-banner" role="alert" data-testid="dry-run-stalled">
          {t('dryRuns.watch.stalled', { count: dryStalled.length })}
        </p>
      )}
      {dryRows.length === 0 && <p className="muted">{t('dryRuns.watch.noSessions')}</p>}
      <div className="session-cards">
        {dryRows.map((row) => (
          <SessionCard key={row.live.sessionDayId} row={row} now={dryNow} onAction={(kind) => onAction(row, kind)} />
        ))}
      </div>
    </section>
  );
}
