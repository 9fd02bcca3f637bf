import { useI18n } from '../i18n/useI18n';
import type { SessionOffer } from './api';
import { seatsFor } from './slot-search';

/** The sessions found for a dose: site, date, vaccine, age, fee and seats, and a button for each slot. */
export function SessionOfferList({
  offers,
  dose,
  busy,
  onChoose,
}: {
  offers: readonly SessionOffer[] | undefined;
  dose: number;
  busy: boolean;
  onChoose: (offer: SessionOffer, slotId: number) => void;
}) {
  const { t } = useI18n();
  const available = (offer: SessionOffer) => seatsFor(offer, dose);
  return (
    <ul className="offer-list">
      {offers?.map((offer) => (
        <li key={offer.sessionDayId} className="offer" data-testid="session-offer">
          <div className="offer-head">
            <strong>{offer.site.name}</strong>
            <span>
              {offer.date} · {offer.vaccineCode} · {t('portal.search.age', { minAge: offer.minAge })} ·{' '}
              {offer.site.feeInr > 0 ? t('portal.search.fee', { fee: offer.site.feeInr }) : t('portal.search.free')}
            </span>
            <span className="muted">{offer.site.address}</span>
          </div>
          <div className="offer-seats">{t('portal.search.seats', { dose, count: available(offer) })}</div>
          <div className="slot-buttons">
            {offer.slots.map((slot) => (
              <button
                key={slot.slotId}
                type="button"
                className="slot-button"
                disabled={busy || slot.available <= 0 || available(offer) <= 0}
                onClick={() => onChoose(offer, slot.slotId)}
              >
                {t('portal.search.slot', { label: slot.label, count: slot.available })}
              </button>
            ))}
          </div>
        </li>
      ))}
    </ul>
  );
}
