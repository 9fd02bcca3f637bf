import { useState } from 'react';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { captureDose } from '../offline/desk-store';
import type { DeskSession } from './api';
import { reasonText, type DeskMessage } from './messages';
import type { DoseBatch } from './useDoseBatch';
import type { Checked } from './useIdentityCheck';

/**
 * The dose for a person whose identity is checked: the batch (picked from those issued, or typed) and the button
 * that records it, at once when online, else on the phone to sync later. The record names how identity was
 * checked, so the server can check it again.
 */
export function DoseForm({
  session,
  token,
  referenceId,
  checked,
  name,
  due,
  batch: { batch, setBatch, issued, remember },
  onMessage,
  onRecorded,
}: {
  session: DeskSession;
  token: string;
  referenceId: string;
  checked: Checked;
  /** The person's name as the list (or the walk-in) gave it. */
  name: string | undefined;
  due: number | null;
  batch: DoseBatch;
  onMessage: (message: DeskMessage | undefined) => void;
  onRecorded: () => void;
}) {
  const { t, formatDate } = useI18n();
  const [busy, setBusy] = useState(false);

  async function record() {
    setBusy(true);
    remember();
    const displayName = (checked.kind === 'server' ? checked.verification.person.name : name) ?? referenceId;
    try {
      const saved = await captureDose(
        {
          referenceId,
          sessionDayId: session.sessionDayId,
          vaccineCode: session.vaccineCode,
          batch: batch.trim(),
          ...(checked.kind === 'device' ? { secretCode: checked.secretCode } : {}),
          ...(checked.kind === 'server' ? { verificationId: checked.verification.verificationId } : {}),
          ...(checked.kind === 'door' ? { verificationId: checked.verificationId } : {}),
          ...(checked.kind === 'walk-in' ? { walkInClientEventId: checked.clientEventId } : {}),
          displayName,
        },
        token,
      );
      if (saved.status === 'synced')
        onMessage({ tone: 'ok', text: t('desk.record.recorded', { dose: saved.doseNumber ?? '', name: displayName }) });
      else if (saved.status === 'rejected')
        onMessage({ tone: 'error', text: t('desk.record.rejected', { reason: reasonText(saved) }) });
      else
        onMessage({
          tone: 'pending',
          text: t('desk.record.savedOnPhone', { name: displayName }),
          clientEventId: saved.clientEventId,
          name: displayName,
        });
      if (saved.status !== 'rejected') onRecorded();
    } catch (failure) {
      onMessage({ tone: 'error', text: errorText(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="form">
      <label>
        {t('desk.record.batch')}
        {issued.length > 0 ? (
          <select name="batch" value={batch} onChange={(e) => setBatch(e.target.value)} data-testid="batch-pick">
            {issued.map((b) => (
              <option key={b.batchNumber} value={b.batchNumber}>
                {t('desk.record.batchOption', { number: b.batchNumber, date: formatDate(b.expiresOn) })}
              </option>
            ))}
          </select>
        ) : (
          <input
            name="batch"
            required
            pattern="[A-Za-z0-9][A-Za-z0-9/_.\-]{0,39}"
            value={batch}
            onChange={(e) => setBatch(e.target.value)}
          />
        )}
      </label>
      <button
        type="button"
        className="button-primary button-big"
        disabled={busy || !batch.trim()}
        onClick={() => void record()}
        data-testid="record-dose"
      >
        {due
          ? t('desk.record.button', { dose: due, vaccine: session.vaccineName })
          : t('desk.record.buttonAny', { vaccine: session.vaccineName })}
      </button>
    </div>
  );
}
