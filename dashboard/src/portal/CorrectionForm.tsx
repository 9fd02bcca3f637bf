import { useState, type FormEvent } from 'react';
import { changedDetails } from '../components/changed-details';
import { BirthYearInput, GenderSelect, IdTypeSelect } from '../components/PersonFields';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { correctDetails, type Person } from './api';

/**
 * The person's one correction of their name, year of birth, gender or photo ID (Co-WIN allowed one). Only what
 * differs is sent; their certificate is issued again with the corrected details.
 */
export function CorrectionForm({
  person,
  onCorrected,
}: {
  person: Person;
  onCorrected: (reissued: boolean) => Promise<void>;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const correction = changedDetails(form, person);
    if (Object.keys(correction).length === 0) {
      setError(t('portal.correction.nothing'));
      return;
    }
    setBusy(true);
    try {
      const done = await correctDetails(person.referenceId, correction);
      setError(undefined);
      await onCorrected(done.certificates.reissued.length > 0);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <details className="correction-details" data-testid="correction">
      <summary>{t('portal.correction.open')}</summary>
      <p className="muted small">{t('portal.correction.intro')}</p>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('portal.name')}
          <input name="name" required maxLength={100} defaultValue={person.name} />
        </label>
        <label>
          {t('portal.birthYear')}
          <BirthYearInput defaultValue={person.birthYear} />
        </label>
        <label>
          {t('portal.gender')}
          <GenderSelect defaultValue={person.gender} />
        </label>
        <label>
          {t('portal.idType')}
          <IdTypeSelect defaultValue={String(person.idType)} />
        </label>
        <label>
          {t('portal.correction.idNumber', { current: person.idNumberMasked })}
          <input name="idNumber" minLength={4} maxLength={30} autoComplete="off" />
        </label>
        <button type="submit" className="button-primary" disabled={busy}>
          {t('portal.correction.submit')}
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
