import { Suspense, useEffect, type MouseEvent } from 'react';
import { canOpen } from './auth/permissions';
import { homePathFor } from './auth/home';
import { refreshStaffProfile, useStaffSession } from './auth/staff-session';
import { AppHeader } from './components/AppHeader';
import { useHashPath } from './hooks/useHashPath';
import { useI18n } from './i18n/useI18n';
import { NotFoundPage } from './pages/NotFoundPage';
import { StaffLoginPage } from './pages/StaffLoginPage';
import { appRoutes, findRoute } from './routes';

const MAIN_CONTENT_ID = 'main-content';

export function App() {
  const session = useStaffSession();
  const home = homePathFor(session?.staff);
  const path = useHashPath(home);
  const match = findRoute(path);
  const { t, language } = useI18n();

  useEffect(() => {
    void refreshStaffProfile();
  }, []);

  useEffect(() => {
    document.title = `${t(match ? match.route.labelKey : 'nav.notFound')} · Teeka`;
    document.documentElement.lang = language;
  }, [match, t, language]);

  const allowed = match && canOpen(session?.staff, match.route.section);
  return (
    <>
      <a className="skip-link" href={`#${MAIN_CONTENT_ID}`} onClick={focusMainContent}>
        {t('nav.skip')}
      </a>
      <AppHeader routes={appRoutes} currentSection={match?.route.section} homePath={home} />
      <main id={MAIN_CONTENT_ID} className={`app-main section-${match?.route.section ?? 'none'}`} tabIndex={-1}>
        {!match ? (
          <NotFoundPage path={path} />
        ) : allowed ? (
          <Suspense fallback={<p className="page muted">{t('loading')}</p>}>
            <match.route.Page params={match.params} />
          </Suspense>
        ) : session ? (
          <section className="page">
            <h1>{t('nav.notForRole')}</h1>
            <p className="muted">{t('nav.notForRoleHint')}</p>
          </section>
        ) : (
          <StaffLoginPage params={{}} />
        )}
      </main>
    </>
  );
}

// The URL hash holds the route, so the skip link must move focus itself rather than change the hash.
function focusMainContent(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById(MAIN_CONTENT_ID)?.focus();
}
