import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { downloadCertificate, dueDose, type Appointment, type Person } from './api';
import { CorrectionForm } from './CorrectionForm';

/**
 * One person on the account: their reference ID and secret code, appointments (to reschedule or cancel), doses,
 * what they can do next (book their due dose, download the certificate, remove a person with no dose), and their
 * one correction of details.
 */
export function PersonCard({
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
