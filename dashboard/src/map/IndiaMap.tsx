import 'leaflet/dist/leaflet.css';
import { useEffect, useMemo } from 'react';
import { CircleMarker, MapContainer, Polygon, Tooltip, useMap } from 'react-leaflet';
import type { LatLngBoundsExpression } from 'leaflet';
import { formatCount, formatPercent } from '../format';
import type { AreaStats, SessionRow, WarRoomLevel } from '../warroom/types';
import { COVERAGE_STOPS, coverageColour, NO_DATA_COLOUR, rateRadius, SERIES_COLOURS } from './colour-scale';
import { INDIA_MAP_DATA } from './india-map-data.generated';
import { boundsOf, joinDistrictCircles, joinStateShapes, type ShapeStats } from './join';

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

/**
 * India with no tile layer: state outlines coloured by coverage, one circle per district sized by doses this
 * hour (area ∝ rate) and coloured by the district's coverage. Everything drawn from the generated map data.
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
  const shapes = useMemo(() => joinStateShapes(INDIA_MAP_DATA.shapes, states).joined, [states]);
  const shownStateId = level === 'national' ? undefined : stateId;
  const { circles } = useMemo(
    () => joinDistrictCircles(INDIA_MAP_DATA.districts, districts, shownStateId),
    [districts, shownStateId],
  );
  const busiest = Math.max(1, ...circles.map((c) => c.row.dosesLastHour));
  const stateCoverage = useMemo(
    () => new Map(shapes.flatMap((s) => s.shape.stateIds.map((id) => [id, s] as const))),
    [shapes],
  );

  const bounds = useMemo((): LatLngBoundsExpression => {
    if (level === 'national' || stateId === undefined) return INDIA_BOUNDS;
    const own = INDIA_MAP_DATA.shapes.filter((s) => s.stateIds.includes(stateId));
    if (level === 'district' && districtId !== undefined) {
      const d = INDIA_MAP_DATA.districts.find((x) => x.id === districtId);
      // The district with its neighbourhood, so the wall shows where it is.
      if (d)
        return [
          [d.lat - 1.6, d.lng - 2],
          [d.lat + 1.6, d.lng + 2],
        ];
    }
    return boundsOf(own.flatMap((s) => s.polygons)) ?? INDIA_BOUNDS;
  }, [level, stateId, districtId]);

  return (
    <div className="india-map">
      <MapContainer
        bounds={bounds}
        zoomSnap={0.25}
        zoomControl={false}
        attributionControl={false}
        scrollWheelZoom={false}
        className="india-map-canvas"
        aria-label="Map of India coloured by vaccination coverage"
      >
        <FitBounds bounds={bounds} />
        {shapes.map((entry) => (
          <StateShapeLayer
            key={entry.shape.id}
            entry={entry}
            measure={measure}
            // Inside a state the district circles carry the coverage colours; the state's own shape stays a
            // neutral ground for them, and other states recede.
            tone={
              shownStateId === undefined
                ? 'coverage'
                : entry.shape.stateIds.includes(shownStateId)
                  ? 'ground'
                  : 'dimmed'
            }
            onSelect={onSelectState}
          />
        ))}
        {circles.map(({ district, row, dose1Percent, fullyPercent }) => {
          const percent = measure === 'dose1' ? dose1Percent : fullyPercent;
          // Without the district's own target (national view), its state's coverage stands in.
          const fallback = stateCoverage.get(district.stateId);
          const fill =
            percent !== undefined
              ? coverageColour(percent)
              : coverageColour(measure === 'dose1' ? fallback?.dose1Percent : fallback?.fullyPercent);
          const selected = district.id === districtId;
          return (
            <CircleMarker
              key={district.id}
              center={[district.lat, district.lng]}
              radius={rateRadius(row.dosesLastHour, busiest)}
              // Leaflet applies a class only when it creates the path, so it goes in the constructor options.
              className={`district-circle district-${district.id}`}
              pathOptions={{
                color: selected ? '#ffbf00' : '#f5f7fa',
                weight: selected ? 3.5 : 2,
                fillColor: fill,
                fillOpacity: 0.95,
              }}
              // On the national map the circles cover most of the state shapes: a click drills to the circle's state.
              eventHandlers={
                level === 'national' && onSelectState
                  ? { click: () => onSelectState(district.stateId) }
                  : onSelectDistrict
                    ? { click: () => onSelectDistrict(district.id) }
                    : undefined
              }
            >
              <Tooltip direction="top" className="map-tooltip">
                <strong>{row.name !== String(row.id) ? row.name : district.name}</strong>
                <br />
                {formatCount(row.dosesLastHour)} doses this hour · {formatCount(row.dosesToday)} today
                <br />
                Dose 1 {formatPercent(dose1Percent)} · Fully {formatPercent(fullyPercent)}
                {row.targetIsDemo && row.target > 0 ? ' (demo target)' : ''}
              </Tooltip>
            </CircleMarker>
          );
        })}
        {/* Stalled sites last, so a pin that needs attention is never hidden under a neighbour's. */}
        {[...sites]
          .sort((a, b) => Number(a.status === 'STALLED') - Number(b.status === 'STALLED'))
          .map((site) =>
            site.lat === undefined || site.lng === undefined ? null : (
              <CircleMarker
                key={site.sessionDayId}
                center={[site.lat, site.lng]}
                radius={5}
                className={`session-site session-${site.sessionDayId}`}
                pathOptions={{ color: '#05090e', weight: 1.5, fillColor: siteColour(site.status), fillOpacity: 1 }}
              >
                <Tooltip direction="top" className="map-tooltip">
                  <strong>{site.siteName}</strong>
                  <br />
                  {site.status.toLowerCase()} · {formatCount(site.dosesRecorded)} vaccinated ·{' '}
                  {formatCount(site.booked)} booked of {formatCount(site.capacity)}
                </Tooltip>
              </CircleMarker>
            ),
          )}
      </MapContainer>
      <MapLegend measure={measure} />
      {/* The circles' figures as text, for screen readers (a map of circles says nothing to them). */}
      <ul className="visually-hidden" aria-label="Doses this hour by district">
        {circles.map(({ district, row }) => (
          <li key={district.id} data-district={district.id} data-doses-this-hour={row.dosesLastHour}>
            {district.name}: {formatCount(row.dosesLastHour)} doses this hour, {formatCount(row.dosesToday)} today
          </li>
        ))}
      </ul>
      <p className="map-credits">
        {INDIA_MAP_DATA.attribution.shapes} · {INDIA_MAP_DATA.attribution.districts}. Outlines are indicative; the
        source predates the creation of Ladakh and of Dadra and Nagar Haveli and Daman and Diu as single UTs, which are
        shown combined.
      </p>
    </div>
  );
}

