import { useCallback, useEffect, useState } from 'react';
import type { Static } from 'typebox';
import type * as audit from '../../../api/schemas/audit';
import { apiGet } from '../api/client';
import { useStaffSession } from '../auth/staff-session';
import { errorMessage } from '../format';
import { useI18n } from '../i18n/useI18n';
import { downloadFile, query } from '../reports/download';
import type { RouteParams } from '../routes';

type AuditEntry = Static<typeof audit.AuditEntry>;

const ENTITY_TYPES = [
  'session_day',
  'site',
  'staff_user',
  'dose',
  'aefi_report',
  'appointment',
  'beneficiary',
  'certificate',
  'report',
];

/** The audit log for admins and state officers (GET /api/v1/audit): filters, pages, and the whole selection as a file. */
export function AuditPage(_props: { params: RouteParams }) {
  const session = useStaffSession();
  const { t } = useI18n();
  const [filters, setFilters] = useState({ actorId: '', action: '', entityType: '', entityId: '', from: '', to: '' });
  const [applied, setApplied] = useState(filters);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string>();
  const token = session?.token;

  const load = useCallback(
    async (before?: number) => {
      if (!token) return;
      try {
        const page = await apiGet<Static<typeof audit.AuditPage>>(
          `/api/v1/audit${query({ ...applied, before, limit: 50 })}`,
          { token },
        );
        setEntries((current) => (before ? [...current, ...page.entries] : page.entries));
        setNext(page.next);
        setError(undefined);
      } catch (failure) {
        setError(errorMessage(failure));
      }
    },
    [applied, token],
  );
  useEffect(() => void load(), [load]);
  if (!session) return null;

  const field = (name: keyof typeof filters, label: string, type = 'text') => (
    <label className="inline-field">
      {label}
      <input
        type={type}
        value={filters[name]}
        data-testid={`audit-${name}`}
        onChange={(e) => setFilters({ ...filters, [name]: e.target.value })}
      />
    </label>
  );
  return (
    <section className="page audit-page">
      <h1>{t('audit.title')}</h1>
      <p className="muted">{session.staff.role === 'STATE_OFFICER' ? t('audit.stateScope') : t('audit.allScope')}</p>
      <form
        className="report-fields audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filters);
        }}
      >
        {field('actorId', t('audit.actor'))}
        {field('action', t('audit.action'))}
        <label className="inline-field">
          {t('audit.entityType')}
          <select value={filters.entityType} onChange={(e) => setFilters({ ...filters, entityType: e.target.value })}>
            <option value="">{t('audit.any')}</option>
            {ENTITY_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </label>
        {field('entityId', t('audit.entityId'))}
        {field('from', t('audit.from'), 'date')}
        {field('to', t('audit.to'), 'date')}
        <button type="submit" className="button-primary">
          {t('audit.apply')}
        </button>
        {(['csv', 'xlsx'] as const).map((format) => (
          <button
            key={format}
            type="button"
            className="button-secondary"
            data-testid={`audit-export-${format}`}
            onClick={() =>
              void downloadFile(`/api/v1/audit/export${query({ ...applied, format })}`, session.token).catch(
                (failure: unknown) => setError(errorMessage(failure)),
              )
            }
          >
            {t('audit.export', { format: format.toUpperCase() })}
          </button>
        ))}
      </form>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      <div className="table-scroll">
        <table className="data-table audit-table" data-testid="audit-table">
          <thead>
            <tr>
              <th>{t('audit.at')}</th>
              <th>{t('audit.actor')}</th>
              <th>{t('audit.action')}</th>
              <th>{t('audit.entity')}</th>
              <th>{t('audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{new Date(e.at).toLocaleString('en-IN', { timeZone: 'Asia/Kolkata' })}</td>
                <td>
                  {e.actorName ?? e.actorType} {e.actorRole ? `(${e.actorRole})` : ''}
                  <br />
                  <span className="mono muted">{e.actorId}</span>
                </td>
                <td>{e.action}</td>
                <td>
                  {e.entityType}
                  <br />
                  <span className="mono muted">{e.entityId}</span>
                </td>
                <td className="mono audit-details">{JSON.stringify(e.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {entries.length === 0 && <p className="muted">{t('audit.none')}</p>}
      {next !== null && (
        <button type="button" className="button-secondary" onClick={() => void load(next)}>
          {t('audit.more')}
        </button>
      )}
    </section>
  );
}
