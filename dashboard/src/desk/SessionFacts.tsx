import { useI18n } from '../i18n/useI18n';
import type { DeskSession } from './api';

/** The session day at work: a dry run's banner, then its site, vaccine, hours and status. */
export function SessionFacts({ session }: { session: DeskSession }) {
  const { t } = useI18n();
  return (
    <>
      {session.dryRun && (
        <p className="notice dry-run-banner" role="status" data-testid="dry-run-banner">
          {t('desk.dryRun')}
        </p>
      )}
      <p className="desk-session">
        {t('desk.sessionLine', {
          site: session.site.name,
          vaccine: session.vaccineName,
          opens: session.opensAt.slice(0, 5),
          closes: session.closesAt.slice(0, 5),
          status: t(`sessionStatus.${session.status}`),
        })}
      </p>
    </>
  );
}
