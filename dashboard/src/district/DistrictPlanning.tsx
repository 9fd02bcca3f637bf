import { useCallback, useEffect, useState } from 'react';
import { formatCount } from '../format';
import { errorText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { fetchPlannedDays, type PlannedDay } from './api';
import { NewSessionDayForm } from './NewSessionDayForm';
import { NewSiteForm } from './NewSiteForm';
import { fetchSites, type Site } from './planning-api';
import { SessionDaysImport } from './SessionDaysImport';
import { todayInIndia } from './today';

/** A district's sites and its session days of a date, with the forms and the CSV upload that add to them. */
export function DistrictPlanning({ districtId, token }: { districtId: number; token: string }) {
  const [sites, setSites] = useState<Site[]>([]);
  const [date, setDate] = useState(todayInIndia);
  const [days, setDays] = useState<PlannedDay[]>([]);
  const [error, setError] = useState<string>();
  const { t, language } = useI18n();

  const reload = useCallback(async () => {
    try {
      const [s, d] = await Promise.all([fetchSites(districtId, token), fetchPlannedDays(districtId, token, date)]);
      setSites(s);
      setDays(d);
      setError(undefined);
    } catch (failure) {
      setError(errorText(failure));
    }
  }, [districtId, token, date]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      <div className="planning-grid">
        <section className="card">
          <h2>{t('planning.sites.title', { count: sites.length })}</h2>
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th>{t('planning.sites.id')}</th>
                  <th>{t('planning.sites.name')}</th>
                  <th>{t('planning.sites.pincode')}</th>
                  <th>{t('planning.sites.type')}</th>
                </tr>
              </thead>
              <tbody>
                {sites.map((s) => (
                  <tr key={s.id}>
                    <td className="mono">{s.id}</td>
                    <td>{language !== 'en' && s.nameHi ? s.nameHi : s.name}</td>
                    <td>{s.pincode}</td>
                    <td>
                      {s.ownership === 'PRIVATE'
                        ? t('planning.sites.private', { fee: s.feeInr })
                        : t('planning.sites.government')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <NewSiteForm districtId={districtId} token={token} onCreated={() => void reload()} />
        </section>
        <section className="card">
          <h2>{t('planning.days.title')}</h2>
          <label className="inline-field">
            {t('planning.days.date')}
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th>{t('planning.days.site')}</th>
                  <th>{t('planning.days.vaccine')}</th>
                  <th>{t('planning.days.hours')}</th>
                  <th>{t('planning.days.seats')}</th>
                  <th>{t('planning.days.booked')}</th>
                  <th>{t('planning.days.status')}</th>
                </tr>
              </thead>
              <tbody>
                {days.map((d) => (
                  <tr key={d.id}>
                    <td>{d.siteName}</td>
                    <td>{d.vaccineCode}</td>
                    <td>
                      {d.opensAt.slice(0, 5)}–{d.closesAt.slice(0, 5)}
                    </td>
                    <td>
                      {d.dose1Capacity}/{d.dose2Capacity}/{d.walkinCapacity}
                    </td>
                    <td>{formatCount(d.booked)}</td>
                    <td>
                      <span className={`status-pill status-${d.status.toLowerCase()}`}>
                        {t(`sessionStatus.${d.status}`)}
                      </span>
                    </td>
                  </tr>
                ))}
                {days.length === 0 && (
                  <tr>
                    <td colSpan={6} className="muted">
                      {t('planning.days.none', { date })}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <NewSessionDayForm sites={sites} token={token} defaultDate={date} onCreated={() => void reload()} />
        </section>
      </div>
      <SessionDaysImport token={token} sites={sites} onImported={() => void reload()} />
    </>
  );
}
