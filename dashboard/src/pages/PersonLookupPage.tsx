import { useStaffSession } from '../auth/staff-session';
import { useI18n } from '../i18n/useI18n';
import { LookupForm } from '../lookup/LookupForm';
import { PersonHistoryCard } from '../lookup/PersonHistoryCard';
import { useIndiaClock } from '../lookup/useIndiaClock';
import { usePersonLookup } from '../lookup/usePersonLookup';
import type { RouteParams } from '../routes';

/**
 * Officer lookup (api/routes/v1/person-lookup.ts): a person found by mobile or reference id, with their journey's
 * history — stages, appointments, doses, SMS, certificates — masked as on the desk. Officers search their
 * jurisdiction; desk staff pick one of today's session days they are on. The server audits every search.
 */
export function PersonLookupPage(_props: { params: RouteParams }) {
  const session = useStaffSession();
  const { t } = useI18n();
  const lookup = usePersonLookup(session);
  const at = useIndiaClock();
  if (!session) return null;
  const { atDesk, error, notice, people } = lookup;

  return (
    <section className="page lookup-page">
      <h1>{t('lookup.title')}</h1>
      <p className="muted">{atDesk ? t('lookup.introDesk') : t('lookup.intro')}</p>
      <LookupForm lookup={lookup} />
      <p className="muted small">{t('lookup.audited')}</p>
      {error && (
        <p className="error-detail" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {people?.map((p) => (
        <PersonHistoryCard
          key={p.referenceId}
          person={p}
          session={session}
          atDesk={atDesk}
          at={at}
          onChanged={async (message) => {
            await lookup.search();
            lookup.setNotice(message);
          }}
        />
      ))}
    </section>
  );
}
