import { canOpen, ROLE_LABELS } from '../auth/permissions';
import { staffLogout, useStaffSession } from '../auth/staff-session';
import { hrefForPath } from '../hooks/useHashPath';
import { useI18n } from '../i18n/useI18n';
import { LanguageSwitch } from './LanguageSwitch';
import type { AppRoute } from '../routes';

interface AppHeaderProps {
  routes: readonly AppRoute[];
  currentSection: string | undefined;
  homePath: string;
}

export function AppHeader({ routes, currentSection, homePath }: AppHeaderProps) {
  const session = useStaffSession();
  const { t } = useI18n();
  const visible = routes.filter((route) => route.nav && canOpen(session?.staff, route.section));
  return (
    <header className="app-header">
      <a className="brand" href={hrefForPath(homePath)}>
        <span className="brand-name">Teeka</span>
        <span className="brand-native" lang="hi">
          टीका
        </span>
      </a>
      <nav className="app-nav" aria-label={t('nav.main')}>
        <ul className="nav-list">
          {visible.map((route) => (
            <li key={route.path}>
              <a
                className="nav-link"
                href={hrefForPath(route.path)}
                aria-current={route.section === currentSection ? 'page' : undefined}
              >
                {t(route.labelKey)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="header-tools">
        <LanguageSwitch />
        {session && (
          <>
            <span className="who" data-testid="signed-in-as">
              {session.staff.name} · {ROLE_LABELS[session.staff.role]}
            </span>
            <button
              type="button"
              className="button-ghost"
              onClick={() => {
                void staffLogout();
                window.location.hash = '#/login';
              }}
            >
              {t('nav.signOut')}
            </button>
          </>
        )}
      </div>
    </header>
  );
}
