import { useState } from 'react';
import { errorMessage } from '../format';
import { rowProblemText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { uploadWorkerList, WORKER_LIST_TEMPLATE, type WorkerListOutcome } from './api';

/**
 * An officer uploads an employer's list of health-care or front-line workers (CSV): checked first if they like,
 * then registered all together or not at all, with every row's problems listed.
 */
export function WorkerListUpload({ token }: { token: string }) {
  const { t } = useI18n();
  const [group, setGroup] = useState<'HCW' | 'FLW'>('HCW');
  const [csv, setCsv] = useState('');
  const [outcome, setOutcome] = useState<WorkerListOutcome>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function run(dryRun: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      setOutcome(await uploadWorkerList(csv, group, dryRun, token));
    } catch (failure) {
      setOutcome(undefined);
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card csv-import worker-list">
      <h2>{t('priority.lists.title')}</h2>
      <p className="muted">{t('priority.lists.explain')}</p>
      <label className="inline-field">
        {t('priority.lists.group')}
        <select value={group} data-testid="list-group" onChange={(e) => setGroup(e.target.value as 'HCW' | 'FLW')}>
          <option value="HCW">{t('priority.group.HCW')}</option>
          <option value="FLW">{t('priority.group.FLW')}</option>
        </select>
      </label>
      <input
        type="file"
        accept=".csv,text/csv"
        aria-label={t('priority.lists.file')}
        data-testid="list-file"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          setCsv(await file.text());
          setOutcome(undefined);
        }}
      />
      <label>
        {t('priority.lists.paste')}
        <textarea
          rows={5}
          value={csv}
          onChange={(e) => setCsv(e.target.value)}
          placeholder={WORKER_LIST_TEMPLATE}
          className="mono"
          name="worker-list"
        />
      </label>
      <div className="button-row">
        <button
          type="button"
          className="button-secondary"
          disabled={!csv.trim() || busy}
          onClick={() => void run(true)}
        >
          {t('priority.lists.check')}
        </button>
        <button type="button" className="button-primary" disabled={!csv.trim() || busy} onClick={() => void run(false)}>
          {t('priority.lists.upload')}
        </button>
      </div>
      {error && <p className="error-detail">{error}</p>}
      {outcome?.ok && (
        <p className="notice" role="status" data-testid="list-result">
          {outcome.dryRun
            ? t('priority.lists.checked', { count: outcome.toRegister, skipped: outcome.alreadyListed.length })
            : t('priority.lists.done', { count: outcome.registered.length, skipped: outcome.alreadyListed.length })}
        </p>
      )}
      {outcome && !outcome.ok && (
        <div role="alert">
          <p className="error-detail">
            {t('priority.lists.refused', { count: new Set(outcome.errors.map((e) => e.row)).size })}
          </p>
          <div className="table-scroll">
            <table className="data-table import-errors" data-testid="list-errors">
              <thead>
                <tr>
                  <th>{t('priority.lists.row')}</th>
                  <th>{t('priority.lists.column')}</th>
                  <th>{t('priority.lists.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {outcome.errors.map((e, i) => (
                  <tr key={i}>
                    <td>{e.row === 0 ? t('priority.lists.header') : e.row}</td>
                    <td className="mono">{e.column ?? ''}</td>
                    <td>{rowProblemText(e)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
