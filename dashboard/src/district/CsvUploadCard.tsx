import { useState, type ReactNode } from 'react';
import { errorText, rowProblemText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import type { CsvOutcome } from './planning-api';

/**
 * A CSV upload: pick a file or paste it, check only (dry run) or import, and see every row's problems in a table
 * when the server refuses the file (422). What the rows mean is the caller's: `upload` sends, `done` words the result.
 */
export function CsvUploadCard<T extends { dryRun: boolean }>({
  title,
  intro,
  placeholder,
  upload,
  done,
  onImported,
  starter,
  testIdPrefix = '',
  className = '',
  children,
}: {
  title: string;
  intro: ReactNode;
  placeholder: string;
  upload: (csv: string, dryRun: boolean) => Promise<CsvOutcome<T>>;
  done: (result: T) => string;
  onImported: () => void;
  /** A button that fills the text box, e.g. with the current figures to edit. */
  starter?: { label: string; csv: string };
  /** Prefixes the test ids (csv-file, import-errors) when a page has more than one upload. */
  testIdPrefix?: string;
  className?: string;
  children?: ReactNode;
}) {
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [outcome, setOutcome] = useState<CsvOutcome<T>>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { t, language } = useI18n();

  async function run(dryRun: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      const result = await upload(csv, dryRun);
      setOutcome(result);
      if (result.ok && !result.dryRun) onImported();
    } catch (failure) {
      setOutcome(undefined);
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={`card csv-import ${className}`.trim()}>
      <h2>{title}</h2>
      <p className="muted">{intro}</p>
      {children}
      <div className="file-pick">
        <label className="button-secondary">
          {t('planning.csv.chooseFile')}
          <input
            type="file"
            className="visually-hidden"
            accept=".csv,text/csv"
            data-testid={`${testIdPrefix}csv-file`}
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setFileName(file.name);
              setCsv(await file.text());
              setOutcome(undefined);
            }}
          />
        </label>
        <span className="muted">{fileName ?? t('planning.csv.noFile')}</span>
      </div>
      <label>
        {t('planning.csv.paste')}
        <textarea
          rows={5}
          value={csv}
          onChange={(e) => setCsv(e.target.value)}
          placeholder={placeholder}
          className="mono"
          name={`${testIdPrefix}csv`}
        />
      </label>
      <div className="button-row">
        {starter && (
          <button
            type="button"
            className="button-secondary"
            disabled={busy}
            onClick={() => {
              setCsv(starter.csv);
              setFileName(undefined);
              setOutcome(undefined);
            }}
          >
            {starter.label}
          </button>
        )}
        <button
          type="button"
          className="button-secondary"
          disabled={!csv.trim() || busy}
          onClick={() => void run(true)}
        >
          {t('planning.csv.check')}
        </button>
        <button type="button" className="button-primary" disabled={!csv.trim() || busy} onClick={() => void run(false)}>
          {t('planning.csv.import', { file: fileName ?? '' })}
        </button>
      </div>
      {error && <p className="error-detail">{error}</p>}
      {outcome?.ok && (
        <p className="notice" role="status">
          {done(outcome)}
        </p>
      )}
      {outcome && !outcome.ok && (
        <div role="alert">
          <p className="error-detail">
            {language !== 'en'
              ? t('planning.csv.refused', { count: outcome.errors.length })
              : /nothing/i.test(outcome.message)
                ? outcome.message
                : t('planning.csv.nothingSaved', { message: outcome.message })}
          </p>
          <div className="table-scroll">
            <table className="data-table import-errors" data-testid={`${testIdPrefix}import-errors`}>
              <thead>
                <tr>
                  <th>{t('planning.csv.row')}</th>
                  <th>{t('planning.csv.column')}</th>
                  <th>{t('planning.csv.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {outcome.errors.map((e, i) => (
                  <tr key={i}>
                    <td>{e.row === 0 ? t('planning.csv.header') : e.row}</td>
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
