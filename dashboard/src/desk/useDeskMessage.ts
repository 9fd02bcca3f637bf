import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/useI18n';
import type { QueuedRecord } from '../offline/queue-logic';
import { matchedWalkInText, reasonText, type DeskMessage } from './messages';

/**
 * The desk's message line. A "saved on this phone" message gives way to "synced" once its record reaches the
 * server (or to its refusal); a message was written in the language of its moment, so another language clears it.
 */
export function useDeskMessage(records: readonly QueuedRecord[]) {
  const { t, language } = useI18n();
  const [message, setMessage] = useState<DeskMessage>();

  useEffect(() => {
    if (!message?.clientEventId) return;
    const record = records.find((r) => r.clientEventId === message.clientEventId);
    if (record?.status === 'synced' && record.kind === 'WALKIN' && record.matchedRegistration)
      setMessage({
        tone: record.matchedRegistration.differs.length ? 'pending' : 'ok',
        text: matchedWalkInText(t, message.name ?? '', record.referenceId ?? '', record.matchedRegistration),
      });
    else if (record?.status === 'synced')
      setMessage({
        tone: 'ok',
        text:
          record.kind === 'WALKIN'
            ? t('desk.walkIn.synced', { name: message.name ?? '', referenceId: record.referenceId ?? '' })
            : t('desk.record.synced', { name: message.name ?? record.capture.referenceId }),
      });
    else if (record?.status === 'rejected')
      setMessage({ tone: 'error', text: t('desk.record.rejected', { reason: reasonText(record) }) });
  }, [records, message, t]);

  useEffect(() => setMessage(undefined), [language]);

  return [message, setMessage] as const;
}
