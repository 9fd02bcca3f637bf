import { Fragment, useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { StaffProfile } from '../auth/permissions';
import { useStaffSession } from '../auth/staff-session';
import { fetchPlannedDays, type PlannedDay } from '../district/api';
import {
  createSessionDay,
  createSite,
  CSV_TEMPLATE,
  fetchSites,
  fetchTargets,
  importSessionDays,
  importTargets,
  importDistrictList,
  districtListCsv,
  DISTRICTS_CSV_TEMPLATE,
  TARGETS_CSV_TEMPLATE,
  type CsvOutcome,
  type Site,
  type StateTargets,
} from '../district/planning-api';
import { formatCount } from '../format';
import { errorText, rowProblemText } from '../i18n/error-text';
import { useI18n } from '../i18n/useI18n';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { loadDistrictList, useDistrictList } from '../map/district-list';
import type { RouteParams } from '../routes';

const VACCINES = ['COVISHIELD', 'COVAXIN', 'SPUTNIK V'];

function todayInIndia(): string {
  return new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
}

export function PlanningPage(_props: { params: RouteParams }) {
  const session = useStaffSession();
  const staff = session?.staff;
  const [districtId, setDistrictId] = useState<number | undefined>(staff?.districtId ?? undefined);
  const districtList = useDistrictList(INDIA_MAP_DATA.districts);
  const { t } = useI18n();
  if (!session || !staff) return null;
  const choices = districtList
    .filter((d) => staff.stateId === null || d.stateId === staff.stateId)
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="page planning">
      <h1>{t('planning.title')}</h1>
      {staff.role !== 'DISTRICT_OFFICER' && (
        <label className="inline-field">
          {t('planning.district')}
          <select value={districtId ?? ''} onChange={(e) => setDistrictId(Number(e.target.value) || undefined)}>
            <option value="">{t('planning.choose')}</option>
            {choices.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {districtId && <DistrictPlanning key={districtId} districtId={districtId} token={session.token} />}
      {(staff.role === 'STATE_OFFICER' || staff.role === 'NATIONAL_ADMIN') && (
        <TargetsImport staff={staff} token={session.token} districtId={districtId} />
      )}
      {staff.role === 'NATIONAL_ADMIN' && <DistrictListImport token={session.token} />}
    </section>
  );
}

function DistrictPlanning({ districtId, token }: { districtId: number; token: string }) {
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
      <CsvImport token={token} sites={sites} onImported={() => void reload()} />
    </>
  );
}

function NewSiteForm({ districtId, token, onCreated }: { districtId: number; token: string; onCreated: () => void }) {
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const { t } = useI18n();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const ownership = form.get('ownership') === 'PRIVATE' ? 'PRIVATE' : 'GOVERNMENT';
    try {
      const site = await createSite(
        {
          districtId,
          name: String(form.get('name')),
          address: String(form.get('address')),
          block: String(form.get('block')),
          pincode: Number(form.get('pincode')),
          lat: Number(form.get('lat')),
          lng: Number(form.get('lng')),
          ownership,
          feeInr: ownership === 'PRIVATE' ? Number(form.get('fee') || 0) : 0,
        },
        token,
      );
      setMessage(t('planning.newSite.added', { id: site.id, name: site.name }));
      setError(undefined);
      event.currentTarget?.reset();
      onCreated();
    } catch (failure) {
      setError(errorText(failure));
    }
  }
  const d = useDistrictList(INDIA_MAP_DATA.districts).find((x) => x.id === districtId);
  return (
    <details className="form-details">
      <summary>{t('planning.newSite.summary')}</summary>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('planning.newSite.name')}
          <input name="name" required minLength={3} />
        </label>
        <label>
          {t('planning.newSite.address')}
          <input name="address" required minLength={3} />
        </label>
        <label>
          {t('planning.newSite.block')}
          <input name="block" required minLength={2} />
        </label>
        <label>
          {t('planning.newSite.pincode')}
          <input name="pincode" required inputMode="numeric" pattern="[1-9][0-9]{5}" />
        </label>
        <label>
          {t('planning.newSite.lat')}
          <input name="lat" required type="number" step="0.0001" defaultValue={d?.lat} />
        </label>
        <label>
          {t('planning.newSite.lng')}
          <input name="lng" required type="number" step="0.0001" defaultValue={d?.lng} />
        </label>
        <label>
          {t('planning.newSite.ownership')}
          <select name="ownership" defaultValue="GOVERNMENT">
            <option value="GOVERNMENT">{t('planning.newSite.government')}</option>
            <option value="PRIVATE">{t('planning.newSite.private')}</option>
          </select>
        </label>
        <label>
          {t('planning.newSite.fee')}
          <input name="fee" type="number" min={0} defaultValue={0} />
        </label>
        <button type="submit" className="button-primary">
          {t('planning.newSite.submit')}
        </button>
      </form>
      {message && <p className="notice">{message}</p>}
      {error && <p className="error-detail">{error}</p>}
    </details>
  );
}

