import { useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { captureAefi } from '../offline/desk-store';
import { AEFI_SEVERITIES, AEFI_SYMPTOMS, type ObservedPerson } from './api';
import { reasonText, type DeskMessage } from './messages';

/** The report of an adverse event following immunisation: reported at once when online, else queued on the phone. */
export function AefiDialog({
  person,
  sessionDayId,
  token,
  onDone,
  onCancel,
}: {
  person: ObservedPerson;
  sessionDayId: string;
  token: string;
  onDone: (message: DeskMessage) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [severity, setSeverity] = useState<string>('MINOR');
  const [symptoms, setSymptoms] = useState<string[]>([]);
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function submit() {
    setBusy(true);
    try {
      const saved = await captureAefi(
        {
          referenceId: person.referenceId,
          sessionDayId,
          doseId: person.doseId,
          severity,
          symptoms,
          ...(notes.trim() ? { notes: notes.trim() } : {}),
          displayName: person.name,
        },
        token,
      );
      if (saved.status === 'rejected') setError(reasonText(saved));
      else
        onDone(
          saved.status === 'synced'
            ? { tone: 'ok', text: t('desk.aefi.reported', { name: person.name }) }
            : {
                tone: 'pending',
                text: t('desk.aefi.queued', { name: person.name }),
                clientEventId: saved.clientEventId,
                name: person.name,
              },
        );
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      title={t('desk.aefi.title', { name: person.name })}
      confirmLabel={t('desk.aefi.submit')}
      danger
      busy={busy}
      error={error}
      confirmDisabled={symptoms.length === 0}
      onConfirm={() => void submit()}
      onCancel={onCancel}
    >
      <label>
        {t('desk.aefi.severity')}
        <select value={severity} onChange={(e) => setSeverity(e.target.value)} name="aefi-severity">
          {AEFI_SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {t(`desk.aefi.severities.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="symptoms">
        <legend>{t('desk.aefi.symptoms')}</legend>
        {AEFI_SYMPTOMS.map((symptom) => (
          <label key={symptom} className="check">
            <input
              type="checkbox"
              checked={symptoms.includes(symptom)}
              onChange={(e) =>
                setSymptoms((current) =>
                  e.target.checked ? [...current, symptom] : current.filter((s) => s !== symptom),
                )
              }
            />
            {t(`desk.aefi.symptom.${symptom}`)}
          </label>
        ))}
      </fieldset>
      <label>
        {t('desk.aefi.notes')}
        <textarea value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={1000} rows={2} />
      </label>
    </ConfirmDialog>
  );
}
