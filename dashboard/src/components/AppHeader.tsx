import { hrefForPath } from '../hooks/useHashPath';
import type { AppRoute } from '../routes';

interface AppHeaderProps {
  routes: readonly AppRoute[];
  currentPath: string;
  homePath: string;
}

export function AppHeader({ routes, currentPath, homePath }: AppHeaderProps) {
  return (
    <header className="app-header">
      <a className="brand" href={hrefForPath(homePath)}>
        <span className="brand-name">Teeka</span>
        <span className="brand-native" lang="hi">
          टीका
        </span>
      </a>
      <nav className="app-nav" aria-label="Main">
        <ul className="nav-list">
          {routes.map((route) => (
            <li key={route.path}>
              <a
                className="nav-link"
                href={hrefForPath(route.path)}
                aria-current={route.path === currentPath ? 'page' : undefined}
              >
                {route.label}
                {route.Page === undefined && <span className="nav-soon">soon</span>}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}
