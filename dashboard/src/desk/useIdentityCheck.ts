import { useState, type FormEvent } from 'react';
import { MAX_SECRET_CODE_TRIES, secretCodeCheck } from '../../../domain/desk-code-check';
import { isNoResponse } from '../api/client';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { countWrongCodeTry, wrongCodeTries } from '../offline/desk-store';
import { sendDeskOtp, verifyAtDoor, type DeskPerson, type DeskSession, type Verification } from './api';
import type { DeskMessage } from './messages';

/** Who the record screen is for: someone on the list, a walk-in just registered, or one registered on this phone. */
export type Picked = {
  person?: DeskPerson;
  referenceId?: string;
  secretCode?: string;
  walkIn?: { clientEventId: string; name: string };
};

/** How the person's identity stands checked, which decides what their dose sends the server. */
export type Checked =
  | { kind: 'server'; verification: Verification }
  /** A walk-in registered on this phone: the vaccinator saw their photo ID; the server checks at sync. */
  | { kind: 'walk-in'; clientEventId: string }
  | { kind: 'device'; secretCode: string }
  | { kind: 'door'; verificationId: string };

export type CheckMode = 'door' | 'record' | 'vaccinate';

export type IdentityNotice = { tone: 'ok' | 'error'; text: string };

/**
 * The identity check's state and steps. Online the server checks the secret code or an OTP; offline the phone
 * checks the code against the list's keyed hash and counts wrong tries, and the server checks the code again when
 * the dose syncs. A walk-in registered on this phone, and (for a vaccinator) someone checked at the door, start
 * checked.
 */
export function useIdentityCheck({
  session,
  token,
  person,
  prefill,
  mode,
  onMessage,
}: {
  session: DeskSession;
  token: string;
  person?: DeskPerson;
  prefill?: Picked;
  mode: CheckMode;
  onMessage: (message: DeskMessage | undefined) => void;
}) {
  const { t } = useI18n();
  const [referenceId, setReferenceId] = useState(person?.referenceId ?? prefill?.referenceId ?? '');
  const [secretCode, setSecretCode] = useState(prefill?.secretCode ?? '');
  const [method, setMethod] = useState<'code' | 'otp'>('code');
  const [mobile, setMobile] = useState('');
  const [txnId, setTxnId] = useState<string>();
  const [otp, setOtp] = useState('');
  const [checked, setChecked] = useState<Checked | undefined>(() =>
    prefill?.walkIn
      ? { kind: 'walk-in', clientEventId: prefill.walkIn.clientEventId }
      : mode === 'vaccinate' && person?.verificationId
        ? { kind: 'door', verificationId: person.verificationId }
        : undefined,
  );
  const [notice, setNotice] = useState<IdentityNotice>();
  const [busy, setBusy] = useState(false);
  const listed = person ?? session.people.find((p) => p.referenceId === referenceId);
  const name = listed?.name ?? prefill?.walkIn?.name;

  function reset() {
    setChecked(undefined);
    setNotice(undefined);
  }

  async function checkOnDevice() {
    if (!listed) return setNotice({ tone: 'error', text: t('desk.verify.offlineUnknown') });
    if ((await wrongCodeTries(session.sessionDayId, listed.referenceId)) >= MAX_SECRET_CODE_TRIES)
      return setNotice({ tone: 'error', text: t('desk.verify.offlineLocked') });
    if ((await secretCodeCheck(session.codeKey, listed.referenceId, secretCode)) === listed.codeCheck) {
      setChecked({ kind: 'device', secretCode });
      setNotice({ tone: 'ok', text: t('desk.verify.offlineMatch') });
      return;
    }
    const tries = await countWrongCodeTry(session.sessionDayId, listed.referenceId);
    setNotice(
      tries >= MAX_SECRET_CODE_TRIES
        ? { tone: 'error', text: t('desk.verify.offlineLocked') }
        : { tone: 'error', text: t('desk.verify.offlineMismatch', { count: MAX_SECRET_CODE_TRIES - tries }) },
    );
  }

  async function verify(event: FormEvent) {
    event.preventDefault();
    onMessage(undefined);
    setNotice(undefined);
    if (!navigator.onLine) {
      if (method === 'otp') setNotice({ tone: 'error', text: t('desk.verify.offlineOtp') });
      else await checkOnDevice();
      return;
    }
    setBusy(true);
    try {
      if (method === 'otp' && !txnId) {
        setTxnId((await sendDeskOtp({ sessionDayId: session.sessionDayId, mobile }, token)).txnId);
        setNotice({ tone: 'ok', text: t('desk.verify.otpSent') });
        return;
      }
      const verification = await verifyAtDoor(
        method === 'otp'
          ? { sessionDayId: session.sessionDayId, referenceId, mobile, txnId: txnId!, otp }
          : { sessionDayId: session.sessionDayId, referenceId, secretCode },
        token,
      );
      setChecked({ kind: 'server', verification });
    } catch (failure) {
      if (isNoResponse(failure) && method === 'code') await checkOnDevice();
      else setNotice({ tone: 'error', text: errorText(failure) });
    } finally {
      setBusy(false);
    }
  }

  /** From the secret code to an OTP sent to the person's mobile, or back. */
  function switchMethod() {
    setMethod(method === 'code' ? 'otp' : 'code');
    setTxnId(undefined);
    setOtp('');
    reset();
  }

  /** Ready for the next person (after their dose is recorded). */
  function clear() {
    setReferenceId('');
    setSecretCode('');
    reset();
  }

  const verification = checked?.kind === 'server' ? checked.verification : undefined;
  return {
    fields: { referenceId, secretCode, method, mobile, txnId, otp },
    edit: {
      referenceId: (value: string) => {
        setReferenceId(value);
        reset();
      },
      secretCode: (value: string) => {
        setSecretCode(value);
        reset();
      },
      mobile: setMobile,
      otp: setOtp,
    },
    checked,
    verification,
    /** The dose the person is due here, by the server's check, as a walk-in, or by the list. */
    due: verification ? verification.dueDose : checked?.kind === 'walk-in' ? 1 : (listed?.dose ?? null),
    name,
    notice,
    busy,
    verify,
    switchMethod,
    clear,
  };
}

export type IdentityCheckState = ReturnType<typeof useIdentityCheck>;
