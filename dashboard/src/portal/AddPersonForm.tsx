import { useState, type FormEvent } from 'react';
import { BirthYearInput, GenderSelect, IdTypeSelect } from '../components/PersonFields';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { addPerson } from './api';

/** Registers another person on the account by their photo ID; the secret code they will show at the centre follows. */
export function AddPersonForm({
  onAdded,
}: {
  onAdded: (name: string, referenceId: string, secretCode: string) => void;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    try {
      const name = String(form.get('name')).trim();
      const added = await addPerson({
        name,
        birthYear: Number(form.get('birthYear')),
        gender: String(form.get('gender')),
        idType: Number(form.get('idType')),
        idNumber: String(form.get('idNumber')).replace(/\s/g, ''),
      });
      setError(undefined);
      formElement.reset();
      onAdded(name, added.referenceId, added.secretCode);
    } catch (failure) {
      setError(errorText(failure));
    }
  }
  return (
    <details className="card form-details" open>
      <summary>{t('portal.addPerson')}</summary>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('portal.name')}
          <input name="name" required maxLength={100} />
        </label>
        <label>
          {t('portal.birthYear')}
          <BirthYearInput />
        </label>
        <label>
          {t('portal.gender')}
          <GenderSelect />
        </label>
        <label>
          {t('portal.idType')}
          <IdTypeSelect />
        </label>
        <label>
          {t('portal.idNumber')}
          <input name="idNumber" required minLength={4} maxLength={30} autoComplete="off" />
        </label>
        <button type="submit" className="button-primary">
          {t('portal.register')}
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
