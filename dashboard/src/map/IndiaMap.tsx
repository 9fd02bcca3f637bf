import 'leaflet/dist/leaflet.css';
import { useEffect, useMemo } from 'react';
import { CircleMarker, MapContainer, Pane, Polygon, Tooltip, useMap } from 'react-leaflet';
import type { LatLngBoundsExpression } from 'leaflet';
import { formatCount, formatPercent } from '../format';
import { useI18n } from '../i18n/useI18n';
import type { AreaStats, SessionRow, WarRoomLevel } from '../warroom/types';
import { COVERAGE_STOPS, coverageColour, NO_DATA_COLOUR, rateRadius, SERIES_COLOURS } from './colour-scale';
import { areasForList } from './areas-for-list';
import { useDistrictList } from './district-list';
import { DISTRICT_AREAS } from './india-district-areas.generated';
import { INDIA_MAP_DATA } from './india-map-data.generated';
import { boundsOf, joinDistrictAreas, joinStateShapes, type DistrictAreaStats, type ShapeStats } from './join';

export type CoverageMeasure = 'dose1' | 'fully';

interface IndiaMapProps {
  level: WarRoomLevel;
  /** The state shown (state level) or the district's state (district level). */
  stateId?: number;
  districtId?: number;
  states: readonly AreaStats[];
  districts: readonly AreaStats[];
  /** Session days to pin at their sites (the district view). */
  sites?: readonly SessionRow[];
  measure: CoverageMeasure;
  onSelectState?: (stateId: number) => void;
  onSelectDistrict?: (districtId: number) => void;
}

const INDIA_BOUNDS: LatLngBoundsExpression = [
  [6.5, 68],
  [35.7, 97.5],
];

/** Drawing order, bottom to top: district areas, state lines, throughput markers, session sites. */
const PANES = { areas: 410, states: 420, throughput: 630, sites: 640 } as const;

/**
 * India with no tile layer. Nationally a state choropleth with each district's approximate area outlined; inside a
 * state the district areas carry the coverage colours. Throughput is a small pulsing marker per district giving
 * doses this hour, so it never hides the fill under it. Everything is drawn from generated data (no network).
 */
