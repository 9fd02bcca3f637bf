import { useI18n } from '../i18n/useI18n';
import type { DeskPerson, DeskSession } from './api';
import { DoseForm } from './DoseForm';
import { IdentityForm } from './IdentityForm';
import type { DeskMessage } from './messages';
import { useDoseBatch } from './useDoseBatch';
import { useIdentityCheck, type CheckMode, type Picked } from './useIdentityCheck';
import { VerifiedCard } from './VerifiedCard';

/**
 * Who the person is, then (unless at the door) the dose. A vaccinator whose team has a door check records against
 * that check; a walk-in registered on this phone needs no check here (their photo ID was just seen).
 */
export function IdentityCheck({
  session,
  token,
  online,
  person,
  prefill,
  mode,
  onMessage,
  onDone,
}: {
  session: DeskSession;
  token: string;
  online: boolean;
  person?: DeskPerson;
  prefill?: Picked;
  mode: CheckMode;
  onMessage: (message: DeskMessage | undefined) => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const check = useIdentityCheck({ session, token, person, prefill, mode, onMessage });
  const batch = useDoseBatch(session.sessionDayId, token, online);
  const { checked, verification, due, name, notice } = check;
  const alreadyDone = verification?.vaccinatedHere;
  const canRecord = checked && mode !== 'door' && !alreadyDone && due !== null;
  return (
    <section className="record-dose">
      {checked?.kind !== 'door' && checked?.kind !== 'walk-in' && <IdentityForm check={check} online={online} />}
      {notice && (
        <p className={notice.tone === 'ok' ? 'notice' : 'error-detail'} role="status" data-testid="identity-notice">
          {notice.text}
        </p>
      )}
      {verification && <VerifiedCard verification={verification} due={due} atDoor={mode === 'door'} />}
      {(checked?.kind === 'door' || checked?.kind === 'walk-in') && name && <p className="desk-person-name">{name}</p>}
      {checked?.kind === 'walk-in' && <p className="notice">{t('desk.walkIn.onPhoneIdentity')}</p>}
      {mode === 'door' && checked && (
        <button type="button" className="button-secondary button-big" onClick={onDone}>
          {t('desk.verify.next')}
        </button>
      )}
      {canRecord && (
        <DoseForm
          session={session}
          token={token}
          referenceId={check.fields.referenceId}
          checked={checked}
          name={name}
          due={due}
          batch={batch}
          onMessage={onMessage}
          onRecorded={() => {
            check.clear();
            onDone();
          }}
        />
      )}
    </section>
  );
}
