import { useState, type FormEvent } from 'react';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { sendOtp, verifyOtp } from './api';
import { useResendWait } from './useResendWait';

/** Log-in by a one-time code sent to the mobile number, with a resend after a cool-down and a change of number. */
export function OtpLogin() {
  const { t, language } = useI18n();
  const [mobile, setMobile] = useState('');
  const [txnId, setTxnId] = useState<string>();
  const [otp, setOtp] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const resend = useResendWait();
  const { waitSeconds } = resend;

  async function requestOtp() {
    setBusy(true);
    setError(undefined);
    try {
      setTxnId(await sendOtp(mobile, language));
      setOtp('');
      resend.sent();
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
    resend.clear();
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
