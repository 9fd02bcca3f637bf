import { useI18n } from '../i18n/useI18n';
import type { DeskSession } from './api';

/** The desk's title, who is at it and in which team role, and whether the phone has a network. */
export function DeskHeader({
  staffName,
  session,
  online,
}: {
  staffName: string;
  session: DeskSession | undefined;
  online: boolean;
}) {
  const { t } = useI18n();
  return (
    <header className="desk-header">
      <div>
        <h1>{t('desk.title')}</h1>
        <p className="muted">
          {staffName}
          {session && (
            <>
              {' · '}
              <span className="role-pill" data-testid="team-role">
                {t(`desk.role.${session.teamRole}`)}
              </span>
            </>
          )}
        </p>
      </div>
      <span className={`net-pill ${online ? 'net-online' : 'net-offline'}`} role="status" data-testid="network-status">
        {online ? t('desk.online') : t('desk.offline')}
      </span>
    </header>
  );
}
