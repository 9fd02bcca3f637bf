import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useStaffSession } from '../auth/staff-session';
import { hrefForPath } from '../hooks/useHashPath';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { useDistrictList } from '../map/district-list';
import type { RouteParams } from '../routes';
import {
  readBatches,
  readDistrictStores,
  readSiteStore,
  recordDiscard,
  recordReceipt,
  type BatchView,
  type DistrictStores,
  type SiteStore,
} from '../stock/api';
import { ExpiringStock } from '../stock/ExpiringStock';

const DISCARD_REASONS = ['EXPIRED', 'DAMAGED', 'COLD_CHAIN_BREACH', 'OTHER'] as const;

/** A fresh client event id: a form keeps one until its movement is recorded, so a retry is not recorded twice. */
const newEventId = () => `store-${crypto.randomUUID()}`;

/**
 * A site's store of vaccine: its vials by batch with each batch's expiry, the ledger of movements with the balance
 * after each, and forms to record vials received from the district and vials discarded. The district's batches
 * expiring within 7 days are warned of at the top. Officers of the district (and above) only; the API audits.
 */
export function StoresPage({ params }: { params: RouteParams }) {
  const session = useStaffSession();
  const staff = session?.staff;
  const districtId = Number(params.districtId) || staff?.districtId || undefined;
  const siteId = Number(params.siteId) || undefined;
  if (!session || !staff) return null;
  if (!districtId) return <StoreDistrictPicker stateId={staff.stateId ?? undefined} />;
  return <Stores key={districtId} districtId={districtId} siteId={siteId} token={session.token} />;
}

