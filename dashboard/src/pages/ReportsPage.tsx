import { useEffect, useState, type ReactNode } from 'react';
import type { Static } from 'typebox';
import type { ReportPlaces } from '../../../api/schemas/reports';
import { apiGet } from '../api/client';
import { useStaffSession } from '../auth/staff-session';
import { errorMessage } from '../format';
import { useI18n } from '../i18n/useI18n';
import { INDIA_MAP_DATA } from '../map/india-map-data.generated';
import { useDistrictList } from '../map/district-list';
import { downloadFile, query } from '../reports/download';
import type { RouteParams } from '../routes';

type Place = { stateId?: number; districtId?: number };
type Places = Static<typeof ReportPlaces>;
type Block = Places['blocks'][number];

const today = () => new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() + 330 * 60_000 - n * 86_400_000).toISOString().slice(0, 10);

/** Officers' reports (api/routes/v1/reports.ts) for a place in their jurisdiction, as CSV or XLSX downloads. */
export function ReportsPage(_props: { params: RouteParams }) {
  const session = useStaffSession();
  const { t, language } = useI18n();
  const staff = session?.staff;
  const [place, setPlace] = useState<Place>(() =>
    staff?.role === 'DISTRICT_OFFICER'
      ? { districtId: staff.districtId ?? undefined }
      : staff?.role === 'STATE_OFFICER'
        ? { stateId: staff.stateId ?? undefined }
        : {},
  );
  const [blocks, setBlocks] = useState<Block[]>([]);
  const districtList = useDistrictList(INDIA_MAP_DATA.districts);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  if (!session || !staff) return null;

  const stateName = (id: number) => {
    const state = INDIA_MAP_DATA.states.find((s) => s.id === id);
    return (language === 'hi' ? state?.nameHi : state?.name) ?? state?.name ?? String(id);
  };
  const stateId = place.stateId ?? districtList.find((d) => d.id === place.districtId)?.stateId;
  const districts = districtList.filter((d) => d.stateId === stateId).sort((a, b) => a.name.localeCompare(b.name));

  const download = async (key: string, path: string) => {
    setBusy(key);
    setError(undefined);
    try {
      await downloadFile(path, session.token);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(undefined);
    }
  };
  const buttons = (key: string, path: (format: 'csv' | 'xlsx') => string, disabled = false) => (
    <div className="report-buttons">
      {(['csv', 'xlsx'] as const).map((format) => (
        <button
          key={format}
          type="button"
          className={format === 'csv' ? 'button-primary' : 'button-secondary'}
          disabled={disabled || busy !== undefined}
          data-testid={`download-${key}-${format}`}
          onClick={() => void download(`${key}-${format}`, path(format))}
        >
          {busy === `${key}-${format}`
            ? t('reports.downloading')
            : t('reports.download', { format: format.toUpperCase() })}
        </button>
      ))}
    </div>
  );

  return (
    <section className="page reports-page">
      <h1>{t('reports.title')}</h1>
      <p className="muted">{t('reports.intro')}</p>
      <div className="report-place">
        {staff.role === 'NATIONAL_ADMIN' && (
          <label className="inline-field">
            {t('reports.state')}
            <select
              value={place.stateId ?? stateId ?? ''}
              onChange={(e) => setPlace(e.target.value ? { stateId: Number(e.target.value) } : {})}
            >
              <option value="">{t('reports.allIndia')}</option>
              {[...INDIA_MAP_DATA.states]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {stateName(s.id)}
                  </option>
                ))}
            </select>
          </label>
        )}
        {staff.role !== 'DISTRICT_OFFICER' && stateId !== undefined && (
          <label className="inline-field">
            {t('reports.districtLabel')}
            <select
              value={place.districtId ?? ''}
              data-testid="report-district"
              onChange={(e) => setPlace(e.target.value ? { districtId: Number(e.target.value) } : { stateId: stateId })}
            >
              <option value="">{t('reports.wholeState', { state: stateName(stateId) })}</option>
              {districts.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {staff.role === 'DISTRICT_OFFICER' && place.districtId !== undefined && (
          <p className="report-fixed-place">
            {districtList.find((d) => d.id === place.districtId)?.name ?? place.districtId}
          </p>
        )}
      </div>
      {error && (
        <p className="error-banner" role="alert">
          {error}
        </p>
      )}
      <div className="card-grid report-cards">
        <DueListCard place={place} blocks={blocks} setBlocks={setBlocks} token={session.token} buttons={buttons} />
        <RangeCard
          id="session-days"
          title={t('reports.sessions.title')}
          description={t('reports.sessions.description')}
          place={place}
          buttons={buttons}
        />
        <DayCard place={place} buttons={buttons} />
        <RangeCard
          id="aefi"
          title={t('reports.aefi.title')}
          description={t('reports.aefi.description')}
          place={place}
          buttons={buttons}
        />
      </div>
    </section>
  );
}

type Buttons = (key: string, path: (format: 'csv' | 'xlsx') => string, disabled?: boolean) => ReactNode;

function DueListCard({
  place,
  blocks,
  setBlocks,
  token,
  buttons,
}: {
  place: Place;
  blocks: Block[];
  setBlocks: (blocks: Block[]) => void;
  token: string;
  buttons: Buttons;
}) {
  const { t } = useI18n();
  const [block, setBlock] = useState('');
  const [siteId, setSiteId] = useState('');
  const [asOf, setAsOf] = useState(today);
  useEffect(() => {
    setBlock('');
    setSiteId('');
    if (place.districtId === undefined) return setBlocks([]);
    apiGet<Places>(`/api/v1/reports/places?districtId=${place.districtId}`, { token }).then(
      (answer) => setBlocks(answer.blocks),
      () => setBlocks([]),
    );
  }, [place.districtId, token]); // only another district needs its blocks again
  const sites = blocks.filter((b) => !block || b.block === block).flatMap((b) => b.sites);
  return (
    <section className="card report-card" data-testid="report-due-list">
      <h2>{t('reports.due.title')}</h2>
      <p className="muted">{t('reports.due.description')}</p>
      {place.districtId === undefined ? (
        <p className="notice">{t('reports.due.pickDistrict')}</p>
      ) : (
        <div className="report-fields">
          <label className="inline-field">
            {t('reports.due.block')}
            <select value={block} onChange={(e) => (setBlock(e.target.value), setSiteId(''))} data-testid="due-block">
              <option value="">{t('reports.all')}</option>
              {blocks.map((b) => (
                <option key={b.block} value={b.block}>
                  {b.block}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            {t('reports.due.site')}
            <select value={siteId} onChange={(e) => setSiteId(e.target.value)}>
              <option value="">{t('reports.all')}</option>
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            {t('reports.due.asOf')}
            <input type="date" value={asOf} onChange={(e) => setAsOf(e.target.value)} />
          </label>
        </div>
      )}
      {buttons(
        'due-list',
        (format) => `/api/v1/reports/due-list${query({ districtId: place.districtId, block, siteId, asOf, format })}`,
        place.districtId === undefined,
      )}
    </section>
  );
}

function RangeCard({
  id,
  title,
  description,
  place,
  buttons,
}: {
  id: string;
  title: string;
  description: string;
  place: Place;
  buttons: Buttons;
}) {
  const { t } = useI18n();
  const [from, setFrom] = useState(() => daysAgo(6));
  const [to, setTo] = useState(today);
  return (
    <section className="card report-card" data-testid={`report-${id}`}>
      <h2>{title}</h2>
      <p className="muted">{description}</p>
      <div className="report-fields">
        <label className="inline-field">
          {t('reports.from')}
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="inline-field">
          {t('reports.to')}
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      {buttons(id, (format) => `/api/v1/reports/${id}${query({ ...place, from, to, format })}`)}
    </section>
  );
}

function DayCard({ place, buttons }: { place: Place; buttons: Buttons }) {
  const { t } = useI18n();
  const [date, setDate] = useState(today);
  return (
    <section className="card report-card" data-testid="report-district-daily">
      <h2>{t('reports.district.title')}</h2>
      <p className="muted">{t('reports.district.description')}</p>
      <div className="report-fields">
        <label className="inline-field">
          {t('reports.date')}
          <input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
      </div>
      {buttons('district-daily', (format) => `/api/v1/reports/district-daily${query({ ...place, date, format })}`)}
    </section>
  );
}