function NewSessionDayForm({
  sites,
  token,
  defaultDate,
  onCreated,
}: {
  sites: Site[];
  token: string;
  defaultDate: string;
  onCreated: () => void;
}) {
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const { t } = useI18n();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const day = await createSessionDay(
        {
          siteId: Number(form.get('siteId')),
          date: String(form.get('date')),
          vaccineCode: String(form.get('vaccine')),
          minAge: Number(form.get('minAge')),
          dose1Capacity: Number(form.get('dose1')),
          dose2Capacity: Number(form.get('dose2')),
          walkinCapacity: Number(form.get('walkin')),
          opensAt: String(form.get('opensAt')),
          closesAt: String(form.get('closesAt')),
          slotMinutes: Number(form.get('slotMinutes')),
        },
        token,
      );
      setMessage(t('planning.newDay.planned', { site: day.siteName, date: day.date }));
      setError(undefined);
      onCreated();
    } catch (failure) {
      setError(errorText(failure));
    }
  }
  return (
    <details className="form-details">
      <summary>{t('planning.newDay.summary')}</summary>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('planning.newDay.site')}
          <select name="siteId" required>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('planning.newDay.date')}
          <input name="date" type="date" required defaultValue={defaultDate} />
        </label>
        <label>
          {t('planning.newDay.vaccine')}
          <select name="vaccine">
            {VACCINES.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </label>
        <label>
          {t('planning.newDay.minAge')}
          <input name="minAge" type="number" min={0} max={120} defaultValue={18} />
        </label>
        <label>
          {t('planning.newDay.dose1')}
          <input name="dose1" type="number" min={0} defaultValue={100} />
        </label>
        <label>
          {t('planning.newDay.dose2')}
          <input name="dose2" type="number" min={0} defaultValue={50} />
        </label>
        <label>
          {t('planning.newDay.walkin')}
          <input name="walkin" type="number" min={0} defaultValue={20} />
        </label>
        <label>
          {t('planning.newDay.opens')}
          <input name="opensAt" type="time" defaultValue="09:00" required />
        </label>
        <label>
          {t('planning.newDay.closes')}
          <input name="closesAt" type="time" defaultValue="17:00" required />
        </label>
        <label>
          {t('planning.newDay.slotMinutes')}
          <input name="slotMinutes" type="number" min={15} defaultValue={60} />
        </label>
        <button type="submit" className="button-primary" disabled={!sites.length}>
          {t('planning.newDay.submit')}
        </button>
      </form>
      {message && <p className="notice">{message}</p>}
      {error && <p className="error-detail">{error}</p>}
    </details>
  );
}

/** A translated sentence with some of its values set as code (CSV column names): `{columns}` → <code>…</code>. */
function withCode(
  t: (key: string, vars?: Record<string, string | number>) => string,
  key: string,
  code: Record<string, string>,
  vars: Record<string, string | number> = {},
): ReactNode {
  const marked = Object.fromEntries(Object.keys(code).map((name) => [name, `\u0001${name}\u0001`]));
  return t(key, { ...vars, ...marked })
    .split('\u0001')
    .map((part, i) => (i % 2 === 1 ? <code key={i}>{code[part]}</code> : <Fragment key={i}>{part}</Fragment>));
}

function CsvImport({ token, sites, onImported }: { token: string; sites: Site[]; onImported: () => void }) {
  const { t } = useI18n();
  const example = sites[0] ? `${sites[0].id},${todayInIndia()},COVISHIELD,18,,100,50,20,09:00,17:00,60\n` : '';
  return (
    <CsvUploadCard
      title={t('planning.daysCsv.title')}
      intro={withCode(t, 'planning.daysCsv.intro', { columns: CSV_TEMPLATE.trim() })}
      placeholder={CSV_TEMPLATE + example}
      upload={(csv, dryRun) => importSessionDays(csv, token, dryRun)}
      done={(o) =>
        o.dryRun
          ? t('planning.csv.allFine', { rows: o.rows })
          : t('planning.daysCsv.planned', { created: o.created, rows: o.rows })
      }
      onImported={onImported}
    />
  );
}

