import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
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
import { errorMessage, formatCount } from '../format';
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
  if (!session || !staff) return null;
  const choices = districtList
    .filter((d) => staff.stateId === null || d.stateId === staff.stateId)
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="page planning">
      <h1>Planning</h1>
      {staff.role !== 'DISTRICT_OFFICER' && (
        <label className="inline-field">
          District
          <select value={districtId ?? ''} onChange={(e) => setDistrictId(Number(e.target.value) || undefined)}>
            <option value="">Choose…</option>
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

  const reload = useCallback(async () => {
    try {
      const [s, d] = await Promise.all([fetchSites(districtId, token), fetchPlannedDays(districtId, token, date)]);
      setSites(s);
      setDays(d);
      setError(undefined);
    } catch (failure) {
      setError(errorMessage(failure));
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
          <h2>Sites ({sites.length})</h2>
          <table className="data-table">
            <thead>
              <tr>
                <th>Id</th>
                <th>Name</th>
                <th>Pincode</th>
                <th>Type</th>
              </tr>
            </thead>
            <tbody>
              {sites.map((s) => (
                <tr key={s.id}>
                  <td className="mono">{s.id}</td>
                  <td>{s.name}</td>
                  <td>{s.pincode}</td>
                  <td>{s.ownership === 'PRIVATE' ? `Private ₹${s.feeInr}` : 'Government'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <NewSiteForm districtId={districtId} token={token} onCreated={() => void reload()} />
        </section>
        <section className="card">
          <h2>Session days</h2>
          <label className="inline-field">
            Date
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
          <table className="data-table">
            <thead>
              <tr>
                <th>Site</th>
                <th>Vaccine</th>
                <th>Hours</th>
                <th>Seats (D1/D2/walk-in)</th>
                <th>Booked</th>
                <th>Status</th>
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
                    <span className={`status-pill status-${d.status.toLowerCase()}`}>{d.status}</span>
                  </td>
                </tr>
              ))}
              {days.length === 0 && (
                <tr>
                  <td colSpan={6} className="muted">
                    Nothing planned on {date}.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
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
      setMessage(`Site ${site.id} added: ${site.name}`);
      setError(undefined);
      event.currentTarget?.reset();
      onCreated();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }
  const d = useDistrictList(INDIA_MAP_DATA.districts).find((x) => x.id === districtId);
  return (
    <details className="form-details">
      <summary>Add a site</summary>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          Name
          <input name="name" required minLength={3} />
        </label>
        <label>
          Address
          <input name="address" required minLength={3} />
        </label>
        <label>
          Block
          <input name="block" required minLength={2} />
        </label>
        <label>
          Pincode
          <input name="pincode" required inputMode="numeric" pattern="[1-9][0-9]{5}" />
        </label>
        <label>
          Latitude
          <input name="lat" required type="number" step="0.0001" defaultValue={d?.lat} />
        </label>
        <label>
          Longitude
          <input name="lng" required type="number" step="0.0001" defaultValue={d?.lng} />
        </label>
        <label>
          Ownership
          <select name="ownership" defaultValue="GOVERNMENT">
            <option value="GOVERNMENT">Government (free)</option>
            <option value="PRIVATE">Private</option>
          </select>
        </label>
        <label>
          Fee ₹ (private only)
          <input name="fee" type="number" min={0} defaultValue={0} />
        </label>
        <button type="submit" className="button-primary">
          Add site
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
      setMessage(`Planned: ${day.siteName} on ${day.date}`);
      setError(undefined);
      onCreated();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }
  return (
    <details className="form-details">
      <summary>Plan a session day</summary>
      <form className="form grid-form" onSubmit={(e) => void submit(e)}>
        <label>
          Site
          <select name="siteId" required>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Date
          <input name="date" type="date" required defaultValue={defaultDate} />
        </label>
        <label>
          Vaccine
          <select name="vaccine">
            {VACCINES.map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </label>
        <label>
          Minimum age
          <input name="minAge" type="number" min={0} max={120} defaultValue={18} />
        </label>
        <label>
          Dose 1 seats
          <input name="dose1" type="number" min={0} defaultValue={100} />
        </label>
        <label>
          Dose 2 seats
          <input name="dose2" type="number" min={0} defaultValue={50} />
        </label>
        <label>
          Walk-in seats
          <input name="walkin" type="number" min={0} defaultValue={20} />
        </label>
        <label>
          Opens
          <input name="opensAt" type="time" defaultValue="09:00" required />
        </label>
        <label>
          Closes
          <input name="closesAt" type="time" defaultValue="17:00" required />
        </label>
        <label>
          Slot minutes
          <input name="slotMinutes" type="number" min={15} defaultValue={60} />
        </label>
        <button type="submit" className="button-primary" disabled={!sites.length}>
          Plan session day
        </button>
      </form>
      {message && <p className="notice">{message}</p>}
      {error && <p className="error-detail">{error}</p>}
    </details>
  );
}

function CsvImport({ token, sites, onImported }: { token: string; sites: Site[]; onImported: () => void }) {
  const example = sites[0] ? `${sites[0].id},${todayInIndia()},COVISHIELD,18,,100,50,20,09:00,17:00,60\n` : '';
  return (
    <CsvUploadCard
      title="Upload session days (CSV)"
      intro={
        <>
          Columns: <code>{CSV_TEMPLATE.trim()}</code>. Every row is checked; either all rows are planned or none are.
        </>
      }
      placeholder={CSV_TEMPLATE + example}
      upload={(csv, dryRun) => importSessionDays(csv, token, dryRun)}
      done={(o) =>
        o.dryRun
          ? `All ${o.rows} rows are fine (nothing saved yet).`
          : `Planned ${o.created} session days from ${o.rows} rows.`
      }
      onImported={onImported}
    />
  );
}

/** State officers and national admins replace the seeded demo target populations with real ones. */
function TargetsImport({ staff, token, districtId }: { staff: StaffProfile; token: string; districtId?: number }) {
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
      setError(errorMessage(failure));
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
      title="Import targets (CSV)"
      testIdPrefix="targets-"
      className="targets-import"
      intro={
        <>
          The war room measures coverage against each district&apos;s target population; a state&apos;s target is the
          sum of its districts&apos;. Columns: <code>{TARGETS_CSV_TEMPLATE.trim()}</code> (optionally{' '}
          <code>state_id</code>, checked against the district). Imported figures replace the demo ones; either every row
          is saved or none is.
        </>
      }
      placeholder={current ? current.split('\n').slice(0, 3).join('\n') + '\n' : TARGETS_CSV_TEMPLATE}
      starter={current ? { label: 'Start from the current figures', csv: current } : undefined}
      upload={(csv, dryRun) => importTargets(csv, token, dryRun)}
      done={(o) =>
        o.dryRun
          ? `All ${o.rows} rows are fine (nothing saved yet).`
          : `Set the target population of ${o.updated} districts.`
      }
      onImported={() => void reload()}
    >
      {staff.role === 'NATIONAL_ADMIN' && (
        <label className="inline-field">
          State
          <select value={stateId ?? ''} onChange={(e) => setStateId(Number(e.target.value) || undefined)}>
            <option value="">Choose…</option>
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
            Target population {formatCount(targets.targetPopulation)} across {targets.districts.length} districts
            {demo > 0
              ? ` — ${demo} still ${demo === 1 ? 'has a demo figure' : 'have demo figures'}`
              : ' — all imported'}
            {targets.targetIsDemo && <span className="demo-flag">DEMO TARGET</span>}
          </summary>
          <table className="data-table">
            <thead>
              <tr>
                <th>Id</th>
                <th>District</th>
                <th>Target population</th>
                <th>Figure</th>
              </tr>
            </thead>
            <tbody>
              {targets.districts.map((d) => (
                <tr key={d.districtId}>
                  <td className="mono">{d.districtId}</td>
                  <td>{d.name}</td>
                  <td>{formatCount(d.targetPopulation)}</td>
                  <td>{d.targetIsDemo ? 'demo' : 'imported'}</td>
                </tr>
              ))}
            </tbody>
          </table>
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
  const districts = useDistrictList(INDIA_MAP_DATA.districts);
  const stateName = (id: number) => INDIA_MAP_DATA.states.find((s) => s.id === id)?.name ?? `state ${id}`;
  return (
    <CsvUploadCard
      title="Import the district list (CSV)"
      testIdPrefix="districts-"
      className="districts-import"
      intro={
        <>
          The list has {formatCount(districts.length)} districts: GeoNames&apos; 658 and any imported since; India has
          about 780 today. Columns: <code>{DISTRICTS_CSV_TEMPLATE.trim()}</code>. A row without <code>district_id</code>{' '}
          is the district of that name in its state, or a new one; <code>pincodes</code> (space-separated) move to the
          row&apos;s district, as when a district is carved out of another. No district is removed. The war-room map
          draws the new list&apos;s approximate areas at once. Either every row is saved or none is.
        </>
      }
      placeholder={DISTRICTS_CSV_TEMPLATE + '12,,Kamle,,27.67,93.77,,791120\n'}
      starter={{ label: 'Start from the current list', csv: districtListCsv(districts) }}
      upload={(csv, dryRun) => importDistrictList(csv, token, dryRun)}
      done={(o) => {
        const added = o.created.map((d) => `${d.name} (${d.districtId}, ${stateName(d.stateId)})`).join(', ');
        return [
          o.dryRun ? `All ${o.rows} rows are fine (nothing saved yet).` : `Imported ${o.rows} rows.`,
          o.created.length ? `${o.dryRun ? 'Would add' : 'Added'} ${o.created.length}: ${added}.` : 'No new district.',
          `${o.updated} ${o.dryRun ? 'would change' : 'changed'}, ${o.unchanged} unchanged` +
            (o.dryRun ? '.' : `, ${o.pincodesMoved} pincodes moved.`),
          o.unlisted.length ? `${o.unlisted.length} districts of these states are not in the file and stay.` : '',
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

  async function run(dryRun: boolean) {
    setBusy(true);
    setError(undefined);
    try {
      const result = await upload(csv, dryRun);
      setOutcome(result);
      if (result.ok && !result.dryRun) onImported();
    } catch (failure) {
      setOutcome(undefined);
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={`card csv-import ${className}`.trim()}>
      <h2>{title}</h2>
      <p className="muted">{intro}</p>
      {children}
      <input
        type="file"
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
      <label>
        …or paste it
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
          Check only
        </button>
        <button type="button" className="button-primary" disabled={!csv.trim() || busy} onClick={() => void run(false)}>
          Import {fileName ?? ''}
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
            {/nothing/i.test(outcome.message) ? outcome.message : `${outcome.message} — nothing was saved.`}
          </p>
          <table className="data-table import-errors" data-testid={`${testIdPrefix}import-errors`}>
            <thead>
              <tr>
                <th>Row</th>
                <th>Column</th>
                <th>Problem</th>
              </tr>
            </thead>
            <tbody>
              {outcome.errors.map((e, i) => (
                <tr key={i}>
                  <td>{e.row === 0 ? 'header' : e.row}</td>
                  <td className="mono">{e.column ?? ''}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