export function IndiaMap({
  level,
  stateId,
  districtId,
  states,
  districts,
  sites = [],
  measure,
  onSelectState,
  onSelectDistrict,
}: IndiaMapProps) {
  const { t } = useI18n();
  const shapes = useMemo(() => joinStateShapes(INDIA_MAP_DATA.shapes, states).joined, [states]);
  const shownStateId = level === 'national' ? undefined : stateId;
  // The current list (an admin may have imported districts since the map data was generated) and its areas.
  const districtList = useDistrictList(INDIA_MAP_DATA.districts);
  const allAreas = useMemo(() => areasForList(DISTRICT_AREAS.areas, INDIA_MAP_DATA, districtList), [districtList]);
  const { areas, unplaced } = useMemo(() => joinDistrictAreas(allAreas, districts), [allAreas, districts]);
  const stateAreas = useMemo(
    () => (shownStateId === undefined ? areas : areas.filter((a) => a.area.stateId === shownStateId)),
    [areas, shownStateId],
  );
  const busiest = Math.max(1, ...stateAreas.map((a) => a.row?.dosesLastHour ?? 0));
  const names = useMemo(() => new Map(districtList.map((d) => [d.id, d.name])), [districtList]);

  const bounds = useMemo((): LatLngBoundsExpression => {
    if (level === 'national' || stateId === undefined) return INDIA_BOUNDS;
    const own = INDIA_MAP_DATA.shapes.filter((s) => s.stateIds.includes(stateId));
    if (level === 'district' && districtId !== undefined) {
      const area = allAreas.find((a) => a.id === districtId);
      // The district with its neighbourhood, so the wall shows where it is.
      const frame = area && boundsOf(area.polygons.flat());
      if (frame) {
        const [[south, west], [north, east]] = frame;
        const padLat = Math.max(0.6, (north - south) * 0.6);
        const padLng = Math.max(0.8, (east - west) * 0.6);
        return [
          [south - padLat, west - padLng],
          [north + padLat, east + padLng],
        ];
      }
    }
    return boundsOf(own.flatMap((s) => s.polygons)) ?? INDIA_BOUNDS;
  }, [level, stateId, districtId, allAreas]);

  const percentOf = (entry: { dose1Percent?: number; fullyPercent?: number }) =>
    measure === 'dose1' ? entry.dose1Percent : entry.fullyPercent;
  const districtName = (entry: DistrictAreaStats) =>
    entry.row && entry.row.name !== String(entry.row.id)
      ? entry.row.name
      : (names.get(entry.area.id) ?? String(entry.area.id));

  return (
    <div className="india-map" data-level={level}>
      <MapContainer
        bounds={bounds}
        zoomSnap={0.25}
        zoomControl={false}
        attributionControl={false}
        scrollWheelZoom={false}
        className="india-map-canvas"
        aria-label={t('warroom.map.aria')}
      >
        <FitBounds bounds={bounds} />
        <Pane name="district-areas" style={{ zIndex: PANES.areas }}>
          {(level === 'national' ? areas : stateAreas).map((entry) => {
            const national = level === 'national';
            const selected = entry.area.id === districtId;
            // A district dashboard has its own figures only: its neighbours are ground, not "no data".
            const neighbour = level === 'district' && !selected;
            const percent = percentOf(entry);
            return (
              <Polygon
                key={entry.area.id}
                positions={entry.area.polygons}
                // Leaflet applies a class only when it creates the path, so it goes in the constructor options.
                className={`district-area district-${entry.area.id}`}
                interactive={!national}
                pathOptions={
                  national
                    ? { color: '#f5f7fa', weight: 0.5, opacity: 0.35, fill: false }
                    : {
                        color: selected ? '#ffbf00' : '#05090e',
                        weight: selected ? 3 : 0.8,
                        fillColor: neighbour ? GROUND_COLOUR : coverageColour(percent),
                        fillOpacity: 0.92,
                      }
                }
                eventHandlers={!national && onSelectDistrict ? { click: () => onSelectDistrict(entry.area.id) } : {}}
              >
                {!national && !neighbour && (
                  <Tooltip sticky className="map-tooltip">
                    <strong>{districtName(entry)}</strong>
                    <br />
                    {t('warroom.map.dose1')} {formatPercent(entry.dose1Percent)} · {t('warroom.map.fully')}{' '}
                    {formatPercent(entry.fullyPercent)}
                    {entry.row?.targetIsDemo && entry.row.target > 0 ? ` (${t('warroom.map.demoTarget')})` : ''}
                    <br />
                    {formatCount(entry.row?.dosesLastHour ?? 0)} {t('warroom.map.dosesThisHour')} ·{' '}
                    {formatCount(entry.row?.dosesToday ?? 0)} {t('warroom.map.today')}
                  </Tooltip>
                )}
              </Polygon>
            );
          })}
        </Pane>
        <Pane name="state-shapes" style={{ zIndex: level === 'national' ? PANES.areas - 5 : PANES.states }}>
          {shapes.map((entry) => (
            <StateShapeLayer
              key={entry.shape.id}
              entry={entry}
              percent={percentOf(entry)}
              // Inside a state the district areas carry the colours; the state draws only its border, and the
              // other states recede.
              tone={
                shownStateId === undefined
                  ? 'coverage'
                  : entry.shape.stateIds.includes(shownStateId)
                    ? 'border'
                    : 'dimmed'
              }
              onSelect={onSelectState}
            />
          ))}
        </Pane>
        <Pane name="throughput" style={{ zIndex: PANES.throughput }}>
          {stateAreas
            .filter((entry) => (entry.row?.dosesLastHour ?? 0) > 0)
            .map((entry) => (
              <CircleMarker
                key={entry.area.id}
                center={entry.area.site}
                // Nationally 650 districts share a small map: their markers are smaller still.
                radius={rateRadius(entry.row!.dosesLastHour, busiest) * (level === 'national' ? 0.5 : 1)}
                className={`throughput-marker throughput-${entry.area.id}`}
                interactive={false}
                pathOptions={{ color: '#05090e', weight: 0.8, fillColor: SERIES_COLOURS.doses, fillOpacity: 0.9 }}
              />
            ))}
        </Pane>
        {/* Stalled sites last, so a pin that needs attention is never hidden under a neighbour's. */}
        <Pane name="session-sites" style={{ zIndex: PANES.sites }}>
          {[...sites]
            .sort((a, b) => Number(a.status === 'STALLED') - Number(b.status === 'STALLED'))
            .map((site) =>
              site.lat === undefined || site.lng === undefined ? null : (
                <CircleMarker
                  key={site.sessionDayId}
                  center={[site.lat, site.lng]}
                  radius={6}
                  className={`session-site session-${site.sessionDayId}`}
                  pathOptions={{ color: '#05090e', weight: 2, fillColor: siteColour(site.status), fillOpacity: 1 }}
                >
                  <Tooltip direction="top" className="map-tooltip">
                    <strong>{site.siteName}</strong>
                    <br />
                    {site.status.toLowerCase()} · {formatCount(site.dosesRecorded)} {t('warroom.map.vaccinated')} ·{' '}
                    {formatCount(site.booked)} {t('warroom.map.bookedOf')} {formatCount(site.capacity)}
                  </Tooltip>
                </CircleMarker>
              ),
            )}
        </Pane>
      </MapContainer>
      <MapLegend measure={measure} level={level} />
      {/* The districts' figures as text, for screen readers (a map of shapes says nothing to them). */}
      <ul className="visually-hidden" aria-label={t('warroom.map.listLabel')}>
        {stateAreas
          .filter((entry) => entry.row)
          .map((entry) => (
            <li key={entry.area.id} data-district={entry.area.id} data-doses-this-hour={entry.row!.dosesLastHour}>
              {districtName(entry)}: {formatCount(entry.row!.dosesLastHour)} {t('warroom.map.dosesThisHour')},{' '}
              {formatCount(entry.row!.dosesToday)} {t('warroom.map.today')}
            </li>
          ))}
      </ul>
      {unplaced.length > 0 && (
        <p className="map-unplaced" data-testid="map-unplaced">
          {t('warroom.map.unplaced', { count: unplaced.length })} {unplaced.map((row) => row.name).join(', ')}
        </p>
      )}
      <details className="map-credits">
        <summary>
          {INDIA_MAP_DATA.attribution.shapes} · {INDIA_MAP_DATA.attribution.districts} · {t('warroom.map.aboutAreas')}
        </summary>
        {t('warroom.map.approximateCredit')} {t('warroom.map.outlinesNote')}{' '}
        {t('warroom.map.districtListNote', { count: districtList.length })}
      </details>
    </div>
  );
}

