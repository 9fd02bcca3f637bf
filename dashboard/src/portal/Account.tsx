import { useState } from 'react';
import { beneficiaryLogout } from '../auth/beneficiary-session';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { AddPersonForm } from './AddPersonForm';
import { cancelAppointment, MAX_PEOPLE, removePerson, type Appointment, type Person } from './api';
import { PersonCard } from './PersonCard';
import { SlotSearch, type BookingTarget } from './SlotSearch';
import { usePeople } from './usePeople';

/**
 * The logged-in account: its people, each with what they can do, the slot search for the one booking, the form
 * to add another person (up to four), and the confirmation before cancelling or removing.
 */
export function Account({ mobile }: { mobile: string }) {
  const { t } = useI18n();
  const { people, error, setError, reload } = usePeople();
  const [notice, setNotice] = useState<string>();
  const [target, setTarget] = useState<BookingTarget>();
  const [confirm, setConfirm] = useState<
    { kind: 'cancel'; appointment: Appointment } | { kind: 'remove'; person: Person }
  >();

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
