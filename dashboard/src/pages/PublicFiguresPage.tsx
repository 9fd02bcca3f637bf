import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PublicReport } from '../../../api/schemas/cowin-v2';
import { apiGet } from '../api/client';
import { errorMessage, formatCompact, formatCount } from '../format';
import { useI18n } from '../i18n/useI18n';
import { SERIES_COLOURS } from '../map/colour-scale';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { useDistrictList } from '../map/district-list';
import { query } from '../reports/download';
import type { RouteParams } from '../routes';

const AXIS = { fontSize: 12 };

/** Vaccination figures for anyone, no login: the country, a state or a district. */
export function PublicFiguresPage(_props: { params: RouteParams }) {
  const { t, language } = useI18n();
  const [stateId, setStateId] = useState<number>();
  const [districtId, setDistrictId] = useState<number>();
  const [report, setReport] = useState<PublicReport>();
  const [error, setError] = useState<string>();
  const districtList = useDistrictList(INDIA_MAP_DATA.districts);

  useEffect(() => {
    const controller = new AbortController();
    apiGet<PublicReport>(
      `/api/v1/reports/v2/getPublicReports${query({ state_id: stateId, district_id: districtId })}`,
      { signal: controller.signal },
    ).then(
      (answer) => (setReport(answer), setError(undefined)),
      (failure) => controller.signal.aborted || setError(errorMessage(failure)),
    );
    return () => controller.abort();
  }, [stateId, districtId]);

  const stateName = (id: number) => {
    const state = INDIA_MAP_DATA.states.find((s) => s.id === id);
    return (language === 'hi' ? state?.nameHi : state?.name) ?? state?.name ?? String(id);
  };
  const v = report?.topBlock.vaccination;
  const ages = report && [
    { band: '12–14', doses: report.vaccinationByAge.vac_12_14 },
    { band: '15–17', doses: report.vaccinationByAge.vac_15_17 },
    { band: '18–44', doses: report.vaccinationByAge.vac_18_45 },
    { band: '45–59', doses: report.vaccinationByAge.vac_45_60 },
    { band: '60+', doses: report.vaccinationByAge.above_60 },
  ];
  const genders = v && [
    { gender: t('figures.male'), doses: v.male },
    { gender: t('figures.female'), doses: v.female },
    { gender: t('figures.others'), doses: v.others },
  ];
  const doseNames = (name: unknown) =>
    name === 'dose_1' || name === 'dose_one'
      ? t('figures.dose1')
      : name === 'dose_2' || name === 'dose_two'
        ? t('figures.dose2')
        : String(name);

  return (
    <section className="page public-figures">
      <h1>{t('figures.title')}</h1>
      <div className="report-place">
        <label className="inline-field">
          {t('figures.state')}
          <select
            value={stateId ?? ''}
            data-testid="figures-state"
            onChange={(e) => (
              setStateId(e.target.value ? Number(e.target.value) : undefined),
              setDistrictId(undefined)
            )}
          >
            <option value="">{t('figures.allIndia')}</option>
            {[...INDIA_MAP_DATA.states]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {stateName(s.id)}
                </option>
              ))}
          </select>
        </label>
        {stateId !== undefined && (
          <label className="inline-field">
            {t('figures.district')}
            <select
              value={districtId ?? ''}
              onChange={(e) => setDistrictId(e.target.value ? Number(e.target.value) : undefined)}
            >
              <option value="">{t('figures.allDistricts')}</option>
              {districtList
                .filter((d) => d.stateId === stateId)
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
            </select>
          </label>
        )}
      </div>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      {report && v && (
        <>
          <dl className="figures-top" data-testid="figures-top">
            {[
              ['figures.total', v.total],
              ['figures.today', v.today],
              ['figures.dose1', v.tot_dose_1],
              ['figures.dose2', v.tot_dose_2],
              ['figures.registrations', report.topBlock.registration.total],
              ['figures.sitesToday', report.topBlock.sites.today],
              ['figures.aefi', v.aefi],
            ].map(([key, value]) => (
              <div key={key as string} className="card figure">
                <dt>{t(key as string)}</dt>
                <dd data-testid={`figure-${(key as string).split('.')[1]}`}>{formatCount(value as number)}</dd>
              </div>
            ))}
          </dl>
          <div className="card-grid figures-charts">
            <ChartCard title={t('figures.byAge')} testId="figures-by-age">
              <BarChart data={ages}>
                <CartesianGrid vertical={false} stroke="#d8dee6" />
                <XAxis dataKey="band" tick={AXIS} />
                <YAxis tick={AXIS} width={48} tickFormatter={formatCompact} />
                <Tooltip formatter={(value) => [formatCount(Number(value)), t('figures.doses')]} />
                <Bar dataKey="doses" fill={SERIES_COLOURS.dose1} isAnimationActive={false} />
              </BarChart>
            </ChartCard>
            <ChartCard title={t('figures.byGender')} testId="figures-by-gender">
              <BarChart data={genders}>
                <CartesianGrid vertical={false} stroke="#d8dee6" />
                <XAxis dataKey="gender" tick={AXIS} />
                <YAxis tick={AXIS} width={48} tickFormatter={formatCompact} />
                <Tooltip formatter={(value) => [formatCount(Number(value)), t('figures.doses')]} />
                <Bar dataKey="doses" fill="#7e57c2" isAnimationActive={false} />
              </BarChart>
            </ChartCard>
            <ChartCard title={t('figures.byTime')} testId="figures-by-time">
              <BarChart data={report.vaccinationDoneByTime}>
                <CartesianGrid vertical={false} stroke="#d8dee6" />
                <XAxis dataKey="label" tick={AXIS} minTickGap={8} />
                <YAxis tick={AXIS} width={48} tickFormatter={formatCompact} />
                <Tooltip formatter={(value, name) => [formatCount(Number(value)), doseNames(name)]} />
                <Legend formatter={doseNames} />
                <Bar dataKey="dose_one" stackId="d" fill={SERIES_COLOURS.dose1} isAnimationActive={false} />
                <Bar dataKey="dose_two" stackId="d" fill="#2e7d32" isAnimationActive={false} />
              </BarChart>
            </ChartCard>
            <ChartCard title={t('figures.last30')} testId="figures-last-30">
              <BarChart data={report.last30DaysVaccination}>
                <CartesianGrid vertical={false} stroke="#d8dee6" />
                <XAxis dataKey="label" tick={AXIS} minTickGap={12} />
                <YAxis tick={AXIS} width={48} tickFormatter={formatCompact} />
                <Tooltip formatter={(value, name) => [formatCount(Number(value)), doseNames(name)]} />
                <Legend formatter={doseNames} />
                <Bar dataKey="dose_1" stackId="d" fill={SERIES_COLOURS.dose1} isAnimationActive={false} />
                <Bar dataKey="dose_2" stackId="d" fill="#2e7d32" isAnimationActive={false} />
              </BarChart>
            </ChartCard>
            <ChartCard title={t('figures.aefi30')} testId="figures-aefi">
              <BarChart data={report.last30DaysAefi}>
                <CartesianGrid vertical={false} stroke="#d8dee6" />
                <XAxis dataKey="label" tick={AXIS} minTickGap={12} />
                <YAxis tick={AXIS} width={48} allowDecimals={false} />
                <Tooltip formatter={(value) => [formatCount(Number(value)), t('figures.aefiReports')]} />
                <Bar dataKey="aefi" fill="#c62828" isAnimationActive={false} />
              </BarChart>
            </ChartCard>
          </div>
          <table className="data-table figures-areas">
            <thead>
              <tr>
                <th>{stateId === undefined ? t('figures.state') : t('figures.district')}</th>
                <th>{t('figures.today')}</th>
                <th>{t('figures.total')}</th>
                <th>{t('figures.fully')}</th>
              </tr>
            </thead>
            <tbody>
              {report.getBeneficiariesGroupBy.map((area) => (
                <tr key={area.id}>
                  <td>{stateId === undefined ? stateName(area.id) : area.title}</td>
                  <td>{formatCount(area.today)}</td>
                  <td>{formatCount(area.total)}</td>
                  <td>{formatCount(area.totally_vaccinated)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            {t('figures.asOf', {
              time: new Date(report.timestamp).toLocaleString(language === 'hi' ? 'hi-IN' : 'en-IN', {
                timeZone: 'Asia/Kolkata',
              }),
            })}
          </p>
        </>
      )}
    </section>
  );
}

function ChartCard({ title, testId, children }: { title: string; testId: string; children: React.ReactElement }) {
  return (
    <section className="card figures-chart" data-testid={testId}>
      <h2>{title}</h2>
      <div className="figures-chart-box">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </section>
  );
}
