import { indiaDate } from '../../../domain/time';
import { useI18n } from '../i18n/useI18n';
import type { PersonHistory } from './api';

/** The person's doses: given at a session, or added by an officer as given elsewhere (with its evidence). */
export function PersonDoses({ person: p, at }: { person: PersonHistory; at: (iso: string | null) => string }) {
  const { t, formatDate } = useI18n();
  return (
    <>
      <h3>{t('lookup.doses')}</h3>
      {p.doses.length === 0 ? (
        <p className="muted">{t('lookup.none')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th>{t('lookup.col.dose')}</th>
                <th>{t('lookup.col.given')}</th>
                <th>{t('lookup.col.vaccine')}</th>
                <th>{t('lookup.col.site')}</th>
                <th>{t('lookup.col.vaccinator')}</th>
              </tr>
            </thead>
            <tbody>
              {p.doses.map((d) =>
                d.addedByOfficer ? (
                  <tr key={d.doseId} className="lookup-dose-elsewhere" data-testid="dose-elsewhere">
                    <td>{d.dose}</td>
                    <td>
                      {formatDate(indiaDate(new Date(d.administeredAt)))}
                      <span className="muted"> {t('lookup.elsewhere.given')}</span>
                    </td>
                    <td>
                      {d.vaccine} · {d.batch === 'NOT KNOWN' ? t('lookup.elsewhere.batchNotKnown') : d.batch}
                    </td>
                    <td>
                      {d.addedByOfficer.place}
                      <div className="muted small">
                        {t('lookup.elsewhere.evidence', {
                          reference: d.addedByOfficer.evidenceReference,
                          note: d.addedByOfficer.note,
                        })}
                      </div>
                    </td>
                    <td>
                      {t('lookup.elsewhere.addedBy', {
                        officer: d.addedByOfficer.officer,
                        at: at(d.addedByOfficer.addedAt),
                      })}
                    </td>
                  </tr>
                ) : (
                  <tr key={d.doseId}>
                    <td>{d.dose}</td>
                    <td>
                      {at(d.administeredAt)}
                      {d.source === 'OFFLINE' && <span className="muted"> {t('lookup.offline')}</span>}
                    </td>
                    <td>
                      {d.vaccine} · {d.batch}
                    </td>
                    <td>
                      {d.site}, {d.district}
                    </td>
                    <td>{d.vaccinator}</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
