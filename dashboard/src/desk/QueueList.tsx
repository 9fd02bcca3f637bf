import { indiaClock } from '../format';
import { useI18n } from '../i18n/useI18n';
import type { QueuedRecord } from '../offline/queue-logic';
import { matchedWalkInText, reasonText } from './messages';

/** Every record captured on this phone with its status, and a button to sync now. */
export function QueueList({
  records,
  online,
  onSync,
}: {
  records: QueuedRecord[];
  online: boolean;
  onSync: () => void;
}) {
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
