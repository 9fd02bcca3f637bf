import { useI18n } from '../i18n/useI18n';
import type { Verification } from './api';

/**
 * What the server's check found: the person, their priority group, the dose they are due (or that they were
 * vaccinated here already), and other registrations with the same photo ID.
 */
export function VerifiedCard({
  verification,
  due,
  atDoor,
}: {
  verification: Verification;
  due: number | null;
  /** A door check: a person due a dose is sent on to the vaccinator. */
  atDoor: boolean;
}) {
  const { t } = useI18n();
  const alreadyDone = verification.vaccinatedHere;
  return (
    <div className="verified-card" data-testid="verified-card">
      <strong>{t('desk.verify.verifiedCard', { name: verification.person.name })}</strong>
      <span>
        {t('desk.verify.personFacts', {
          gender: t(`gender.${verification.person.gender}`),
          birthYear: verification.person.birthYear,
          idNumber: verification.person.idNumberMasked,
        })}
      </span>
      {verification.person.priorityGroup && (
        <span className="badge badge-group" data-testid="priority-group">
          {t('desk.verify.priorityGroup', { group: t(`priority.group.${verification.person.priorityGroup}`) })}
        </span>
      )}
      <span>
        {alreadyDone
          ? t('desk.verify.alreadyVaccinated', { dose: alreadyDone.dose })
          : due
            ? t('desk.verify.due', { dose: due })
            : t('desk.verify.notDue')}
      </span>
      {atDoor && !alreadyDone && due && <span>{t('desk.verify.sendToVaccinator')}</span>}
      {verification.otherRegistrations?.map((other) => (
        <span key={other.referenceId} className="error-detail" role="alert" data-testid="other-registration">
          {t('desk.verify.otherRegistration', {
            name: other.name,
            birthYear: other.birthYear,
            idNumber: other.idNumberMasked,
            doses: other.doses,
          })}
        </span>
      ))}
    </div>
  );
}