/** State officers and national admins replace the seeded demo target populations with real ones. */
function TargetsImport({ staff, token, districtId }: { staff: StaffProfile; token: string; districtId?: number }) {
  const { t } = useI18n();
  const stateOfDistrict = useDistrictList(INDIA_MAP_DATA.districts).find((d) => d.id === districtId)?.stateId;
  const [stateId, setStateId] = useState<number | undefined>(staff.stateId ?? stateOfDistrict);
  const [targets, setTargets] = useState<StateTargets>();
  const [error, setError] = useState<string>();

  const reload = useCallback(async () => {
    if (!stateId) return setTargets(undefined);
    try {
      setTargets(await fetchTargets(stateId, token));
      setError(undefined);
    } catch (failure) {
      setTargets(undefined);
      setError(errorText(failure));
    }
  }, [stateId, token]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const demo = targets?.districts.filter((d) => d.targetIsDemo).length ?? 0;
  const current = targets
    ? TARGETS_CSV_TEMPLATE + targets.districts.map((d) => `${d.districtId},${d.targetPopulation}\n`).join('')
    : undefined;
  return (
    <CsvUploadCard
      title={t('planning.targets.title')}
      testIdPrefix="targets-"
      className="targets-import"
      intro={withCode(t, 'planning.targets.intro', { columns: TARGETS_CSV_TEMPLATE.trim(), stateColumn: 'state_id' })}
      placeholder={current ? current.split('\n').slice(0, 3).join('\n') + '\n' : TARGETS_CSV_TEMPLATE}
      starter={current ? { label: t('planning.targets.starter'), csv: current } : undefined}
      upload={(csv, dryRun) => importTargets(csv, token, dryRun)}
      done={(o) =>
        o.dryRun ? t('planning.csv.allFine', { rows: o.rows }) : t('planning.targets.set', { count: o.updated })
      }
      onImported={() => void reload()}
    >
      {staff.role === 'NATIONAL_ADMIN' && (
        <label className="inline-field">
          {t('planning.state')}
          <select value={stateId ?? ''} onChange={(e) => setStateId(Number(e.target.value) || undefined)}>
            <option value="">{t('planning.choose')}</option>
            {[...INDIA_MAP_DATA.states]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
          </select>
        </label>
      )}
      {error && <p className="error-detail">{error}</p>}
      {targets && (
        <details className="form-details" data-testid="state-targets">
          <summary>
            {t('planning.targets.summary', { population: targets.targetPopulation, count: targets.districts.length })}
            {demo > 0 ? t('planning.targets.someDemo', { count: demo }) : t('planning.targets.allImported')}
            {targets.targetIsDemo && <span className="demo-flag">{t('planning.targets.demoTarget')}</span>}
          </summary>
          <div className="table-scroll">
            <table className="data-table">
              <thead>
                <tr>
                  <th>{t('planning.targets.id')}</th>
                  <th>{t('planning.targets.district')}</th>
                  <th>{t('planning.targets.population')}</th>
                  <th>{t('planning.targets.figure')}</th>
                </tr>
              </thead>
              <tbody>
                {targets.districts.map((d) => (
                  <tr key={d.districtId}>
                    <td className="mono">{d.districtId}</td>
                    <td>{d.name}</td>
                    <td>{formatCount(d.targetPopulation)}</td>
                    <td>{d.targetIsDemo ? t('planning.targets.demo') : t('planning.targets.imported')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </CsvUploadCard>
  );
}

/**
 * National admins bring the district list up to date: the seed has GeoNames' 658 districts, India about 780 today.
 * New districts are added, named ones renamed or re-centred; none is removed (records refer to them).
 */
function DistrictListImport({ token }: { token: string }) {
  const { t } = useI18n();
  const districts = useDistrictList(INDIA_MAP_DATA.districts);
  const stateName = (id: number) =>
    INDIA_MAP_DATA.states.find((s) => s.id === id)?.name ?? t('planning.districts.stateFallback', { id });
  return (
    <CsvUploadCard
      title={t('planning.districts.title')}
      testIdPrefix="districts-"
      className="districts-import"
      intro={withCode(
        t,
        'planning.districts.intro',
        { columns: DISTRICTS_CSV_TEMPLATE.trim(), idColumn: 'district_id', pincodesColumn: 'pincodes' },
        { count: districts.length },
      )}
      placeholder={DISTRICTS_CSV_TEMPLATE + '12,,Kamle,,27.67,93.77,,791120\n'}
      starter={{ label: t('planning.districts.starter'), csv: districtListCsv(districts) }}
      upload={(csv, dryRun) => importDistrictList(csv, token, dryRun)}
      done={(o) => {
        const names = o.created.map((d) => `${d.name} (${d.districtId}, ${stateName(d.stateId)})`).join(', ');
        const count = o.created.length;
        return [
          o.dryRun ? t('planning.csv.allFine', { rows: o.rows }) : t('planning.districts.imported', { rows: o.rows }),
          count
            ? t(o.dryRun ? 'planning.districts.wouldAdd' : 'planning.districts.added', { count, names })
            : t('planning.districts.noneNew'),
          o.dryRun
            ? t('planning.districts.wouldChange', { updated: o.updated, unchanged: o.unchanged })
            : t('planning.districts.changed', {
                updated: o.updated,
                unchanged: o.unchanged,
                pincodes: o.pincodesMoved,
              }),
          o.unlisted.length ? t('planning.districts.unlisted', { count: o.unlisted.length }) : '',
        ]
          .filter(Boolean)
          .join(' ');
      }}
      onImported={() => void loadDistrictList(true).catch(() => {})}
    />
  );
}

/**
 * A CSV upload: pick a file or paste it, check only (dry run) or import, and see every row's problems in a table
 * when the server refuses the file (422). What the rows mean is the caller's: `upload` sends, `done` words the result.
 */
function CsvUploadCard<T extends { dryRun: boolean }>({
  title,
  intro,
  placeholder,
  upload,
  done,
  onImported,
  starter,
  testIdPrefix = '',
  className = '',
  children,
}: {
  title: string;
  intro: ReactNode;
  placeholder: string;
  upload: (csv: string, dryRun: boolean) => Promise<CsvOutcome<T>>;
  done: (result: T) => string;
  onImported: () => void;
  /** A button that fills the text box, e.g. with the current figures to edit. */
  starter?: { label: string; csv: string };
  /** Prefixes the test ids (csv-file, import-errors) when a page has more than one upload. */
  testIdPrefix?: string;
  className?: string;
  children?: ReactNode;
}) {
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [outcome, setOutcome] = useState<CsvOutcome<T>>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { t, language } = useI18n();

  async function run(dryRun: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      const result = await upload(csv, dryRun);
      setOutcome(result);
      if (result.ok && !result.dryRun) onImported();
    } catch (failure) {
      setOutcome(undefined);
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={`card csv-import ${className}`.trim()}>
      <h2>{title}</h2>
      <p className="muted">{intro}</p>
      {children}
      <div className="file-pick">
        <label className="button-secondary">
          {t('planning.csv.chooseFile')}
          <input
            type="file"
            className="visually-hidden"
            accept=".csv,text/csv"
            data-testid={`${testIdPrefix}csv-file`}
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setFileName(file.name);
              setCsv(await file.text());
              setOutcome(undefined);
            }}
          />
        </label>
        <span className="muted">{fileName ?? t('planning.csv.noFile')}</span>
      </div>
      <label>
        {t('planning.csv.paste')}
        <textarea
          rows={5}
          value={csv}
          onChange={(e) => setCsv(e.target.value)}
          placeholder={placeholder}
          className="mono"
          name={`${testIdPrefix}csv`}
        />
      </label>
      <div className="button-row">
        {starter && (
          <button
            type="button"
            className="button-secondary"
            disabled={busy}
            onClick={() => {
              setCsv(starter.csv);
              setFileName(undefined);
              setOutcome(undefined);
            }}
          >
            {starter.label}
          </button>
        )}
        <button
          type="button"
          className="button-secondary"
          disabled={!csv.trim() || busy}
          onClick={() => void run(true)}
        >
          {t('planning.csv.check')}
        </button>
        <button type="button" className="button-primary" disabled={!csv.trim() || busy} onClick={() => void run(false)}>
          {t('planning.csv.import', { file: fileName ?? '' })}
        </button>
      </div>
      {error && <p className="error-detail">{error}</p>}
      {outcome?.ok && (
        <p className="notice" role="status">
          {done(outcome)}
        </p>
      )}
      {outcome && !outcome.ok && (
        <div role="alert">
          <p className="error-detail">
            {language !== 'en'
              ? t('planning.csv.refused', { count: outcome.errors.length })
              : /nothing/i.test(outcome.message)
                ? outcome.message
                : t('planning.csv.nothingSaved', { message: outcome.message })}
          </p>
          <div className="table-scroll">
            <table className="data-table import-errors" data-testid={`${testIdPrefix}import-errors`}>
              <thead>
                <tr>
                  <th>{t('planning.csv.row')}</th>
                  <th>{t('planning.csv.column')}</th>
                  <th>{t('planning.csv.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {outcome.errors.map((e, i) => (
                  <tr key={i}>
                    <td>{e.row === 0 ? t('planning.csv.header') : e.row}</td>
                    <td className="mono">{e.column ?? ''}</td>
                    <td>{rowProblemText(e)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
