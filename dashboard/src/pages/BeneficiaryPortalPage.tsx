import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { beneficiaryLogout, useBeneficiarySession } from '../auth/beneficiary-session';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import {
  addPerson,
  book,
  cancelAppointment,
  correctDetails,
  downloadCertificate,
  dueDose,
  fetchDistricts,
  fetchStates,
  ID_TYPES,
  listPeople,
  MAX_PEOPLE,
  removePerson,
  rememberLanguage,
  reschedule,
  searchSessions,
  sendOtp,
  smsLanguage,
  verifyOtp,
  type Appointment,
  type Person,
  type SessionOffer,
} from '../portal/api';
import { bookableOffers, firstSearchDate, requiredVaccine, seatsFor } from '../portal/slot-search';
import type { RouteParams } from '../routes';

export function BeneficiaryPortalPage(_props: { params: RouteParams }) {
  const session = useBeneficiarySession();
  const { t, language } = useI18n();
  // The account keeps the language of its screen: its SMS go out in it (a failure here only leaves the old one).
  const loggedIn = Boolean(session);
  useEffect(() => {
    const sms = smsLanguage(language);
    if (loggedIn && sms) rememberLanguage(sms).catch(() => undefined);
  }, [loggedIn, language]);
  return (
    <section className="page portal">
      <header className="portal-header">
        <h1>{t('portal.title')}</h1>
      </header>
      {session ? <Account mobile={session.mobile} /> : <OtpLogin />}
    </section>
  );
}

/** Seconds before another OTP may be asked for the same number (the SMS may simply be slow). */
const OTP_RESEND_AFTER_SECONDS = 30;

