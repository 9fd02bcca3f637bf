import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DryRunFindingsBody, DryRunViewBody } from '../../../api/schemas/dry-runs';
import { apiGet, apiPost, apiRequest } from '../api/client';
import { useStaffSession } from '../auth/staff-session';
import { errorMessage, formatCount } from '../format';
import { SERIES_COLOURS } from '../map/colour-scale';
import { useI18n } from '../i18n/useI18n';
import type { Site } from '../district/planning-api';
import { downloadFile } from '../reports/download';
import type { RouteParams } from '../routes';

/** A site to run a dry run at, as the planning API lists it. */
type SiteOption = Pick<Site, 'id' | 'name' | 'districtId'>;

const AXIS = { stroke: '#c9d1d9', fontSize: 13 };
const GRID = '#2b3642';
const TOOLTIP_STYLE = { background: '#151d26', border: '1px solid #33404d', color: '#f1f4f7' };
const RUN_COLOURS = [SERIES_COLOURS.dose1, SERIES_COLOURS.doses] as const;

/** The form's numbers, as the officer types them. */
const START = {
  name: '',
  smsNumbers: '',
  people: '100',
  seats: '120',
  walkinSeats: '10',
  walkIns: '10',
  noShowRate: '10',
  slotMinutes: '60',
  verifiers: '1',
  vaccinators: '2',
  observers: '1',
  vaccinateMinutes: '3',
  dayMinutes: '10',
};

/**
 * Dry runs (api/routes/v1/dry-runs.ts): plan a simulation of a vaccination day at a site, follow it until it
 * finishes on its own, read its findings (charts and CSV), and set two runs side by side to see what a change did
 * (15- against 30-minute slots, 2 against 3 vaccinators). Nothing of a dry run counts as real, and a run is deleted whole.
 */