function StoreDistrictPicker({ stateId }: { stateId?: number }) {
  const { t } = useI18n();
  const districts = useDistrictList(INDIA_MAP_DATA.districts)
    .filter((d) => stateId === undefined || d.stateId === stateId)
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="page">
      <h1>{t('stock.store.title')}</h1>
      <label className="inline-field">
        {t('district.pickDistrict')}
        <select
          defaultValue=""
          onChange={(e) => e.target.value && (window.location.hash = hrefForPath(`/stores/${e.target.value}`))}
        >
          <option value="" disabled>
            —
          </option>
          {districts.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}

function Stores({ districtId, siteId, token }: { districtId: number; siteId?: number; token: string }) {
  const { t, formatDate, formatNumber, language } = useI18n();
  const [district, setDistrict] = useState<DistrictStores>();
  const [store, setStore] = useState<SiteStore>();
  const [registry, setRegistry] = useState<BatchView[]>([]);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [receiptId, setReceiptId] = useState(newEventId);
  const [discardId, setDiscardId] = useState(newEventId);
  // Each movement recorded: the district's expiry warning is read again.
  const [recorded, setRecorded] = useState(0);

  const load = useCallback(async () => {
    try {
      const [stores, batches, site] = await Promise.all([
        readDistrictStores(districtId, token),
        readBatches(token),
        siteId ? readSiteStore(siteId, token) : Promise.resolve(undefined),
      ]);
      setDistrict(stores);
      setRegistry(batches.batches);
      setStore(site);
      setError(undefined);
    } catch (failure) {
      setError(errorText(failure));
    }
  }, [districtId, siteId, token]);
  useEffect(() => void load(), [load]);

  const siteName = (s: { name: string; nameHi: string | null }) => (language === 'hi' && s.nameHi) || s.name;
  const today = district?.today ?? '';
  const receivable = registry.filter((b) => b.expiresOn !== null && b.dosesPerVial !== null && b.expiresOn >= today);

  const receive = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!siteId) return;
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setNotice(undefined);
    try {
      const { movement } = await recordReceipt(
        siteId,
        {
          clientEventId: receiptId,
          batchId: String(form.get('batchId')),
          vials: Number(form.get('vials')),
          deliveryNote: String(form.get('deliveryNote')).trim(),
        },
        token,
      );
      setNotice(t('stock.store.received', { vials: movement.vials, number: movement.batchNumber }));
      setReceiptId(newEventId());
      setRecorded((n) => n + 1);
      formElement.reset();
      await load();
    } catch (failure) {
      setError(errorText(failure));
    }
  };

  const discard = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!siteId) return;
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const note = String(form.get('note') ?? '').trim();
    setNotice(undefined);
    try {
      const { movement } = await recordDiscard(
        siteId,
        {
          clientEventId: discardId,
          batchId: String(form.get('batchId')),
          vials: Number(form.get('vials')),
          reason: String(form.get('reason')) as (typeof DISCARD_REASONS)[number],
          ...(note ? { note } : {}),
        },
        token,
      );
      setNotice(t('stock.store.discarded', { vials: -movement.vials, number: movement.batchNumber }));
      setDiscardId(newEventId());
      setRecorded((n) => n + 1);
      formElement.reset();
      await load();
    } catch (failure) {
      setError(errorText(failure));
    }
  };

  const held = store?.batches.filter((b) => b.vials > 0) ?? [];

  return (
    <section className="page stores-page">
      <h1>{t('stock.store.title')}</h1>
      <p className="muted">{t('stock.store.explain')}</p>
      <ExpiringStock key={recorded} districtId={districtId} token={token} />
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {district && (
        <label className="inline-field">
          {t('stock.store.site')}
          <select
            data-testid="store-site"
            value={siteId ?? ''}
            onChange={(e) =>
              e.target.value && (window.location.hash = hrefForPath(`/stores/${districtId}/${e.target.value}`))
            }
          >
            <option value="" disabled>
              {t('stock.store.pickSite')}
            </option>
            {district.sites.map((s) => (
              <option key={s.id} value={s.id}>
                {siteName(s)}
              </option>
            ))}
          </select>
        </label>
      )}
      {store && (
        <>
          <h2>{t('stock.store.stockTitle', { site: siteName(store.site) })}</h2>
          {store.batches.length === 0 ? (
            <p className="muted">{t('stock.store.empty')}</p>
          ) : (
            <div className="table-scroll">
              <table className="data-table" data-testid="store-stock">
                <thead>
                  <tr>
                    <th>{t('stock.batchNumber')}</th>
                    <th>{t('stock.vaccine')}</th>
                    <th>{t('stock.expiresOn')}</th>
                    <th>{t('stock.store.vials')}</th>
                  </tr>
                </thead>
                <tbody>
                  {store.batches.map((b) => (
                    <tr key={b.batchId} data-testid={`store-batch-${b.batchNumber}`}>
                      <td>{b.batchNumber}</td>
                      <td>{b.vaccineCode}</td>
                      <td>
                        {b.expiresOn ? formatDate(b.expiresOn) : t('stock.notRecorded')}{' '}
                        <span className={`status-pill store-expiry-${b.expiry}`}>
                          {t(`stock.store.expiry.${b.expiry}`)}
                        </span>
                      </td>
                      <td>{formatNumber(b.vials)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="store-forms">
            <form className="card batch-form" data-testid="store-receive" onSubmit={(e) => void receive(e)}>
              <h3>{t('stock.store.receiveTitle')}</h3>
              <div className="batch-fields">
                <label className="inline-field">
                  {t('stock.tomorrow.batch')}
                  <select name="batchId" required>
                    {receivable.map((b) => (
                      <option key={b.id} value={b.id}>
                        {b.batchNumber} · {b.vaccineCode} · {formatDate(b.expiresOn!)}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="inline-field">
                  {t('stock.store.vials')}
                  <input name="vials" type="number" min={1} max={100000} step={1} required />
                </label>
                <label className="inline-field">
                  {t('stock.store.deliveryNote')}
                  <input name="deliveryNote" minLength={2} maxLength={60} pattern="[^<>]*" required />
                </label>
              </div>
              <button type="submit">{t('stock.store.receiveSubmit')}</button>
            </form>
            {held.length > 0 && (
              <form className="card batch-form" data-testid="store-discard" onSubmit={(e) => void discard(e)}>
                <h3>{t('stock.store.discardTitle')}</h3>
                <div className="batch-fields">
                  <label className="inline-field">
                    {t('stock.tomorrow.batch')}
                    <select name="batchId" required>
                      {held.map((b) => (
                        <option key={b.batchId} value={b.batchId}>
                          {b.batchNumber} · {t('stock.tomorrow.vials', { count: b.vials })}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="inline-field">
                    {t('stock.store.vials')}
                    <input name="vials" type="number" min={1} max={100000} step={1} required />
                  </label>
                  <label className="inline-field">
                    {t('stock.store.reason')}
                    <select name="reason" required>
                      {DISCARD_REASONS.map((r) => (
                        <option key={r} value={r}>
                          {t(`stock.store.reasons.${r}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label className="inline-field">
                    {t('stock.store.note')}
                    <input name="note" maxLength={200} pattern="[^<>]*" />
                  </label>
                </div>
                <button type="submit" className="button-danger-outline">
                  {t('stock.store.discardSubmit')}
                </button>
              </form>
            )}
          </div>
          <h2>{t('stock.store.ledgerTitle')}</h2>
          {store.ledger.length === 0 ? (
            <p className="muted">{t('stock.store.noMovements')}</p>
          ) : (
            <div className="table-scroll">
              <table className="data-table" data-testid="store-ledger">
                <thead>
                  <tr>
                    <th>{t('stock.store.when')}</th>
                    <th>{t('stock.store.movement')}</th>
                    <th>{t('stock.batchNumber')}</th>
                    <th>{t('stock.store.vials')}</th>
                    <th>{t('stock.store.balance')}</th>
                    <th>{t('stock.store.details')}</th>
                  </tr>
                </thead>
                <tbody>
                  {store.ledger.map((m) => (
                    <tr key={m.id}>
                      <td>
                        {new Date(m.recordedAt).toLocaleString(language === 'hi' ? 'hi-IN' : 'en-IN', {
                          timeZone: 'Asia/Kolkata',
                          dateStyle: 'medium',
                          timeStyle: 'short',
                        })}
                      </td>
                      <td>{t(`stock.store.kinds.${m.kind}`)}</td>
                      <td>{m.batchNumber}</td>
                      <td className={m.vials < 0 ? 'store-out' : 'store-in'}>
                        {m.vials > 0 ? '+' : '−'}
                        {formatNumber(Math.abs(m.vials))}
                      </td>
                      <td>{formatNumber(m.balance)}</td>
                      <td>
                        {m.deliveryNote && t('stock.store.noteDelivery', { note: m.deliveryNote })}
                        {m.discardReason && t(`stock.store.reasons.${m.discardReason}`)}
                        {m.kind === 'DISCARDED' && m.note && ` · ${m.note}`}
                        {m.sessionDate && t('stock.store.noteSession', { date: formatDate(m.sessionDate) })}
                        {m.recordedByName && <span className="muted"> · {m.recordedByName}</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
