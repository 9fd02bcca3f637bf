import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { indiaDate } from '../../../domain/time';
import { apiGet } from '../api/client';
import { useStaffSession } from '../auth/staff-session';
import type { DeskToday } from '../desk/api';
import { errorMessage } from '../format';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import {
  addDoseGivenElsewhere,
  correctAsOfficer,
  lookUpPeople,
  reissueCertificates,
  type PersonHistory,
} from '../lookup/api';
import { VACCINE_CODES } from '../stock/api';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { useDistrictList } from '../map/district-list';
import type { StaffProfile } from '../auth/permissions';
import type { RouteParams } from '../routes';

const ID_TYPES = [1, 2, 6, 8, 12];
type Key = 'mobile' | 'referenceId';

/**
 * Officer lookup (api/routes/v1/person-lookup.ts): a person found by mobile or reference id, with their journey's
 * history — stages, appointments, doses, SMS, certificates — masked as on the desk. Officers search their
 * jurisdiction; desk staff pick one of today's session days they are on. The server audits every search.
 */
export function PersonLookupPage(_props: { params: RouteParams }) {
  const session = useStaffSession();
  const { t, formatDate, locale } = useI18n();
  const [key, setKey] = useState<Key>('mobile');
  const [value, setValue] = useState('');
  const [sessionDayId, setSessionDayId] = useState('');
  const [deskDays, setDeskDays] = useState<DeskToday['sessions']>([]);
  const [people, setPeople] = useState<PersonHistory[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const token = session?.token;
  const atDesk = session?.staff.role === 'VACCINATOR';

  useEffect(() => {
    if (!atDesk || !token) return;
    apiGet<DeskToday>('/api/v1/desk/today', { token })
      .then((today) => {
        setDeskDays(today.sessions);
        setSessionDayId((current) => current || today.sessions[0]?.sessionDayId || '');
      })
      .catch((failure: unknown) => setError(errorMessage(failure)));
  }, [atDesk, token]);

  const clock = useMemo(
    () => new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Kolkata', dateStyle: 'medium', timeStyle: 'short' }),
    [locale],
  );
  if (!session) return null;
  const at = (iso: string | null) => (iso ? clock.format(new Date(iso)) : '—');
  const details = (d: RecordedDetails) =>
    `${d.name}, ${d.birthYear}, ${t(`gender.${d.gender}`)}, ${ID_TYPES.includes(d.idType) ? t(`idType.${d.idType}`) : `#${d.idType}`} ${d.idNumberMasked}`;

  async function search(event?: FormEvent) {
    event?.preventDefault();
    setBusy(true);
    try {
      const found = await lookUpPeople(
        { [key]: value.trim(), ...(atDesk && sessionDayId ? { sessionDayId } : {}) },
        session!.token,
      );
      setPeople(found.people);
      setError(undefined);
      setNotice(undefined);
    } catch (failure) {
      setPeople(undefined);
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="page lookup-page">
      <h1>{t('lookup.title')}</h1>
      <p className="muted">{atDesk ? t('lookup.introDesk') : t('lookup.intro')}</p>
      <form className="lookup-form" onSubmit={(e) => void search(e)}>
        <fieldset className="lookup-key">
          <legend>{t('lookup.findBy')}</legend>
          {(['mobile', 'referenceId'] as const).map((k) => (
            <label key={k}>
              <input type="radio" name="lookup-key" checked={key === k} onChange={() => setKey(k)} />
              {t(`lookup.key.${k}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t(`lookup.key.${key}`)}
          <input
            inputMode="numeric"
            autoComplete="off"
            required
            value={value}
            pattern={key === 'mobile' ? '[6-9][0-9]{9}' : '[0-9]{14}'}
            placeholder={key === 'mobile' ? '98XXXXXXXX' : '12345678901234'}
            onChange={(e) => setValue(e.target.value)}
          />
        </label>
        {atDesk && (
          <label>
            {t('lookup.sessionDay')}
            <select required value={sessionDayId} onChange={(e) => setSessionDayId(e.target.value)}>
              {deskDays.map((d) => (
                <option key={d.sessionDayId} value={d.sessionDayId}>
                  {d.site.name} · {d.vaccineName}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('working') : t('lookup.search')}
        </button>
      </form>
      <p className="muted small">{t('lookup.audited')}</p>
      {error && (
        <p className="error-detail" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {people?.map((p) => (
        <article key={p.referenceId} className="card lookup-person" data-testid="lookup-person">
          <header>
            <h2>{p.name}</h2>
            <p>
              {t('lookup.person', {
                birthYear: p.birthYear,
                gender: t(`gender.${p.gender}`),
                idType: ID_TYPES.includes(p.idType) ? t(`idType.${p.idType}`) : `#${p.idType}`,
                idNumber: p.idNumberMasked,
                mobile: p.mobileMasked,
              })}
            </p>
            <p>
              <strong>{t(`stage.${p.stage}`)}</strong> · {t('lookup.reference', { referenceId: p.referenceId })} ·{' '}
              {t('lookup.registered', { at: at(p.registeredAt) })}
              {p.nextDoseDueOn && <> · {t('lookup.nextDue', { date: formatDate(p.nextDoseDueOn) })}</>}
              {p.journeyInactiveSince && <> · {t('lookup.journeyInactive', { at: at(p.journeyInactiveSince) })}</>}
              {p.dryRun && <> · {t('lookup.dryRun')}</>}
            </p>
          </header>

          <h3>{t('lookup.stages')}</h3>
          {p.stages.length === 0 ? (
            <p className="muted">{t('lookup.none')}</p>
          ) : (
            <ol className="lookup-timeline">
              {p.stages.map((s, i) => (
                <li key={i}>
                  <time>{at(s.at)}</time> {t(`stage.${s.to}`)}
                </li>
              ))}
            </ol>
          )}

          <h3>{t('lookup.appointments')}</h3>
          {p.appointments.length === 0 ? (
            <p className="muted">{t('lookup.none')}</p>
          ) : (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th>{t('lookup.col.dose')}</th>
                    <th>{t('lookup.col.date')}</th>
                    <th>{t('lookup.col.site')}</th>
                    <th>{t('lookup.col.status')}</th>
                    <th>{t('lookup.col.booked')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.appointments.map((a) => (
                    <tr key={a.appointmentId}>
                      <td>{a.dose}</td>
                      <td>
                        {formatDate(a.date)}
                        {a.slot && <span className="muted"> {a.slot}</span>}
                      </td>
                      <td>
                        {a.site}, {a.district}
                      </td>
                      <td>{t(`appointmentStatus.${a.status}`)}</td>
                      <td>{at(a.bookedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <h3>{t('lookup.doses')}</h3>
          {p.doses.length === 0 ? (
            <p className="muted">{t('lookup.none')}</p>
          ) : (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th>{t('lookup.col.dose')}</th>
                    <th>{t('lookup.col.given')}</th>
                    <th>{t('lookup.col.vaccine')}</th>
                    <th>{t('lookup.col.site')}</th>
                    <th>{t('lookup.col.vaccinator')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.doses.map((d) =>
                    d.addedByOfficer ? (
                      <tr key={d.doseId} className="lookup-dose-elsewhere" data-testid="dose-elsewhere">
                        <td>{d.dose}</td>
                        <td>
                          {formatDate(indiaDate(new Date(d.administeredAt)))}
                          <span className="muted"> {t('lookup.elsewhere.given')}</span>
                        </td>
                        <td>
                          {d.vaccine} · {d.batch === 'NOT KNOWN' ? t('lookup.elsewhere.batchNotKnown') : d.batch}
                        </td>
                        <td>
                          {d.addedByOfficer.place}
                          <div className="muted small">
                            {t('lookup.elsewhere.evidence', {
                              reference: d.addedByOfficer.evidenceReference,
                              note: d.addedByOfficer.note,
                            })}
                          </div>
                        </td>
                        <td>
                          {t('lookup.elsewhere.addedBy', {
                            officer: d.addedByOfficer.officer,
                            at: at(d.addedByOfficer.addedAt),
                          })}
                        </td>
                      </tr>
                    ) : (
                      <tr key={d.doseId}>
                        <td>{d.dose}</td>
                        <td>
                          {at(d.administeredAt)}
                          {d.source === 'OFFLINE' && <span className="muted"> {t('lookup.offline')}</span>}
                        </td>
                        <td>
                          {d.vaccine} · {d.batch}
                        </td>
                        <td>
                          {d.site}, {d.district}
                        </td>
                        <td>{d.vaccinator}</td>
                      </tr>
                    ),
                  )}
                </tbody>
              </table>
            </div>
          )}

          <h3>{t('lookup.sms')}</h3>
          {p.sms.length === 0 ? (
            <p className="muted">{t('lookup.none')}</p>
          ) : (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th>{t('lookup.col.message')}</th>
                    <th>{t('lookup.col.queued')}</th>
                    <th>{t('lookup.col.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.sms.map((m, i) => (
                    <tr key={i}>
                      <td>
                        <code>{m.template}</code> <span className="muted">{m.language}</span>
                      </td>
                      <td>{at(m.createdAt)}</td>
                      <td>{t(`lookup.smsStatus.${m.status}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          <h3>{t('lookup.certificates')}</h3>
          {p.certificates.length === 0 ? (
            <p className="muted">{t('lookup.none')}</p>
          ) : (
            <ul className="lookup-certificates">
              {p.certificates.map((c) => (
                <li key={c.certificateId}>
                  {t('lookup.certificate', {
                    id: c.certificateId,
                    kind: c.kind,
                    doses: c.doses,
                    at: at(c.issuedAt),
                  })}
                  {c.revokedAt && (
                    <span className="lookup-revoked">
                      {' '}
                      {t('lookup.revoked', { at: at(c.revokedAt), reason: c.revocationReason ?? '' })}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          )}

          {!atDesk && p.certificatesToReissue.length > 0 && (
            <CertificateReissue
              person={p}
              token={session.token}
              onReissued={async (message) => {
                await search();
                setNotice(message);
              }}
            />
          )}

          <h3>{t('lookup.corrections')}</h3>
          {p.corrections.length === 0 ? (
            <p className="muted">{t('lookup.none')}</p>
          ) : (
            <ul className="lookup-certificates lookup-corrections">
              {p.corrections.map((c, i) => (
                <li key={i}>
                  {t('lookup.correctionLine', {
                    at: at(c.at),
                    by: c.by,
                    before: details(c.before),
                    after: details(c.after),
                  })}
                  {c.reason && <span className="muted"> — {c.reason}</span>}
                </li>
              ))}
            </ul>
          )}
          {!atDesk && (
            <DoseGivenElsewhere
              person={p}
              staff={session.staff}
              token={session.token}
              onAdded={async (message) => {
                await search();
                setNotice(message);
              }}
            />
          )}
          {!atDesk && (
            <OfficerCorrection
              person={p}
              token={session.token}
              onCorrected={async (message) => {
                await search();
                setNotice(message);
              }}
            />
          )}
        </article>
      ))}
    </section>
  );
}

type RecordedDetails = PersonHistory['corrections'][number]['before'];

/**
 * An officer's correction of a person's name, year of birth, gender or photo ID, with the reason (what document was
 * seen); the server audits it, revokes the certificate and issues it again with the corrected details.
 */
function OfficerCorrection({
  person,
  token,
  onCorrected,
}: {
  person: PersonHistory;
  token: string;
  onCorrected: (message: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name')).trim();
    const birthYear = Number(form.get('birthYear'));
    const gender = String(form.get('gender')) as PersonHistory['gender'];
    const idNumber = String(form.get('idNumber') ?? '').replace(/\s/g, '');
    setBusy(true);
    try {
      const done = await correctAsOfficer(
        person.referenceId,
        {
          ...(name !== person.name ? { name } : {}),
          ...(birthYear !== person.birthYear ? { birthYear } : {}),
          ...(gender !== person.gender ? { gender } : {}),
          ...(idNumber ? { idType: Number(form.get('idType')), idNumber } : {}),
          reason: String(form.get('reason')).trim(),
        },
        token,
      );
      setError(undefined);
      await onCorrected(
        done.certificates.failed.length > 0
          ? t('lookup.correctedReissueFailed', { name: done.person.name })
          : t('lookup.corrected', { name: done.person.name, reissued: done.certificates.reissued.length }),
      );
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <details className="lookup-correction" data-testid="officer-correction">
      <summary>{t('lookup.correct')}</summary>
      <p className="muted small">{t('lookup.correctIntro')}</p>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('portal.name')}
          <input name="name" required maxLength={100} defaultValue={person.name} />
        </label>
        <label>
          {t('portal.birthYear')}
          <input name="birthYear" type="number" min={1900} required defaultValue={person.birthYear} />
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
            {ID_TYPES.map((id) => (
              <option key={id} value={id}>
                {t(`idType.${id}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('portal.correction.idNumber', { current: person.idNumberMasked })}
          <input name="idNumber" minLength={4} maxLength={30} autoComplete="off" />
        </label>
        <label>
          {t('lookup.reason')}
          <input name="reason" required minLength={3} maxLength={300} />
        </label>
        <button type="submit" className="button-primary" disabled={busy}>
          {t('lookup.correctSubmit')}
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

/**
 * A dose the person was given elsewhere (another site or district, abroad, a paper record never entered), added
 * with its evidence. It counts like any dose: the person's journey moves on and the certificate is issued again
 * showing it, marked as recorded by an officer. One key per form, so a double click or a retry adds it once.
 */
function DoseGivenElsewhere({
  person,
  staff,
  token,
  onAdded,
}: {
  person: PersonHistory;
  staff: StaffProfile;
  token: string;
  onAdded: (message: string) => Promise<void>;
}) {
  const { t, language } = useI18n();
  // A person in no district yet: the officer names the district that records the dose, one of their jurisdiction.
  const recordingDistricts = useDistrictList(INDIA_MAP_DATA.districts)
    .filter((d) =>
      staff.role === 'DISTRICT_OFFICER'
        ? d.id === staff.districtId
        : staff.role === 'STATE_OFFICER'
          ? d.stateId === staff.stateId
          : true,
    )
    .map((d) => ({ id: d.id, name: (language === 'hi' && d.nameHi) || d.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [clientEventId, setClientEventId] = useState(() => `elsewhere-${crypto.randomUUID()}`);
  const nextDose = Math.min(3, (person.doses.at(-1)?.dose ?? 0) + 1);
  const lastVaccine = person.doses.at(-1)?.vaccineCode ?? person.vaccineCode ?? VACCINE_CODES[0];
  const today = indiaDate();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const batch = String(form.get('batch') ?? '').trim();
    const districtId = person.districtId === null ? Number(form.get('districtId')) : undefined;
    setBusy(true);
    try {
      const done = await addDoseGivenElsewhere(
        person.referenceId,
        {
          clientEventId,
          dose: Number(form.get('dose')),
          vaccineCode: String(form.get('vaccineCode')),
          givenOn: String(form.get('givenOn')),
          ...(batch ? { batch } : {}),
          ...(districtId ? { districtId } : {}),
          place: String(form.get('place')).trim(),
          evidence: { reference: String(form.get('reference')).trim(), note: String(form.get('note')).trim() },
        },
        token,
      );
      setError(undefined);
      setClientEventId(`elsewhere-${crypto.randomUUID()}`);
      formElement.reset();
      await onAdded(t('lookup.elsewhere.added', { dose: done.dose.dose, name: person.name }));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <details className="lookup-correction" data-testid="dose-elsewhere-form">
      <summary>{t('lookup.elsewhere.title')}</summary>
      <p className="muted small">{t('lookup.elsewhere.intro')}</p>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('lookup.elsewhere.dose')}
          <select name="dose" defaultValue={String(nextDose)} key={nextDose}>
            <option value="1">{t('lookup.elsewhere.doseN', { dose: 1 })}</option>
            <option value="2">{t('lookup.elsewhere.doseN', { dose: 2 })}</option>
            <option value="3">{t('lookup.elsewhere.precaution')}</option>
          </select>
        </label>
        <label>
          {t('lookup.elsewhere.vaccine')}
          <select name="vaccineCode" defaultValue={lastVaccine}>
            {VACCINE_CODES.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </label>
        {person.districtId === null && (
          <p id="elsewhere-district-hint" className="muted small grid-form-full">
            {t('lookup.elsewhere.districtHint')}
          </p>
        )}
        {person.districtId === null && (
          <label>
            {t('lookup.elsewhere.district')}
            <select
              name="districtId"
              key={recordingDistricts.length}
              required
              defaultValue={recordingDistricts.length === 1 ? String(recordingDistricts[0]!.id) : ''}
              aria-describedby="elsewhere-district-hint"
            >
              <option value="" disabled>
                —
              </option>
              {recordingDistricts.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('lookup.elsewhere.givenOn')}
          <input name="givenOn" type="date" required max={today} />
        </label>
        <label>
          {t('lookup.elsewhere.batch')}
          <input name="batch" maxLength={40} autoComplete="off" />
        </label>
        <label>
          {t('lookup.elsewhere.place')}
          <input name="place" required minLength={2} maxLength={200} />
        </label>
        <label>
          {t('lookup.elsewhere.reference')}
          <input name="reference" required minLength={2} maxLength={80} autoComplete="off" />
        </label>
        <label className="grid-form-full">
          {t('lookup.elsewhere.note')}
          <input name="note" required minLength={3} maxLength={500} />
        </label>
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? t('working') : t('lookup.elsewhere.submit')}
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

/**
 * A person left without a certificate they held (revoked after a correction, and the reissue failed): the officer
 * issues it again from the current record, with a reason; the server audits it.
 */
function CertificateReissue({
  person,
  token,
  onReissued,
}: {
  person: PersonHistory;
  token: string;
  onReissued: (message: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    try {
      const done = await reissueCertificates(person.referenceId, { reason: String(form.get('reason')).trim() }, token);
      setError(undefined);
      await onReissued(t('lookup.reissue.done', { count: done.reissued.length }));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="lookup-reissue" role="alert" data-testid="certificate-reissue">
      <p>
        {t('lookup.reissue.missing', {
          kinds: person.certificatesToReissue.map((kind) => t(`lookup.reissue.kind.${kind}`)).join(', '),
        })}
      </p>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('lookup.reason')}
          <input name="reason" required minLength={3} maxLength={300} />
        </label>
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? t('working') : t('lookup.reissue.submit')}
        </button>
      </form>
      {error && (
        <p className="error-detail" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
