import { hrefForPath } from '../hooks/useHashPath';

export function NotFoundPage({ path }: { path: string }) {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p className="muted">
        There is no screen at <code>{path}</code>.
      </p>
      <p>
        <a href={hrefForPath('/')}>Go to the start page</a>
      </p>
    </section>
  );
}
