import { useState, type FormEvent } from 'react';
import { isNoResponse } from '../api/client';
import { BirthYearInput, GenderSelect, IdTypeSelect } from '../components/PersonFields';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { captureWalkIn } from '../offline/desk-store';
import { registerWalkIn, type DeskPerson, type DeskSession } from './api';

/**
 * A person who comes without a booking, registered at the desk into the session's walk-in seats. With no
 * network the walk-in waits on the phone, like a dose, and is registered when it syncs.
 */
export function WalkInForm({
  session,
  token,
  online,
  onRegistered,
  onSavedOnPhone,
}: {
  session: DeskSession;
  token: string;
  online: boolean;
  onRegistered: (referenceId: string, secretCode: string, name: string) => void;
  onSavedOnPhone: (clientEventId: string, name: string) => void;
}) {
  const { t } = useI18n();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    const name = String(form.get('name')).trim();
    const request = {
      sessionDayId: session.sessionDayId,
      mobile: String(form.get('mobile')),
      person: {
        name,
        birthYear: Number(form.get('birthYear')),
        gender: String(form.get('gender')) as DeskPerson['gender'], // the select offers only M, F and O
        idType: Number(form.get('idType')),
        idNumber: String(form.get('idNumber')).replace(/\s/g, ''),
      },
    };
    const saveOnPhone = async () => {
      const saved = await captureWalkIn({ ...request, displayName: name });
      onSavedOnPhone(saved.clientEventId, name);
    };
    try {
      if (!navigator.onLine) return await saveOnPhone();
      const registered = await registerWalkIn(request, token);
      onRegistered(registered.referenceId, registered.secretCode, name);
    } catch (failure) {
      if (isNoResponse(failure)) await saveOnPhone();
      else setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section>
      <p className="muted">
        {t('desk.walkIn.seatsLeft', {
          count: Math.max(0, session.counts.walkinCapacity - session.counts.walkinUsed),
        })}
      </p>
      {!online && <p className="notice">{t('desk.walkIn.offlineNote')}</p>}
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('desk.walkIn.mobile')}
          <input name="mobile" inputMode="numeric" pattern="[6-9][0-9]{9}" maxLength={10} required />
        </label>
        <label>
          {t('desk.walkIn.name')}
          <input name="name" required maxLength={100} />
        </label>
        <label>
          {t('desk.walkIn.birthYear')}
          <BirthYearInput />
        </label>
        <label>
          {t('desk.walkIn.gender')}
          <GenderSelect />
        </label>
        <label>
          {t('desk.walkIn.idType')}
          <IdTypeSelect />
        </label>
        <label>
          {t('desk.walkIn.idNumber')}
          <input name="idNumber" required minLength={4} maxLength={30} autoComplete="off" />
        </label>
        {error && (
          <p className="error-detail" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button-primary button-big" disabled={busy}>
          {online ? t('desk.walkIn.register') : t('desk.walkIn.registerOffline')}
        </button>
      </form>
    </section>
  );
}
