import { hrefForPath } from '../hooks/useHashPath';
import { STATUS_PATH } from '../routes';

interface NotFoundPageProps {
  path: string;
}

export function NotFoundPage({ path }: NotFoundPageProps) {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p className="muted">
        There is no screen at <code>{path}</code>.
      </p>
      <p>
        <a href={hrefForPath(STATUS_PATH)}>Go to system status</a>
      </p>
    </section>
  );
}
