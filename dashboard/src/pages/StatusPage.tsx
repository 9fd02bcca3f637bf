import { fetchHealth, fetchReadiness, type HealthResponse, type Readiness } from '../api/health';
import { StatusBadge, type BadgeTone } from '../components/StatusBadge';
import { errorMessage, formatClockTime, formatDuration } from '../format';
import { usePolling } from '../hooks/usePolling';

const POLL_INTERVAL_MS = 5_000;
const REQUEST_TIMEOUT_MS = 4_000;

interface SystemSnapshot {
  health: PromiseSettledResult<HealthResponse>;
  readiness: PromiseSettledResult<Readiness>;
}

interface Summary {
  tone: BadgeTone;
  text: string;
}

// allSettled: a failing readiness call must not hide a healthy API, and vice versa.
async function loadSnapshot(signal: AbortSignal): Promise<SystemSnapshot> {
  const [health, readiness] = await Promise.allSettled([fetchHealth(signal), fetchReadiness(signal)]);
  return { health, readiness };
}

export function StatusPage(_props: { params?: unknown }) {
  const { data: snapshot, checkedAt } = usePolling(loadSnapshot, {
    intervalMs: POLL_INTERVAL_MS,
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
  const summary = summarise(snapshot);

  return (
    <section className="page status-page">
      <h1>System status</h1>

      <div className={`summary summary-${summary.tone}`} role="status">
        <StatusBadge tone={summary.tone} label={badgeLabel(summary.tone)} />
        <span className="summary-text">{summary.text}</span>
      </div>

      <div className="card-grid">
        <ApiServerCard health={snapshot?.health} />
        <DependenciesCard readiness={snapshot?.readiness} />
      </div>

      <p className="muted refresh-note">
        {checkedAt ? `Last checked at ${formatClockTime(checkedAt)}` : 'Checking…'} · refreshes every{' '}
        {POLL_INTERVAL_MS / 1000} s
      </p>
    </section>
  );
}

function ApiServerCard({ health }: { health: PromiseSettledResult<HealthResponse> | undefined }) {
  return (
    <article className="card">
      <h2>API server</h2>
      <dl className="facts">
        <div className="fact">
          <dt>Health</dt>
          <dd>
            {health === undefined ? (
              <StatusBadge tone="pending" label="Checking" />
            ) : health.status === 'fulfilled' ? (
              <StatusBadge tone="ok" label="OK" />
            ) : (
              <StatusBadge tone="error" label="Error" />
            )}
          </dd>
        </div>
        {health?.status === 'fulfilled' && (
          <>
            <div className="fact">
              <dt>Version</dt>
              <dd className="mono">{health.value.version}</dd>
            </div>
            <div className="fact">
              <dt>Uptime</dt>
              <dd>{formatDuration(health.value.uptimeSeconds)}</dd>
            </div>
          </>
        )}
      </dl>
      {health?.status === 'rejected' && <p className="error-detail">{errorMessage(health.reason)}</p>}
    </article>
  );
}

function DependenciesCard({ readiness }: { readiness: PromiseSettledResult<Readiness> | undefined }) {
  return (
    <article className="card">
      <h2>Dependencies</h2>
      {readiness === undefined && <StatusBadge tone="pending" label="Checking" />}
      {readiness?.status === 'rejected' && (
        <>
          <StatusBadge tone="error" label="Unknown" />
          <p className="error-detail">Readiness check failed: {errorMessage(readiness.reason)}</p>
        </>
      )}
      {readiness?.status === 'fulfilled' && (
        <div className="check-row" data-testid="readiness" data-ready={String(readiness.value.ready)}>
          <span className="check-name">PostgreSQL and Temporal</span>
          {readiness.value.ready ? (
            <StatusBadge tone="ok" label="OK" />
          ) : (
            <>
              <StatusBadge tone="error" label="Not ready" />
              {/* The public answer names no dependency; operators see which one in the API's log and on /metrics. */}
              <span className="error-detail check-detail">
                The API cannot reach its database or workflow engine; operators see which in its log.
              </span>
            </>
          )}
        </div>
      )}
    </article>
  );
}

function summarise(snapshot: SystemSnapshot | undefined): Summary {
  if (snapshot === undefined) return { tone: 'pending', text: 'Checking the API…' };
  const { health, readiness } = snapshot;
  if (health.status === 'rejected') {
    return { tone: 'error', text: `API not responding — ${errorMessage(health.reason)}` };
  }
  if (readiness.status === 'rejected') {
    return { tone: 'error', text: `Readiness unknown — ${errorMessage(readiness.reason)}` };
  }
  if (!readiness.value.ready) return { tone: 'error', text: 'Not ready — a dependency is not answering' };
  return { tone: 'ok', text: 'All systems operational' };
}

function badgeLabel(tone: BadgeTone): string {
  if (tone === 'ok') return 'Ready';
  if (tone === 'error') return 'Problem';
  return 'Checking';
}
