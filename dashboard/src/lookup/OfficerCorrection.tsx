import { useState, type FormEvent } from 'react';
import { changedDetails } from '../components/changed-details';
import { OFFERED_ID_TYPES } from '../components/id-types';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { correctAsOfficer, type PersonHistory } from './api';

/**
 * An officer's correction of a person's name, year of birth, gender or photo ID, with the reason (what document was
 * seen); the server audits it, revokes the certificate and issues it again with the corrected details.
 */
export function OfficerCorrection({
  person,
  token,
  onCorrected,
}: {
  person: PersonHistory;
  token: string;
  onCorrected: (message: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    try {
      const done = await correctAsOfficer(
        person.referenceId,
        { ...changedDetails(form, person), reason: String(form.get('reason')).trim() },
        token,
      );
      setError(undefined);
      await onCorrected(
        done.certificates.failed.length > 0
          ? t('lookup.correctedReissueFailed', { name: done.person.name })
          : t('lookup.corrected', { name: done.person.name, reissued: done.certificates.reissued.length }),
      );
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <details className="lookup-correction" data-testid="officer-correction">
      <summary>{t('lookup.correct')}</summary>
      <p className="muted small">{t('lookup.correctIntro')}</p>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('portal.name')}
          <input name="name" required maxLength={100} defaultValue={person.name} />
        </label>
        <label>
          {t('portal.birthYear')}
          <input name="birthYear" type="number" min={1900} required defaultValue={person.birthYear} />
        </label>
        <label>
          {t('portal.gender')}
          <select name="gender" defaultValue={person.gender}>
            <option value="F">{t('gender.F')}</option>
            <option value="M">{t('gender.M')}</option>
            <option value="O">{t('gender.O')}</option>
          </select>
        </label>
        <label>
          {t('portal.idType')}
          <select name="idType" defaultValue={String(person.idType)}>
            {OFFERED_ID_TYPES.map((id) => (
              <option key={id} value={id}>
                {t(`idType.${id}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('portal.correction.idNumber', { current: person.idNumberMasked })}
          <input name="idNumber" minLength={4} maxLength={30} autoComplete="off" />
        </label>
        <label>
          {t('lookup.reason')}
          <input name="reason" required minLength={3} maxLength={300} />
        </label>
        <button type="submit" className="button-primary" disabled={busy}>
          {t('lookup.correctSubmit')}
        </button>
      </form>
      {error && (
        <p className="error-detail" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}