const SHAPE_TONES = { dimmed: '#141d27' } as const;
/** Neighbouring districts on a district's map: a neutral ground for the district's own colour. */
const GROUND_COLOUR = '#2b3a4a';

/** A session site's pin: red when stalled, green while giving doses, grey otherwise. */
function siteColour(status: string): string {
  if (status === 'STALLED') return SERIES_COLOURS.stalled;
  if (status === 'OPEN') return SERIES_COLOURS.fullyVaccinated;
  return SERIES_COLOURS.plan;
}

function StateShapeLayer({
  entry,
  percent,
  tone,
  onSelect,
}: {
  entry: ShapeStats;
  percent: number | undefined;
  tone: 'coverage' | 'border' | 'dimmed';
  onSelect?: (stateId: number) => void;
}) {
  const { t } = useI18n();
  const stateId = entry.rows[0]?.id ?? entry.shape.stateIds[0]!;
  const pathOptions =
    tone === 'coverage'
      ? {
          color: '#05090e',
          weight: 1.2,
          fillColor: percent === undefined ? NO_DATA_COLOUR : coverageColour(percent),
          fillOpacity: 0.95,
        }
      : tone === 'border'
        ? { color: '#f5f7fa', weight: 2, fill: false }
        : { color: '#05090e', weight: 1, fillColor: SHAPE_TONES.dimmed, fillOpacity: 0.7 };
  return (
    <Polygon
      positions={entry.shape.polygons}
      className={`state-shape state-${entry.shape.id}`}
      interactive={tone !== 'border'}
      pathOptions={pathOptions}
      eventHandlers={onSelect && tone !== 'border' ? { click: () => onSelect(stateId) } : {}}
    >
      {tone === 'coverage' && (
        <Tooltip sticky className="map-tooltip">
          <strong>{entry.label}</strong>
          <br />
          {t('warroom.map.dose1')} {formatPercent(entry.dose1Percent)} · {t('warroom.map.fully')}{' '}
          {formatPercent(entry.fullyPercent)}
          <br />
          {formatCount(entry.dose1)} / {formatCount(entry.target)}{' '}
          {entry.targetIsDemo ? t('warroom.map.demoTarget') : t('warroom.map.target')}
          <br />
          {formatCount(entry.rows.reduce((n, r) => n + r.dosesLastHour, 0))} {t('warroom.map.dosesThisHour')}
        </Tooltip>
      )}
    </Polygon>
  );
}

function FitBounds({ bounds }: { bounds: LatLngBoundsExpression }) {
  const map = useMap();
  useEffect(() => {
    map.invalidateSize({ animate: false });
    map.fitBounds(bounds, { animate: false, padding: [8, 8] });
    // A container that changed size (wall screen, window resize) must be re-measured before fitting.
    const observer = new ResizeObserver(() => {
      map.invalidateSize({ animate: false });
      map.fitBounds(bounds, { animate: false, padding: [8, 8] });
    });
    observer.observe(map.getContainer());
    return () => observer.disconnect();
  }, [map, bounds]);
  return null;
}

/** Beside the map, never over it: the colour bands, what the markers mean, and that district areas are approximate. */
function MapLegend({ measure, level }: { measure: CoverageMeasure; level: WarRoomLevel }) {
  const { t } = useI18n();
  return (
    <div className="map-legend" aria-label={t('warroom.map.legend')}>
      <span className="legend-title">
        {measure === 'dose1' ? t('warroom.map.legendDose1') : t('warroom.map.legendFully')}
        {level === 'national' ? ` · ${t('warroom.map.byState')}` : ` · ${t('warroom.map.byDistrict')}`}
      </span>
      <ul className="legend-scale">
        {COVERAGE_STOPS.map((stop) => (
          <li key={stop.from}>
            <span className="legend-swatch" style={{ background: stop.colour }} />
            {stop.label}
          </li>
        ))}
        <li>
          <span className="legend-swatch" style={{ background: NO_DATA_COLOUR }} />
          {t('warroom.map.noData')}
        </li>
      </ul>
      <span className="legend-item">
        <span className="legend-dot" style={{ background: SERIES_COLOURS.doses }} aria-hidden="true" />
        {t('warroom.map.markerMeaning')}
      </span>
      <span className="legend-item legend-approximate" data-testid="approximate-areas">
        {t('warroom.map.approximate')}
      </span>
    </div>
  );
}