export function DryRunsPage(_props: { params: RouteParams }) {
  const session = useStaffSession();
  const { t } = useI18n();
  const token = session?.token;
  const [runs, setRuns] = useState<DryRunViewBody[]>([]);
  const [sites, setSites] = useState<SiteOption[]>([]);
  const [form, setForm] = useState(START);
  /** The sites of the run: one, or several (a district's sessions), each with the same day. */
  const [siteIds, setSiteIds] = useState<number[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [findings, setFindings] = useState<Record<string, DryRunFindingsBody>>({});
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    if (!token) return;
    try {
      const [list, siteList] = await Promise.all([
        apiGet<{ dryRuns: DryRunViewBody[] }>('/api/v1/dry-runs', { token }),
        apiGet<{ sites: SiteOption[] }>('/api/v1/sites', { token }),
      ]);
      setRuns(list.dryRuns);
      setSites(siteList.sites);
      setError(undefined);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }, [token]);
  useEffect(() => void load(), [load]);

  // A running simulation finishes on its own: look again every few seconds until it has.
  const running = runs.some((r) => r.status === 'PLANNED' || r.status === 'RUNNING');
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [running, load]);

  useEffect(() => {
    if (!token) return;
    for (const id of chosen) {
      const run = runs.find((r) => r.id === id);
      if (findings[id]?.status === run?.status) continue;
      apiGet<DryRunFindingsBody>(`/api/v1/dry-runs/${id}/findings`, { token })
        .then((f) => setFindings((all) => ({ ...all, [id]: f })))
        .catch((failure: unknown) => setError(errorMessage(failure)));
    }
  }, [chosen, runs, findings, token]);

  if (!session) return null;

  async function plan(event: FormEvent) {
    event.preventDefault();
    const n = (key: keyof typeof START) => Number(form[key]);
    const smsNumbers = form.smsNumbers
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    try {
      const run = await apiPost<DryRunViewBody>(
        '/api/v1/dry-runs',
        {
          name: form.name.trim() || t('dryRuns.untitled'),
          mode: 'SIMULATION',
          siteIds,
          dayMs: n('dayMinutes') * 60_000,
          parameters: {
            people: n('people'),
            seats: n('seats'),
            walkinSeats: n('walkinSeats'),
            walkIns: n('walkIns'),
            noShowRate: n('noShowRate') / 100,
            slotMinutes: n('slotMinutes'),
            team: { verifiers: n('verifiers'), vaccinators: n('vaccinators'), observers: n('observers') },
            serviceMinutes: { vaccinate: n('vaccinateMinutes') },
          },
          ...(smsNumbers.length ? { smsNumbers } : {}),
        },
        { token },
      );
      setRuns((all) => [run, ...all]);
      setChosen((c) => [run.id, ...c].slice(0, 2));
      setError(undefined);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  async function remove(id: string) {
    if (!window.confirm(t('dryRuns.confirmDelete'))) return;
    try {
      await apiRequest(`/api/v1/dry-runs/${id}`, { method: 'DELETE', token });
      setChosen((c) => c.filter((x) => x !== id));
      await load();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id].slice(-2)));
  const field = (key: keyof typeof START, label: string, props: Record<string, number> = {}) => (
    <label>
      {label}
      <input
        type="number"
        required
        value={form[key]}
        min={props.min ?? 0}
        max={props.max}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
    </label>
  );
  const shown = chosen.map((id) => findings[id]).filter((f): f is DryRunFindingsBody => f !== undefined);

  return (
    <section className="page dry-runs">
      <h1>{t('dryRuns.title')}</h1>
      <p className="muted">{t('dryRuns.intro')}</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}

      <form className="card" onSubmit={(e) => void plan(e)} aria-label={t('dryRuns.planTitle')}>
        <h2>{t('dryRuns.planTitle')}</h2>
        <div className="form-grid">
          <label>
            {t('dryRuns.name')}
            <input value={form.name} maxLength={120} onChange={(e) => setForm({ ...form, name: e.target.value })} />
          </label>
          <fieldset className="site-choice" data-testid="dry-run-sites">
            <legend>{t('dryRuns.sites', { count: siteIds.length })}</legend>
            {sites.length === 0 && <p className="muted">{t('dryRuns.chooseSite')}</p>}
            {sites.map((s) => (
              <label key={s.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={siteIds.includes(s.id)}
                  onChange={(e) =>
                    setSiteIds((ids) => (e.target.checked ? [...ids, s.id] : ids.filter((id) => id !== s.id)))
                  }
                />
                {s.name}
              </label>
            ))}
          </fieldset>
          {field('people', t('dryRuns.people'), { min: 1, max: 2000 })}
          {field('seats', t('dryRuns.seats'), { min: 1, max: 2000 })}
          {field('walkinSeats', t('dryRuns.walkinSeats'))}
          {field('walkIns', t('dryRuns.walkIns'))}
          {field('noShowRate', t('dryRuns.noShowRate'), { max: 100 })}
          {field('slotMinutes', t('dryRuns.slotMinutes'), { min: 15 })}
          {field('verifiers', t('dryRuns.verifiers'), { max: 10 })}
          {field('vaccinators', t('dryRuns.vaccinators'), { min: 1, max: 10 })}
          {field('observers', t('dryRuns.observers'), { max: 10 })}
          {field('vaccinateMinutes', t('dryRuns.vaccinateMinutes'), { min: 1, max: 120 })}
          {field('dayMinutes', t('dryRuns.dayMinutes'), { min: 1, max: 1440 })}
          <label className="wide">
            {t('dryRuns.smsNumbers')}
            <input
              value={form.smsNumbers}
              inputMode="tel"
              placeholder="9876543210, 9123456789"
              onChange={(e) => setForm({ ...form, smsNumbers: e.target.value })}
              name="sms-numbers"
            />
          </label>
        </div>
        <button type="submit" disabled={siteIds.length === 0}>
          {t('dryRuns.start')}
        </button>
      </form>

      <h2>{t('dryRuns.listTitle')}</h2>
      {runs.length === 0 ? (
        <p className="muted">{t('dryRuns.none')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th>{t('dryRuns.compare')}</th>
                <th>{t('dryRuns.name')}</th>
                <th>{t('dryRuns.mode')}</th>
                <th>{t('dryRuns.status')}</th>
                <th>{t('dryRuns.date')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('dryRuns.compareRun', { name: r.name })}
                      checked={chosen.includes(r.id)}
                      onChange={() => toggle(r.id)}
                    />
                  </td>
                  <td>{r.name}</td>
                  <td>{t(`dryRuns.modes.${r.mode}`)}</td>
                  <td>
                    <span className={`badge status-${r.status.toLowerCase()}`}>
                      {t(`dryRuns.statuses.${r.status}`)}
                    </span>
                  </td>
                  <td>{r.date}</td>
                  <td className="actions">
                    <button
                      type="button"
                      onClick={() => void downloadFile(`/api/v1/dry-runs/${r.id}/findings.csv`, token!)}
                    >
                      {t('dryRuns.csv')}
                    </button>
                    <button
                      type="button"
                      onClick={() => void downloadFile(`/api/v1/dry-runs/${r.id}/findings.pdf`, token!)}
                    >
                      {t('dryRuns.pdf')}
                    </button>
                    <button
                      type="button"
                      className="button-danger"
                      disabled={r.status === 'RUNNING' || r.status === 'PLANNED'}
                      onClick={() => void remove(r.id)}
                    >
                      {t('dryRuns.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {shown.length > 0 && <Findings runs={shown} />}
    </section>
  );
}

/** One run's findings, or two side by side. */
function Findings({ runs }: { runs: DryRunFindingsBody[] }) {
  const { t } = useI18n();
  const rows: Array<[string, (f: DryRunFindingsBody) => string]> = [
    [t('dryRuns.f.status'), (f) => t(`dryRuns.statuses.${f.status}`)],
    [t('dryRuns.f.seats'), (f) => formatCount(f.totals.seats)],
    [t('dryRuns.f.booked'), (f) => formatCount(f.totals.booked)],
    [t('dryRuns.f.demand'), (f) => formatCount(f.totals.demand)],
    [t('dryRuns.f.doses'), (f) => formatCount(f.totals.doses)],
    [t('dryRuns.f.utilisation'), (f) => `${f.totals.utilisation}%`],
    [t('dryRuns.f.turnedAway'), (f) => formatCount(f.totals.turnedAway)],
    [
      t('dryRuns.f.walkIns'),
      (f) => `${formatCount(f.totals.walkInsVaccinated)} / ${formatCount(f.totals.walkInsArrived)}`,
    ],
    [t('dryRuns.f.noShows'), (f) => formatCount(f.totals.noShows)],
    [t('dryRuns.f.bottleneck'), (f) => (f.totals.bottleneck ? t(`dryRuns.steps.${f.totals.bottleneck}`) : '–')],
    [t('dryRuns.f.perVaccinatorHour'), (f) => String(f.totals.dosesPerVaccinatorHour)],
    [
      t('dryRuns.f.idle'),
      (f) => String(f.sites.reduce((n, s) => n + s.vaccinatorIdleMinutes.reduce((m, v) => m + v.idleMinutes, 0), 0)),
    ],
    [t('dryRuns.f.staffing'), (f) => f.sites.map((s) => t(`dryRuns.staffing.${s.staffing}`)).join(', ')],
    [t('dryRuns.f.stalls'), (f) => formatCount(f.totals.stalls)],
    [t('dryRuns.f.sms'), (f) => `${formatCount(f.totals.sms.delivered)} / ${formatCount(f.totals.sms.sent)}`],
    [t('dryRuns.f.aefi'), (f) => formatCount(f.totals.aefi.minor + f.totals.aefi.serious + f.totals.aefi.severe)],
  ];
  const steps = ['DOOR_CHECK', 'VACCINATION', 'OBSERVATION', 'RELEASE'] as const;
  const stepData = steps.map((step) => ({
    step: t(`dryRuns.steps.${step}`),
    ...Object.fromEntries(
      runs.map((f, i) => [`run${i}`, f.totals.steps.find((s) => s.step === step)?.meanMinutes ?? 0]),
    ),
  }));
  const slotCount = Math.max(...runs.map((f) => Math.max(0, ...f.sites.map((s) => s.slots.length))));
  // Every site of a run has the same slots: a slot's wait is the mean of the sites'.
  const meanWait = (f: DryRunFindingsBody, i: number) => {
    const waits = f.sites.flatMap((s) => (s.slots[i] ? [s.slots[i].meanWaitMinutes] : []));
    return waits.length ? Math.round((10 * waits.reduce((a, b) => a + b, 0)) / waits.length) / 10 : 0;
  };
  const slotData = Array.from({ length: slotCount }, (_, i) => ({
    slot: runs[0]?.sites[0]?.slots[i]?.startsAt.slice(0, 5) ?? String(i + 1),
    ...Object.fromEntries(runs.map((f, r) => [`run${r}`, meanWait(f, i)])),
  }));
  const perSite = runs.some((f) => f.sites.length > 1);
  const names = (key: unknown) => runs[Number(String(key).slice(3))]?.name ?? '';
  return (
    <div className="dry-run-findings">
      <h2>{runs.length === 2 ? t('dryRuns.sideBySide') : t('dryRuns.findingsTitle', { name: runs[0]!.name })}</h2>
      <div className="table-scroll">
        <table className="findings">
          <thead>
            <tr>
              <th />
              {runs.map((f) => (
                <th key={f.dryRunId}>{f.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, value]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {runs.map((f) => (
                  <td key={f.dryRunId}>{value(f)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {perSite && (
        <>
          <h3>{t('dryRuns.perSite')}</h3>
          <div className="table-scroll">
            <table className="findings per-site" data-testid="findings-per-site">
              <thead>
                <tr>
                  <th>{t('dryRuns.name')}</th>
                  <th>{t('dryRuns.site')}</th>
                  <th>{t('dryRuns.f.doses')}</th>
                  <th>{t('dryRuns.f.utilisation')}</th>
                  <th>{t('dryRuns.f.turnedAway')}</th>
                  <th>{t('dryRuns.f.noShows')}</th>
                  <th>{t('dryRuns.f.bottleneck')}</th>
                  <th>{t('dryRuns.f.perVaccinatorHour')}</th>
                  <th>{t('dryRuns.f.staffing')}</th>
                  <th>{t('dryRuns.f.stalls')}</th>
                </tr>
              </thead>
              <tbody>
                {runs.flatMap((f) =>
                  f.sites.map((s) => (
                    <tr key={`${f.dryRunId}-${s.sessionDayId}`}>
                      <td>{f.name}</td>
                      <th scope="row">{s.siteName}</th>
                      <td>{formatCount(s.doses)}</td>
                      <td>{s.utilisation}%</td>
                      <td>{formatCount(s.turnedAway)}</td>
                      <td>{formatCount(s.noShows)}</td>
                      <td>{s.bottleneck ? t(`dryRuns.steps.${s.bottleneck}`) : '–'}</td>
                      <td>{s.dosesPerVaccinatorHour}</td>
                      <td>{t(`dryRuns.staffing.${s.staffing}`)}</td>
                      <td>{formatCount(s.stalls)}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
      <div className="chart-pair">
        <figure className="chart">
          <figcaption>{t('dryRuns.stepChart')}</figcaption>
          <div className="chart-box">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={stepData} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid stroke={GRID} vertical={false} />
                <XAxis dataKey="step" tick={AXIS} stroke={AXIS.stroke} />
                <YAxis tick={AXIS} stroke={AXIS.stroke} width={44} />
                <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v, key) => [`${String(v)} min`, names(key)]} />
                <Legend formatter={(key) => names(key)} />
                {runs.map((f, i) => (
                  <Bar key={f.dryRunId} dataKey={`run${i}`} fill={RUN_COLOURS[i]} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        </figure>
        <figure className="chart">
          <figcaption>{t('dryRuns.waitChart')}</figcaption>
          <div className="chart-box">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={slotData} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid stroke={GRID} vertical={false} />
                <XAxis dataKey="slot" tick={AXIS} stroke={AXIS.stroke} />
                <YAxis tick={AXIS} stroke={AXIS.stroke} width={44} />
                <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v, key) => [`${String(v)} min`, names(key)]} />
                <Legend formatter={(key) => names(key)} />
                {runs.map((f, i) => (
                  <Bar key={f.dryRunId} dataKey={`run${i}`} fill={RUN_COLOURS[i]} isAnimationActive={false} />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        </figure>
      </div>
    </div>
  );
}
