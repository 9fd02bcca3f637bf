import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useStaffSession } from '../auth/staff-session';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { indiaDate } from '../../../domain/time';
import { correctBatch, readBatches, registerBatch, VACCINE_CODES, type BatchView } from '../stock/api';
import type { RouteParams } from '../routes';
import { PrecautionIntervals } from '../stock/PrecautionIntervals';

/** Who may register and complete batches (the API's REGISTRARS, api/routes/v1/vaccine-batches.ts). */
const REGISTRARS = ['STATE_OFFICER', 'NATIONAL_ADMIN'];

type BatchState = 'good' | 'expired' | 'incomplete';
function stateOf(batch: BatchView, today: string): BatchState {
  if (batch.expiresOn === null || batch.dosesPerVial === null || batch.manufacturer === null) return 'incomplete';
  return batch.expiresOn < today ? 'expired' : 'good';
}

/**
 * The vaccine batch registry: every officer reads it; state officers and national admins register batches and
 * complete those found only in doses recorded before the registry. Every change is audited by the API.
 */
export function BatchesPage(_props: { params: RouteParams }) {
  const session = useStaffSession();
  const { t, formatDate, formatNumber } = useI18n();
  const token = session?.token;
  const [vaccine, setVaccine] = useState('');
  const [batches, setBatches] = useState<BatchView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<{ key: string; number: string }>();
  const [completing, setCompleting] = useState<BatchView>();
  const canRegister = session ? REGISTRARS.includes(session.staff.role) : false;
  const today = indiaDate();

  const load = useCallback(async () => {
    if (!token) return;
    try {
      setBatches((await readBatches(token, vaccine || undefined)).batches);
      setLoaded(true);
      setError(undefined);
    } catch (failure) {
      setError(errorText(failure));
    }
  }, [token, vaccine]);
  useEffect(() => void load(), [load]);

  if (!session || !token) return null;

  const register = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setNotice(undefined);
    try {
      const batch = await registerBatch(
        {
          vaccineCode: String(form.get('vaccineCode')),
          batchNumber: String(form.get('batchNumber')).trim(),
          manufacturer: String(form.get('manufacturer')).trim(),
          expiresOn: String(form.get('expiresOn')),
          dosesPerVial: Number(form.get('dosesPerVial')),
        },
        token,
      );
      formElement.reset();
      setError(undefined);
      setNotice({ key: 'stock.register.done', number: batch.batchNumber });
      await load();
    } catch (failure) {
      setError(errorText(failure));
    }
  };

  const complete = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!completing) return;
    const form = new FormData(event.currentTarget);
    try {
      const batch = await correctBatch(
        completing.id,
        {
          manufacturer: String(form.get('manufacturer')).trim(),
          expiresOn: String(form.get('expiresOn')),
          dosesPerVial: Number(form.get('dosesPerVial')),
        },
        token,
      );
      setCompleting(undefined);
      setError(undefined);
      setNotice({ key: 'stock.complete.done', number: batch.batchNumber });
      await load();
    } catch (failure) {
      setError(errorText(failure));
    }
  };

  return (
    <section className="page batches-page">
      <h1>{t('stock.title')}</h1>
      <p className="muted">{t('stock.explain')}</p>
      {!canRegister && <p className="muted">{t('stock.readOnly')}</p>}
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {t(notice.key, { number: notice.number })}
        </p>
      )}
      {canRegister && (
        <form className="card batch-form" onSubmit={(e) => void register(e)} data-testid="batch-register">
          <h2>{t('stock.register.title')}</h2>
          <div className="batch-fields">
            <label className="inline-field">
              {t('stock.vaccine')}
              <select name="vaccineCode" required>
                {VACCINE_CODES.map((v) => (
                  <option key={v}>{v}</option>
                ))}
              </select>
            </label>
            <label className="inline-field">
              {t('stock.batchNumber')}
              <input name="batchNumber" required maxLength={40} pattern="[A-Za-z0-9][A-Za-z0-9/_.\-]*" />
            </label>
            <label className="inline-field">
              {t('stock.manufacturer')}
              <input name="manufacturer" required minLength={2} maxLength={100} />
            </label>
            <label className="inline-field">
              {t('stock.expiresOn')}
              <input name="expiresOn" type="date" required />
            </label>
            <label className="inline-field">
              {t('stock.dosesPerVial')}
              <input name="dosesPerVial" type="number" min={1} max={50} defaultValue={10} required />
            </label>
          </div>
          <button type="submit">{t('stock.register.submit')}</button>
        </form>
      )}
      <label className="inline-field">
        {t('stock.vaccine')}
        <select value={vaccine} onChange={(e) => setVaccine(e.target.value)} data-testid="batch-filter">
          <option value="">{t('stock.allVaccines')}</option>
          {VACCINE_CODES.map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      </label>
      {loaded && batches.length === 0 && <p className="muted">{t('stock.none')}</p>}
      {batches.length > 0 && (
        <div className="table-scroll">
          <table className="data-table batch-table" data-testid="batch-table">
            <thead>
              <tr>
                <th>{t('stock.vaccine')}</th>
                <th>{t('stock.batchNumber')}</th>
                <th>{t('stock.manufacturer')}</th>
                <th>{t('stock.expiresOn')}</th>
                <th>{t('stock.dosesPerVial')}</th>
                <th>{t('stock.status')}</th>
                {canRegister && <th />}
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => {
                const state = stateOf(batch, today);
                return (
                  <tr key={batch.id} className={`batch-${state}`}>
                    <td>{batch.vaccineCode}</td>
                    <td>
                      <strong>{batch.batchNumber}</strong>
                    </td>
                    <td>{batch.manufacturer ?? t('stock.notRecorded')}</td>
                    <td>{batch.expiresOn ? formatDate(batch.expiresOn) : t('stock.notRecorded')}</td>
                    <td>{batch.dosesPerVial === null ? t('stock.notRecorded') : formatNumber(batch.dosesPerVial)}</td>
                    <td>
                      <span className={`status-pill batch-state-${state}`}>{t(`stock.state.${state}`)}</span>
                    </td>
                    {canRegister && (
                      <td>
                        {state === 'incomplete' && (
                          <button type="button" className="button-secondary" onClick={() => setCompleting(batch)}>
                            {t('stock.complete.action')}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {canRegister && <PrecautionIntervals token={token} />}
      {completing && (
        <form className="card batch-form" onSubmit={(e) => void complete(e)} data-testid="batch-complete">
          <h2>{t('stock.complete.title', { number: completing.batchNumber })}</h2>
          <div className="batch-fields">
            <label className="inline-field">
              {t('stock.manufacturer')}
              <input
                name="manufacturer"
                required
                minLength={2}
                maxLength={100}
                defaultValue={completing.manufacturer ?? ''}
              />
            </label>
            <label className="inline-field">
              {t('stock.expiresOn')}
              <input name="expiresOn" type="date" required defaultValue={completing.expiresOn ?? ''} />
            </label>
            <label className="inline-field">
              {t('stock.dosesPerVial')}
              <input
                name="dosesPerVial"
                type="number"
                min={1}
                max={50}
                required
                defaultValue={completing.dosesPerVial ?? 10}
              />
            </label>
          </div>
          <div className="form-actions">
            <button type="submit">{t('stock.complete.submit')}</button>
            <button type="button" className="button-secondary" onClick={() => setCompleting(undefined)}>
              {t('stock.complete.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
