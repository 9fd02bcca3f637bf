import { useState, type FormEvent } from 'react';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { reissueCertificates, type PersonHistory } from './api';

/**
 * A person left without a certificate they held (revoked after a correction, and the reissue failed): the officer
 * issues it again from the current record, with a reason; the server audits it.
 */
export function CertificateReissue({
  person,
  token,
  onReissued,
}: {
  person: PersonHistory;
  token: string;
  onReissued: (message: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    try {
      const done = await reissueCertificates(person.referenceId, { reason: String(form.get('reason')).trim() }, token);
      setError(undefined);
      await onReissued(t('lookup.reissue.done', { count: done.reissued.length }));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="lookup-reissue" role="alert" data-testid="certificate-reissue">
      <p>
        {t('lookup.reissue.missing', {
          kinds: person.certificatesToReissue.map((kind) => t(`lookup.reissue.kind.${kind}`)).join(', '),
        })}
      </p>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('lookup.reason')}
          <input name="reason" required minLength={3} maxLength={300} />
        </label>
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? t('working') : t('lookup.reissue.submit')}
        </button>
      </form>
      {error && (
        <p className="error-detail" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
