import { useI18n } from '../i18n/useI18n';

/** How many records wait on the phone, reached the server, or were refused. */
export function QueueSummary({ pending, synced, rejected }: { pending: number; synced: number; rejected: number }) {
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
