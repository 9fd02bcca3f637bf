import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { openVialWastage } from '../../../domain/vaccine-batches';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { readSessionStock, type StockLine } from './api';

/** The API's bound on the vials of one batch. */
const MAX_VIALS = 100_000;

/** What the server said was wrong with one batch of a close (`details.batches` of its refusal). */
export interface BatchProblem {
  batchId: string;
  code: string;
}

/** The per-batch problems of a refused close, if the refusal lists them. */
export function batchProblemsOf(failure: unknown): BatchProblem[] | undefined {
  if (!(failure instanceof ApiError) || typeof failure.body !== 'object' || failure.body === null) return undefined;
  const batches = (failure.body as { details?: { batches?: unknown } }).details?.batches;
  if (!Array.isArray(batches)) return undefined;
  return batches.filter(
    (b): b is BatchProblem =>
      typeof b === 'object' && b !== null && typeof b.batchId === 'string' && typeof b.code === 'string',
  );
}

/**
 * A session day's batches as the close asks for them: loading, none (the day had no batches), or the lines; read
 * again (`reload`) when the server refuses a close, since doses may have been recorded meanwhile.
 */
export function useClosingStock(sessionDayId: string, token: string, wanted: boolean) {
  const [lines, setLines] = useState<StockLine[]>();
  const [error, setError] = useState<string>();
  const [reads, setReads] = useState(0);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    readSessionStock(sessionDayId, token).then(
      (stock) => live && setLines(stock.batches),
      (failure: unknown) => live && setError(errorText(failure)),
    );
    return () => {
      live = false;
    };
  }, [sessionDayId, token, wanted, reads]);
  return { lines, error, reload: () => setReads((n) => n + 1) };
}

/** The vials opened of each batch as typed: every line a whole number in range, or undefined. */
export function closingVials(
  lines: readonly StockLine[],
  opened: Readonly<Record<string, string>>,
): { batchId: string; vialsOpened: number }[] | undefined {
  const vials = lines.map((line) => ({ batchId: line.batchId, vialsOpened: Number(opened[line.batchId] ?? '') }));
  const typed = lines.every((line) => (opened[line.batchId] ?? '').trim() !== '');
  const whole = vials.every((v) => Number.isInteger(v.vialsOpened) && v.vialsOpened >= 0 && v.vialsOpened <= MAX_VIALS);
  if (!typed || !whole) return undefined;
  const held = lines.every(
    (line, i) =>
      line.dosesPerVial === null || openVialWastage(vials[i]!.vialsOpened, line.dosesPerVial, line.dosesGiven) >= 0,
  );
  return held ? vials : undefined;
}

/**
 * The close of a session day, batch by batch: each batch issued to it (or used at it) with the doses given from
 * it, the vials opened asked for, and the open-vial wastage they imply shown as they are typed; a count too small
 * for the doses given is said beside its batch, as is anything the server refused of a batch.
 */
export function CloseByBatch({
  lines,
  opened,
  onOpened,
  problems,
}: {
  lines: readonly StockLine[];
  opened: Readonly<Record<string, string>>;
  onOpened: (batchId: string, value: string) => void;
  problems: readonly BatchProblem[];
}) {
  const { t, formatDate, formatNumber } = useI18n();
  let total = 0;
  let complete = true;
  const rows = lines.map((line) => {
    const typed = (opened[line.batchId] ?? '').trim();
    const vials = Number(typed);
    const valid = typed !== '' && Number.isInteger(vials) && vials >= 0 && vials <= MAX_VIALS;
    const wastage =
      valid && line.dosesPerVial !== null ? openVialWastage(vials, line.dosesPerVial, line.dosesGiven) : undefined;
    if (wastage === undefined || wastage < 0) complete = false;
    else total += wastage;
    const refused = problems.filter((p) => p.batchId === line.batchId);
    return (
      <li key={line.batchId} className="close-batch" data-testid={`close-batch-${line.batchNumber}`}>
        <div className="close-batch-head">
          <strong>{line.batchNumber}</strong>
          <span className="muted">
            {' '}
            · {line.expiresOn ? t('stock.close.expires', { date: formatDate(line.expiresOn) }) : t('stock.notRecorded')}
            {line.dosesPerVial !== null && ` · ${t('stock.close.perVial', { count: line.dosesPerVial })}`}
          </span>
        </div>
        <dl className="stock-figures">
          <div>
            <dt>{t('stock.close.issued')}</dt>
            <dd>{t('stock.tomorrow.vials', { count: line.vialsIssued })}</dd>
          </div>
          <div>
            <dt>{t('stock.close.given')}</dt>
            <dd>{formatNumber(line.dosesGiven)}</dd>
          </div>
        </dl>
        <label className="inline-field">
          {t('stock.close.opened')}
          <input
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_VIALS}
            step={1}
            value={opened[line.batchId] ?? ''}
            onChange={(e) => onOpened(line.batchId, e.target.value)}
            name={`vials-opened-${line.batchNumber}`}
          />
        </label>
        {wastage !== undefined && wastage >= 0 && (
          <p className="close-batch-wastage" data-testid="close-batch-wastage">
            {t('stock.close.wastage', {
              count: wastage,
              held: formatNumber(vials * line.dosesPerVial!),
              given: formatNumber(line.dosesGiven),
            })}
          </p>
        )}
        {wastage !== undefined && wastage >= 0 && line.vialsIssued > vials && (
          <p className="muted" data-testid="close-batch-returned">
            {t('stock.close.returned', { count: line.vialsIssued - vials })}
          </p>
        )}
        {wastage !== undefined && wastage < 0 && (
          <p className="error-detail" role="alert" data-testid="close-batch-too-few">
            {t('stock.close.tooFew', {
              count: vials,
              held: formatNumber(vials * line.dosesPerVial!),
              given: formatNumber(line.dosesGiven),
            })}
          </p>
        )}
        {line.dosesPerVial === null && <p className="error-detail">{t('errors.BATCH_INCOMPLETE')}</p>}
        {refused.map((p) => (
          <p key={p.code} className="error-detail" role="alert" data-testid="close-batch-refused">
            {t(`errors.${p.code}`)}
          </p>
        ))}
      </li>
    );
  });
  return (
    <div className="close-by-batch" data-testid="close-by-batch">
      <p>{t('stock.close.explain')}</p>
      <ul className="close-batches">{rows}</ul>
      {complete && (
        <p className="close-total" data-testid="close-total">
          <strong>{t('stock.close.total', { count: total })}</strong>
        </p>
      )}
    </div>
  );
}
