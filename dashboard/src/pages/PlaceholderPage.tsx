import { hrefForPath } from '../hooks/useHashPath';
import { STATUS_PATH } from '../routes';

interface PlaceholderPageProps {
  title: string;
}

export function PlaceholderPage({ title }: PlaceholderPageProps) {
  return (
    <section className="page">
      <h1>{title}</h1>
      <p className="muted">This screen is not built yet.</p>
      <p>
        <a href={hrefForPath(STATUS_PATH)}>See system status</a>
      </p>
    </section>
  );
}
