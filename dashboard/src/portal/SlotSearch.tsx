import { useState, type FormEvent } from 'react';
import { indiaDate } from '../../../domain/time';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import {
  book,
  reschedule,
  searchSessions,
  type Appointment,
  type AppointmentView,
  type Person,
  type SessionOffer,
} from './api';
import { SessionOfferList } from './SessionOfferList';
import { bookableOffers, firstSearchDate, requiredVaccine } from './slot-search';
import { usePlaces } from './usePlaces';

/** Whom a slot is sought for, which dose, and the appointment it replaces when rescheduling. */
export type BookingTarget = { person: Person; dose: number; appointment?: Appointment };

/**
 * The search for a slot by pincode or district and date, offering only sessions the booking would not refuse,
 * and the booking (or rescheduling) of the slot chosen.
 */
export function SlotSearch({
  target,
  onBooked,
  onClose,
}: {
  target: BookingTarget;
  onBooked: (a: AppointmentView) => void;
  onClose: () => void;
}) {
  const { t, language } = useI18n();
  const [mode, setMode] = useState<'pincode' | 'district'>('pincode');
  const [pincode, setPincode] = useState('');
  // A later dose is searched from the day its window opens: nothing earlier can be booked.
  const earliest = firstSearchDate(target, indiaDate());
  const [date, setDate] = useState(earliest);
  const [results, setResults] = useState<SessionOffer[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { states, stateId, setStateId, districts, districtId, setDistrictId } = usePlaces(
    mode === 'district',
    setError,
  );

  async function search(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      const offers = await searchSessions(
        mode === 'pincode' ? { pincode: Number(pincode), date } : { districtId, date },
      );
      setResults(bookableOffers(offers, target));
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  async function choose(offer: SessionOffer, slotId: number) {
    setBusy(true);
    setError(undefined);
    try {
      const appointment = target.appointment
        ? await reschedule(target.appointment.appointmentId, offer.sessionDayId, slotId)
        : await book(target.person.referenceId, offer.sessionDayId, slotId);
      onBooked(appointment);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  const vaccine = requiredVaccine(target);
  return (
    <section className="card slot-search" aria-labelledby="slot-search-title">
      <header className="portal-header">
        <h2 id="slot-search-title">
          {t('portal.search.title', { name: target.person.name, dose: target.dose })}
          {target.appointment ? ` ${t('portal.search.rescheduling')}` : ''}
        </h2>
        <button type="button" className="button-secondary" onClick={onClose}>
          {t('common.close')}
        </button>
      </header>
      <form className="form search-form" onSubmit={(e) => void search(e)}>
        <div className="segmented" role="group" aria-label={t('portal.search.mode')}>
          <button type="button" aria-pressed={mode === 'pincode'} onClick={() => setMode('pincode')}>
            {t('portal.search.byPincode')}
          </button>
          <button type="button" aria-pressed={mode === 'district'} onClick={() => setMode('district')}>
            {t('portal.search.byDistrict')}
          </button>
        </div>
        {mode === 'pincode' ? (
          <label>
            {t('portal.search.byPincode')}
            <input
              name="pincode"
              inputMode="numeric"
              pattern="[1-9][0-9]{5}"
              maxLength={6}
              required
              value={pincode}
              onChange={(e) => setPincode(e.target.value.replace(/\D/g, ''))}
            />
          </label>
        ) : (
          <>
            <label>
              {t('portal.search.state')}
              <select value={stateId ?? ''} onChange={(e) => setStateId(Number(e.target.value) || undefined)} required>
                <option value="">—</option>
                {states.map((s) => (
                  <option key={s.id} value={s.id}>
                    {language === 'hi' && s.nameHi ? s.nameHi : s.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('portal.search.district')}
              <select
                value={districtId ?? ''}
                onChange={(e) => setDistrictId(Number(e.target.value) || undefined)}
                required
              >
                <option value="">—</option>
                {districts.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <label>
          {t('portal.search.date')}
          <input type="date" value={date} min={earliest} onChange={(e) => setDate(e.target.value)} required />
        </label>
        <button type="submit" className="button-primary">
          {t('portal.search.search')}
        </button>
      </form>
      {error && (
        <p className="error-detail" role="alert">
          {error}
        </p>
      )}
      {vaccine && (
        <p className="muted" data-testid="search-rule">
          {t('portal.search.laterDose', { dose: target.dose, vaccine, from: earliest })}
        </p>
      )}
      {results?.length === 0 && <p className="muted">{t('portal.search.none')}</p>}
      <SessionOfferList
        offers={results}
        dose={target.dose}
        busy={busy}
        onChoose={(offer, slotId) => void choose(offer, slotId)}
      />
    </section>
  );
}
