import type { StaffSession } from '../auth/staff-session';
import { idTypeName } from '../components/id-types';
import { useI18n } from '../i18n/useI18n';
import type { PersonHistory } from './api';
import { CertificateReissue } from './CertificateReissue';
import { DoseGivenElsewhere } from './DoseGivenElsewhere';
import { OfficerCorrection } from './OfficerCorrection';
import { PersonDoses } from './PersonDoses';

type RecordedDetails = PersonHistory['corrections'][number]['before'];

/**
 * A person found, masked as on the desk: their stage, and their journey's history (stages, appointments, doses,
 * SMS, certificates, corrections); an officer (not the desk) also corrects, adds a dose given elsewhere, or issues a
 * lost certificate again, and `onChanged` says what was done.
 */
export function PersonHistoryCard({
  person: p,
  session,
  atDesk,
  at,
  onChanged,
}: {
  person: PersonHistory;
  session: StaffSession;
  atDesk: boolean;
  at: (iso: string | null) => string;
  onChanged: (message: string) => Promise<void>;
}) {
  const { t, formatDate } = useI18n();
  const details = (d: RecordedDetails) =>
    `${d.name}, ${d.birthYear}, ${t(`gender.${d.gender}`)}, ${idTypeName(t, d.idType)} ${d.idNumberMasked}`;
  return (
    <article className="card lookup-person" data-testid="lookup-person">
      <header>
        <h2>{p.name}</h2>
        <p>
          {t('lookup.person', {
            birthYear: p.birthYear,
            gender: t(`gender.${p.gender}`),
            idType: idTypeName(t, p.idType),
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

      <PersonDoses person={p} at={at} />

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
        <CertificateReissue person={p} token={session.token} onReissued={onChanged} />
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
      {!atDesk && <DoseGivenElsewhere person={p} staff={session.staff} token={session.token} onAdded={onChanged} />}
      {!atDesk && <OfficerCorrection person={p} token={session.token} onCorrected={onChanged} />}
    </article>
  );
}