const SHAPE_TONES = { ground: '#2b3a4a', dimmed: '#141d27' } as const;

/** A session site's pin: red when stalled, green while giving doses, grey otherwise. */
function siteColour(status: string): string {
  if (status === 'STALLED') return SERIES_COLOURS.stalled;
  if (status === 'OPEN') return SERIES_COLOURS.fullyVaccinated;
  return SERIES_COLOURS.plan;
}

function StateShapeLayer({
  entry,
  measure,
  tone,
  onSelect,
}: {
  entry: ShapeStats;
  measure: CoverageMeasure;
  tone: 'coverage' | 'ground' | 'dimmed';
  onSelect?: (stateId: number) => void;
}) {
  const percent = measure === 'dose1' ? entry.dose1Percent : entry.fullyPercent;
  const stateId = entry.rows[0]?.id ?? entry.shape.stateIds[0]!;
  const dimmed = tone === 'dimmed';
  return (
    <Polygon
      positions={entry.shape.polygons}
      className={`state-shape state-${entry.shape.id}`}
      pathOptions={{
        color: tone === 'ground' ? '#6b7f94' : '#05090e',
        weight: tone === 'ground' ? 1.5 : 1,
        fillColor:
          tone === 'coverage' ? (percent === undefined ? NO_DATA_COLOUR : coverageColour(percent)) : SHAPE_TONES[tone],
        fillOpacity: tone === 'dimmed' ? 0.7 : 0.95,
      }}
      eventHandlers={onSelect ? { click: () => onSelect(stateId) } : undefined}
    >
      {tone === 'coverage' && (
        <Tooltip sticky className="map-tooltip">
          <strong>{entry.label}</strong>
          <br />
          Dose 1 {formatPercent(entry.dose1Percent)} · Fully vaccinated {formatPercent(entry.fullyPercent)}
          <br />
          {formatCount(entry.dose1)} / {formatCount(entry.target)} {entry.targetIsDemo ? 'demo target' : 'target'}
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

function MapLegend({ measure }: { measure: CoverageMeasure }) {
  return (
    <div className="map-legend" aria-label="Legend">
      <div className="legend-title">{measure === 'dose1' ? 'Dose 1 coverage' : 'Fully vaccinated'} (of target)</div>
      <ul className="legend-scale">
        {COVERAGE_STOPS.map((stop) => (
          <li key={stop.from}>
            <span className="legend-swatch" style={{ background: stop.colour }} />
            {stop.label}
          </li>
        ))}
        <li>
          <span className="legend-swatch" style={{ background: NO_DATA_COLOUR }} />
          no data
        </li>
      </ul>
      <div className="legend-title">Circle area = doses this hour</div>
    </div>
  );
}
