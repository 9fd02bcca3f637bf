import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { hrefForPath } from '../hooks/useHashPath';
import { errorText } from '../i18n/error-text';
import { ExpiringStock } from './ExpiringStock';
import { useI18n } from '../i18n/useI18n';
import { issueStock, readBatches, readTomorrowStock, type BatchView, type TomorrowStock as Tomorrow } from './api';

type Planned = Tomorrow['sessions'][number];

/**
 * The district console's stock for tomorrow: each session day's bookings against the doses in the vials issued
 * to it, and a form to issue vials of a batch in date.
 */
export function TomorrowStock({ districtId, token }: { districtId: number; token: string }) {
  const { t, formatDate, formatNumber, language } = useI18n();
  const [stock, setStock] = useState<Tomorrow>();
  const [batches, setBatches] = useState<BatchView[]>([]);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<{ vials: number; number: string; site: Planned }>();

  const load = useCallback(async () => {
    try {
      const [tomorrow, registry] = await Promise.all([readTomorrowStock(districtId, token), readBatches(token)]);
      setStock(tomorrow);
      setBatches(registry.batches);
      setError(undefined);
    } catch (failure) {
      setError(errorText(failure));
    }
  }, [districtId, token]);
  useEffect(() => void load(), [load]);

  if (!stock) return error ? <p className="error-banner">{error}</p> : null;

  const usable = (session: Planned) =>
    batches.filter(
      (b) =>
        b.vaccineCode === session.vaccineCode &&
        b.expiresOn !== null &&
        b.dosesPerVial !== null &&
        b.expiresOn >= stock.date,
    );
  const issue = async (session: Planned, event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const batchId = String(form.get('batchId'));
    const vials = Number(form.get('vials'));
    try {
      await issueStock(session.sessionDayId, batchId, vials, token);
      const number = batches.find((b) => b.id === batchId)?.batchNumber ?? '';
      setNotice({ vials, number, site: session });
      setError(undefined);
      await load();
    } catch (failure) {
      setError(errorText(failure));
    }
  };
  const siteName = (s: Planned) => (language === 'hi' && s.siteNameHi) || s.siteName;

  return (
    <section className="tomorrow-stock card" data-testid="tomorrow-stock" aria-labelledby="tomorrow-stock-title">
      <h2 id="tomorrow-stock-title">{t('stock.tomorrow.title', { date: formatDate(stock.date) })}</h2>
      <p className="muted">{t('stock.tomorrow.explain')}</p>
      <ExpiringStock districtId={districtId} token={token} />
      <p>
        <a href={hrefForPath(`/stores/${districtId}`)}>{t('stock.store.openStores')}</a>
      </p>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {t('stock.tomorrow.issuedNotice', {
            vials: notice.vials,
            number: notice.number,
            site: siteName(notice.site),
          })}
        </p>
      )}
      {stock.sessions.length === 0 && <p className="muted">{t('stock.tomorrow.none')}</p>}
      <ul className="stock-list">
        {stock.sessions.map((session) => {
          const choices = usable(session);
          return (
            <li
              key={session.sessionDayId}
              className={session.shortBy > 0 ? 'stock-row stock-short' : 'stock-row'}
              data-testid={`stock-${session.sessionDayId}`}
            >
              <div className="stock-head">
                <strong>{siteName(session)}</strong>
                <span className="muted"> · {session.vaccineCode}</span>
              </div>
              <dl className="stock-figures">
                <div>
                  <dt>{t('stock.tomorrow.booked')}</dt>
                  <dd>{formatNumber(session.booked)}</dd>
                </div>
                <div>
                  <dt>{t('stock.tomorrow.dosesIssued')}</dt>
                  <dd>{formatNumber(session.dosesIssued)}</dd>
                </div>
                <div>
                  <dt>{t('stock.tomorrow.short')}</dt>
                  <dd className={session.shortBy > 0 ? 'stock-short-figure' : 'stock-ok-figure'}>
                    {session.shortBy > 0
                      ? t('stock.tomorrow.shortBy', { count: session.shortBy })
                      : t('stock.tomorrow.covered')}
                  </dd>
                </div>
              </dl>
              <p className="stock-batches">
                {t('stock.tomorrow.batches')}:{' '}
                {session.batches.length === 0
                  ? t('stock.tomorrow.noneIssued')
                  : session.batches
                      .map((b) => `${b.batchNumber} (${t('stock.tomorrow.vials', { count: b.vialsIssued })})`)
                      .join(', ')}
              </p>
              {choices.length === 0 ? (
                <p className="muted">{t('stock.tomorrow.noBatch', { vaccine: session.vaccineCode })}</p>
              ) : (
                <form className="stock-issue" onSubmit={(e) => void issue(session, e)}>
                  <label className="inline-field">
                    {t('stock.tomorrow.batch')}
                    <select name="batchId" required>
                      {choices.map((b) => (
                        <option key={b.id} value={b.id}>
                          {b.batchNumber} · {formatDate(b.expiresOn!)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="inline-field">
                    {t('stock.tomorrow.vialsIssued')}
                    <input
                      name="vials"
                      type="number"
                      min={0}
                      max={100000}
                      required
                      defaultValue={Math.ceil(session.booked / (choices[0]!.dosesPerVial ?? 10))}
                    />
                  </label>
                  <button type="submit">{t('stock.tomorrow.issueSubmit')}</button>
                </form>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
