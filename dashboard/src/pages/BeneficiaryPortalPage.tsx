import { useEffect } from 'react';
import { useBeneficiarySession } from '../auth/beneficiary-session';
import { useI18n } from '../i18n/useI18n';
import { Account } from '../portal/Account';
import { rememberLanguage, smsLanguage } from '../portal/api';
import { OtpLogin } from '../portal/OtpLogin';
import type { RouteParams } from '../routes';

/**
 * The citizen portal: log-in by OTP, then the account's people, their bookings, doses and certificates. The
 * screens are in dashboard/src/portal/.
 */
export function BeneficiaryPortalPage(_props: { params: RouteParams }) {
  const session = useBeneficiarySession();
  const { t, language } = useI18n();
  // The account keeps the language of its screen: its SMS go out in it (a failure here only leaves the old one).
  const loggedIn = Boolean(session);
  useEffect(() => {
    const sms = smsLanguage(language);
    if (loggedIn && sms) rememberLanguage(sms).catch(() => undefined);
  }, [loggedIn, language]);
  return (
    <section className="page portal">
      <header className="portal-header">
        <h1>{t('portal.title')}</h1>
      </header>
      {session ? <Account mobile={session.mobile} /> : <OtpLogin />}
    </section>
  );
}