function OtpLogin() {
  const { t, language } = useI18n();
  const [mobile, setMobile] = useState('');
  const [txnId, setTxnId] = useState<string>();
  const [otp, setOtp] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [sentAt, setSentAt] = useState<number>();
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!sentAt) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(timer);
  }, [sentAt]);
  const waitSeconds = sentAt ? Math.max(0, OTP_RESEND_AFTER_SECONDS - Math.floor((now - sentAt) / 1000)) : 0;

  async function requestOtp() {
    setBusy(true);
    setError(undefined);
    try {
      setTxnId(await sendOtp(mobile, language));
      setOtp('');
      setSentAt(Date.now());
      setNow(Date.now());
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!txnId) return requestOtp();
    setBusy(true);
    setError(undefined);
    try {
      await verifyOtp(mobile, txnId, otp);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  function changeNumber() {
    setTxnId(undefined);
    setOtp('');
    setSentAt(undefined);
    setError(undefined);
  }

  return (
    <form className="form card narrow" onSubmit={(e) => void submit(e)}>
      <p>{t('portal.intro')}</p>
      <label>
        {t('portal.mobile')}
        <input
          name="mobile"
          inputMode="numeric"
          autoComplete="tel-national"
          pattern="[6-9][0-9]{9}"
          maxLength={10}
          required
          value={mobile}
          disabled={!!txnId}
          onChange={(e) => setMobile(e.target.value.replace(/\D/g, ''))}
        />
      </label>
      {txnId && (
        <>
          <p className="muted">{t('portal.otpSent', { mobile })}</p>
          <label>
            {t('portal.otp')}
            <input
              name="otp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
              value={otp}
              onChange={(e) => setOtp(e.target.value.replace(/\D/g, ''))}
            />
          </label>
        </>
      )}
      {error && (
        <p className="error-detail" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button-primary" disabled={busy}>
        {txnId ? t('portal.verifyOtp') : t('portal.getOtp')}
      </button>
      {txnId && (
        <div className="button-row otp-actions">
          <button
            type="button"
            className="link-button"
            onClick={() => void requestOtp()}
            disabled={busy || waitSeconds > 0}
          >
            {waitSeconds > 0 ? t('portal.resendIn', { seconds: waitSeconds }) : t('portal.resend')}
          </button>
          <button type="button" className="link-button" onClick={changeNumber}>
            {t('portal.changeNumber')}
          </button>
        </div>
      )}
    </form>
  );
}

type BookingTarget = { person: Person; dose: number; appointment?: Appointment };

function Account({ mobile }: { mobile: string }) {
  const { t } = useI18n();
  const [people, setPeople] = useState<Person[]>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [target, setTarget] = useState<BookingTarget>();
  const [confirm, setConfirm] = useState<
    { kind: 'cancel'; appointment: Appointment } | { kind: 'remove'; person: Person }
  >();

  const reload = useCallback(async () => {
    try {
      setPeople(await listPeople());
      setError(undefined);
    } catch (failure) {
      setError(errorText(failure));
    }
  }, []);

  useEffect(() => {
    void reload();
    // Stages move on their own (OTP checks, bookings confirmed by the journey, doses recorded at the centre).
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, 5_000);
    return () => window.clearInterval(timer);
  }, [reload]);

  async function runConfirmed() {
    if (!confirm) return;
    try {
      if (confirm.kind === 'cancel') await cancelAppointment(confirm.appointment.appointmentId);
      else await removePerson(confirm.person.referenceId);
      setConfirm(undefined);
      await reload();
    } catch (failure) {
      setError(errorText(failure));
      setConfirm(undefined);
    }
  }

  return (
    <>
      <p className="muted">
        {t('portal.mobile')}: {mobile} ·{' '}
        <button type="button" className="link-button" onClick={beneficiaryLogout}>
          {t('portal.logout')}
        </button>
      </p>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status" data-testid="portal-notice">
          {notice}
        </p>
      )}
      <h2>{t('portal.people')}</h2>
      {people?.length === 0 && <p className="muted">{t('portal.noPeople')}</p>}
      <div className="person-cards">
        {people?.map((person) => (
          <PersonCard
            key={person.referenceId}
            person={person}
            onBook={(dose) => setTarget({ person, dose })}
            onReschedule={(appointment) => setTarget({ person, dose: appointment.dose, appointment })}
            onCancel={(appointment) => setConfirm({ kind: 'cancel', appointment })}
            onRemove={() => setConfirm({ kind: 'remove', person })}
            onError={setError}
            onCorrected={async (reissued) => {
              setNotice(
                t(reissued ? 'portal.correction.doneReissued' : 'portal.correction.done', { name: person.name }),
              );
              await reload();
            }}
          />
        ))}
      </div>
      {target && (
        <SlotSearch
          target={target}
          onBooked={async (appointment) => {
            setTarget(undefined);
            setNotice(
              t('portal.booked', {
                name: target.person.name,
                site: appointment.siteName,
                date: appointment.date,
                slot: appointment.slot,
              }),
            );
            await reload();
          }}
          onClose={() => setTarget(undefined)}
        />
      )}
      {people && people.length < MAX_PEOPLE ? (
        <AddPersonForm
          onAdded={async (name, referenceId, secretCode) => {
            setNotice(t('portal.registered', { name, referenceId, secretCode }));
            await reload();
          }}
        />
      ) : (
        people && <p className="muted">{t('portal.maxPeople')}</p>
      )}
      {confirm && (
        <ConfirmDialog
          title={confirm.kind === 'cancel' ? t('portal.cancel') : t('portal.remove')}
          confirmLabel={t('common.yes')}
          cancelLabel={t('common.no')}
          danger
          onConfirm={() => void runConfirmed()}
          onCancel={() => setConfirm(undefined)}
        >
          <p>{confirm.kind === 'cancel' ? t('portal.confirmCancel') : t('portal.confirmRemove')}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function PersonCard({
  person,
  onBook,
  onReschedule,
  onCancel,
  onRemove,
  onError,
  onCorrected,
}: {
  person: Person;
  onBook: (dose: number) => void;
  onReschedule: (a: Appointment) => void;
  onCancel: (a: Appointment) => void;
  onRemove: () => void;
  onError: (m: string) => void;
  onCorrected: (reissued: boolean) => Promise<void>;
}) {
  const { t } = useI18n();
  const due = dueDose(person);
  const booked = person.appointments.filter((a) => a.status === 'BOOKED');
  return (
    <article
      className="card person-card"
      data-testid="person-card"
      data-reference-id={person.referenceId}
      data-stage={person.stage}
    >
      <header>
        <h3>{person.name}</h3>
        <span className="stage-pill">{t(`stage.${person.stage}`)}</span>
      </header>
      <dl className="facts">
        <div className="fact">
          <dt>{t('portal.referenceId')}</dt>
          <dd className="mono">{person.referenceId}</dd>
        </div>
        <div className="fact">
          <dt>{t('portal.secretCode')}</dt>
          <dd className="mono secret-code">{person.secretCode}</dd>
        </div>
        {person.nextDoseDueOn && (
          <div className="fact">
            <dt>{t('portal.nextDue')}</dt>
            <dd>{person.nextDoseDueOn}</dd>
          </div>
        )}
      </dl>
      <h4>{t('portal.appointments')}</h4>
      <ul className="plain-list">
        {person.appointments.map((a) => (
          <li key={a.appointmentId} className={`appointment appointment-${a.status.toLowerCase()}`}>
            {t('portal.appointment', {
              dose: a.dose,
              site: a.siteName,
              date: a.date,
              slot: a.slot,
              status: t(`appointmentStatus.${a.status}`),
            })}
            {a.status === 'BOOKED' && (
              <span className="button-row">
                <button type="button" onClick={() => onReschedule(a)}>
                  {t('portal.reschedule')}
                </button>
                <button type="button" className="button-danger-outline" onClick={() => onCancel(a)}>
                  {t('portal.cancel')}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      <h4>{t('portal.doses')}</h4>
      {person.doses.length === 0 ? (
        <p className="muted">{t('portal.noDoses')}</p>
      ) : (
        <ul className="plain-list">
          {person.doses.map((d) => (
            <li key={d.dose}>
              {t('portal.doseLine', {
                dose: d.dose,
                vaccine: d.vaccineCode,
                batch: d.batch,
                date: d.date,
                site: d.siteName,
              })}
            </li>
          ))}
        </ul>
      )}
      <div className="button-row">
        {due && booked.length === 0 && (
          <button type="button" className="button-primary" onClick={() => onBook(due)}>
            {t('portal.book', { dose: due })}
          </button>
        )}
        {person.doses.length > 0 && (
          <button
            type="button"
            className="button-secondary"
            onClick={() => downloadCertificate(person.referenceId).catch((e) => onError(errorText(e)))}
          >
            {t('portal.certificate')}
          </button>
        )}
        {person.doses.length === 0 && (
          <button type="button" className="link-button" onClick={onRemove}>
            {t('portal.remove')}
          </button>
        )}
      </div>
      {person.canCorrectDetails ? (
        <CorrectionForm person={person} onCorrected={onCorrected} />
      ) : (
        <p className="muted small">{t('portal.correction.used')}</p>
      )}
    </article>
  );
}

/**
 * The person's one correction of their name, year of birth, gender or photo ID (Co-WIN allowed one). Only what
 * differs is sent; their certificate is issued again with the corrected details.
 */
function CorrectionForm({
  person,
  onCorrected,
}: {
  person: Person;
  onCorrected: (reissued: boolean) => Promise<void>;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name')).trim();
    const birthYear = Number(form.get('birthYear'));
    const gender = String(form.get('gender'));
    const idNumber = String(form.get('idNumber') ?? '').replace(/\s/g, '');
    const correction = {
      ...(name !== person.name ? { name } : {}),
      ...(birthYear !== person.birthYear ? { birthYear } : {}),
      ...(gender !== person.gender ? { gender } : {}),
      ...(idNumber ? { idType: Number(form.get('idType')), idNumber } : {}),
    };
    if (Object.keys(correction).length === 0) {
      setError(t('portal.correction.nothing'));
      return;
    }
    setBusy(true);
    try {
      const done = await correctDetails(person.referenceId, correction);
      setError(undefined);
      await onCorrected(done.certificates.reissued.length > 0);
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <details className="correction-details" data-testid="correction">
      <summary>{t('portal.correction.open')}</summary>
      <p className="muted small">{t('portal.correction.intro')}</p>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('portal.name')}
          <input name="name" required maxLength={100} defaultValue={person.name} />
        </label>
        <label>
          {t('portal.birthYear')}
          <input
            name="birthYear"
            type="number"
            min={1900}
            max={new Date().getFullYear()}
            required
            defaultValue={person.birthYear}
          />
        </label>
        <label>
          {t('portal.gender')}
          <select name="gender" defaultValue={person.gender}>
            <option value="F">{t('gender.F')}</option>
            <option value="M">{t('gender.M')}</option>
            <option value="O">{t('gender.O')}</option>
          </select>
        </label>
        <label>
          {t('portal.idType')}
          <select name="idType" defaultValue={String(person.idType)}>
            {ID_TYPES.map((type) => (
              <option key={type.id} value={type.id}>
                {t(`idType.${type.id}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('portal.correction.idNumber', { current: person.idNumberMasked })}
          <input name="idNumber" minLength={4} maxLength={30} autoComplete="off" />
        </label>
        <button type="submit" className="button-primary" disabled={busy}>
          {t('portal.correction.submit')}
        </button>
      </form>
      {error && (
        <p className="error-detail" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}

function todayInIndia(): string {
  return new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
}

function SlotSearch({
  target,
  onBooked,
  onClose,
}: {
  target: BookingTarget;
  onBooked: (a: Appointment) => void;
  onClose: () => void;
}) {
  const { t, language } = useI18n();
  const [mode, setMode] = useState<'pincode' | 'district'>('pincode');
  const [pincode, setPincode] = useState('');
  const [states, setStates] = useState<Array<{ id: number; name: string; nameHi: string | null }>>([]);
  const [stateId, setStateId] = useState<number>();
  const [districts, setDistricts] = useState<Array<{ id: number; name: string }>>([]);
  const [districtId, setDistrictId] = useState<number>();
  // A later dose is searched from the day its window opens: nothing earlier can be booked.
  const earliest = firstSearchDate(target, todayInIndia());
  const [date, setDate] = useState(earliest);
  const [results, setResults] = useState<SessionOffer[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (mode === 'district' && !states.length) void fetchStates().then(setStates, (e) => setError(errorText(e)));
  }, [mode, states.length]);
  useEffect(() => {
    setDistricts([]);
    setDistrictId(undefined);
    if (stateId) void fetchDistricts(stateId).then(setDistricts, (e) => setError(errorText(e)));
  }, [stateId]);

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

  const available = (offer: SessionOffer) => seatsFor(offer, target.dose);
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
      <ul className="offer-list">
        {results?.map((offer) => (
          <li key={offer.sessionDayId} className="offer" data-testid="session-offer">
            <div className="offer-head">
              <strong>{offer.site.name}</strong>
              <span>
                {offer.date} · {offer.vaccineCode} · {t('portal.search.age', { minAge: offer.minAge })} ·{' '}
                {offer.site.feeInr > 0 ? t('portal.search.fee', { fee: offer.site.feeInr }) : t('portal.search.free')}
              </span>
              <span className="muted">{offer.site.address}</span>
            </div>
            <div className="offer-seats">
              {t('portal.search.seats', { dose: target.dose, count: available(offer) })}
            </div>
            <div className="slot-buttons">
              {offer.slots.map((slot) => (
                <button
                  key={slot.slotId}
                  type="button"
                  className="slot-button"
                  disabled={busy || slot.available <= 0 || available(offer) <= 0}
                  onClick={() => void choose(offer, slot.slotId)}
                >
                  {t('portal.search.slot', { label: slot.label, count: slot.available })}
                </button>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function AddPersonForm({ onAdded }: { onAdded: (name: string, referenceId: string, secretCode: string) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    try {
      const name = String(form.get('name')).trim();
      const added = await addPerson({
        name,
        birthYear: Number(form.get('birthYear')),
        gender: String(form.get('gender')),
        idType: Number(form.get('idType')),
        idNumber: String(form.get('idNumber')).replace(/\s/g, ''),
      });
      setError(undefined);
      formElement.reset();
      onAdded(name, added.referenceId, added.secretCode);
    } catch (failure) {
      setError(errorText(failure));
    }
  }
  return (
    <details className="card form-details" open>
      <summary>{t('portal.addPerson')}</summary>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('portal.name')}
          <input name="name" required maxLength={100} />
        </label>
        <label>
          {t('portal.birthYear')}
          <input name="birthYear" type="number" min={1900} max={new Date().getFullYear()} required />
        </label>
        <label>
          {t('portal.gender')}
          <select name="gender" defaultValue="F">
            <option value="F">{t('gender.F')}</option>
            <option value="M">{t('gender.M')}</option>
            <option value="O">{t('gender.O')}</option>
          </select>
        </label>
        <label>
          {t('portal.idType')}
          <select name="idType" defaultValue="1">
            {ID_TYPES.map((type) => (
              <option key={type.id} value={type.id}>
                {t(`idType.${type.id}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('portal.idNumber')}
          <input name="idNumber" required minLength={4} maxLength={30} autoComplete="off" />
        </label>
        <button type="submit" className="button-primary">
          {t('portal.register')}
        </button>
      </form>
      {error && (
        <p className="error-detail" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}
