import { useI18n } from '../i18n/useI18n';
import type { IdentityCheckState } from './useIdentityCheck';

/** The form that checks who the person is: their reference ID, then the secret code or an OTP to their mobile. */
export function IdentityForm({ check, online }: { check: IdentityCheckState; online: boolean }) {
  const { t } = useI18n();
  const { fields, edit, checked, name, busy } = check;
  return (
    <form className="form" onSubmit={(e) => void check.verify(e)}>
      {name && <p className="desk-person-name">{name}</p>}
      <label>
        {t('desk.verify.referenceId')}
        <input
          name="referenceId"
          inputMode="numeric"
          pattern="[0-9]{14}"
          maxLength={14}
          required
          value={fields.referenceId}
          onChange={(e) => edit.referenceId(e.target.value.replace(/\D/g, ''))}
        />
      </label>
      {fields.method === 'code' ? (
        <label>
          {t('desk.verify.secretCode')}
          <input
            name="secretCode"
            className="code-input"
            inputMode="numeric"
            pattern="[0-9]{4}"
            maxLength={4}
            required
            autoComplete="off"
            value={fields.secretCode}
            onChange={(e) => edit.secretCode(e.target.value.replace(/\D/g, ''))}
          />
        </label>
      ) : (
        <>
          <label>
            {t('desk.verify.mobile')}
            <input
              name="mobile"
              inputMode="numeric"
              pattern="[6-9][0-9]{9}"
              maxLength={10}
              required
              value={fields.mobile}
              disabled={!!fields.txnId}
              onChange={(e) => edit.mobile(e.target.value.replace(/\D/g, ''))}
            />
          </label>
          {fields.txnId && (
            <label>
              {t('desk.verify.otp')}
              <input
                name="otp"
                inputMode="numeric"
                pattern="[0-9]{6}"
                maxLength={6}
                required
                autoComplete="one-time-code"
                value={fields.otp}
                onChange={(e) => edit.otp(e.target.value.replace(/\D/g, ''))}
              />
            </label>
          )}
        </>
      )}
      {!checked && (
        <div className="button-row">
          <button type="submit" className="button-primary button-big" disabled={busy}>
            {fields.method === 'otp'
              ? fields.txnId
                ? t('desk.verify.confirmOtp')
                : t('desk.verify.sendOtp')
              : online
                ? t('desk.verify.check')
                : t('desk.verify.checkOffline')}
          </button>
          <button type="button" className="link-button" onClick={check.switchMethod}>
            {fields.method === 'code' ? t('desk.verify.byOtp') : t('desk.verify.bySecretCode')}
          </button>
        </div>
      )}
    </form>
  );
}
