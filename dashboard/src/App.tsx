import { useEffect, type MouseEvent } from 'react';
import { AppHeader } from './components/AppHeader';
import { useHashPath } from './hooks/useHashPath';
import { NotFoundPage } from './pages/NotFoundPage';
import { PlaceholderPage } from './pages/PlaceholderPage';
import { appRoutes, findRoute, STATUS_PATH } from './routes';

const MAIN_CONTENT_ID = 'main-content';

export function App() {
  const path = useHashPath(STATUS_PATH);
  const route = findRoute(path);

  useEffect(() => {
    document.title = `${route?.label ?? 'Not found'} · Teeka`;
  }, [route]);

  return (
    <>
      <a className="skip-link" href={`#${MAIN_CONTENT_ID}`} onClick={focusMainContent}>
        Skip to content
      </a>
      <AppHeader routes={appRoutes} currentPath={path} homePath={STATUS_PATH} />
      <main id={MAIN_CONTENT_ID} className="app-main" tabIndex={-1}>
        {route?.Page ? (
          <route.Page />
        ) : route ? (
          <PlaceholderPage title={route.label} />
        ) : (
          <NotFoundPage path={path} />
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
