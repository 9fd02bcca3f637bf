import { useEffect, useState } from 'react';
import { hrefForPath } from '../hooks/useHashPath';
import { useI18n } from '../i18n/useI18n';
import { readDistrictStores, type DistrictStores } from './api';

/**
 * The district's warning of vaccine about to go to waste: batches held in its sites' stores that have expired or
 * expire within 7 days, each linking to its site's store. Nothing is shown when there are none.
 */
export function ExpiringStock({ districtId, token }: { districtId: number; token: string }) {
  const { t, formatDate, language } = useI18n();
  const [stores, setStores] = useState<DistrictStores>();
  useEffect(() => {
    let live = true;
    readDistrictStores(districtId, token).then(
      (answer) => live && setStores(answer),
      // The warning is an aid: the console works without it.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [districtId, token]);
  if (!stores || stores.expiring.length === 0) return null;
  return (
    <section className="expiring-stock card" role="alert" data-testid="expiring-stock">
      <h2>{t('stock.store.expiringTitle', { count: stores.expiring.length })}</h2>
      <ul>
        {stores.expiring.map((line) => (
          <li key={`${line.siteId}-${line.batchId}`}>
            <a href={hrefForPath(`/stores/${districtId}/${line.siteId}`)}>
              {(language === 'hi' && line.siteNameHi) || line.siteName}
            </a>
            {': '}
            {t(line.expiry === 'EXPIRED' ? 'stock.store.expiredLine' : 'stock.store.expiringLine', {
              number: line.batchNumber,
              vials: line.vials,
              date: formatDate(line.expiresOn!),
            })}
          </li>
        ))}
      </ul>
    </section>
  );
}
