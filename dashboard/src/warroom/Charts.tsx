import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { coveragePercent, SERIES_COLOURS } from '../map/colour-scale';
import { formatCompact, formatCount, formatDayMonth, formatPercent, indiaClock } from '../format';
import { useI18n } from '../i18n/useI18n';
import { coverageAsPercent, niceAxis } from './chart-scale';
import type { CoveragePoint, HourPoint } from './types';

const AXIS = { stroke: '#c9d1d9', fontSize: 13 };
const GRID = '#2b3642';
const TOOLTIP_STYLE = { background: '#151d26', border: '1px solid #33404d', color: '#f1f4f7' };

export function DosesPerHourChart({ hourly }: { hourly: readonly HourPoint[] }) {
  const { t } = useI18n();
  const data = hourly.map((p) => ({ hour: indiaClock(p.hour), doses: p.doses }));
  const axis = niceAxis(Math.max(0, ...data.map((d) => d.doses)));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="hour" tick={AXIS} stroke={AXIS.stroke} interval="preserveStartEnd" minTickGap={12} />
        <YAxis
          tick={AXIS}
          stroke={AXIS.stroke}
          width={56}
          domain={[0, axis.max]}
          ticks={axis.ticks}
          tickFormatter={(v: number) => formatCompact(v)}
        />
        <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v) => [formatCount(Number(v)), t('warroom.chart.doses')]} />
        <Bar dataKey="doses" fill={SERIES_COLOURS.doses} isAnimationActive={false} radius={[3, 3, 0, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/**
 * People with dose 1 and fully vaccinated at the end of each of the last 30 days. As a percentage of the target
 * once coverage reaches 1%, with round ticks; before that as people (Indian units), since a percent axis of
 * "0.0004%" reads as nothing. The tooltip gives both.
 */
export function CumulativeCoverageChart({ points, target }: { points: readonly CoveragePoint[]; target: number }) {
  const { t, locale } = useI18n();
  const largestPercent = Math.max(0, ...points.map((p) => coveragePercent(Math.max(p.dose1, p.fully), target) ?? 0));
  const asPercent = coverageAsPercent(target, largestPercent);
  const data = points.map((p) => ({
    date: formatDayMonth(p.date, locale),
    dose1: asPercent ? coveragePercent(p.dose1, target) : p.dose1,
    fully: asPercent ? coveragePercent(p.fully, target) : p.fully,
    people1: p.dose1,
    peopleFully: p.fully,
  }));
  // Three steps: the chart is short on a 720-line screen, and recharts drops tick labels that would collide.
  const axis = niceAxis(Math.max(0, ...data.flatMap((d) => [d.dose1 ?? 0, d.fully ?? 0])), 3);
  const tick = (v: number) => (asPercent ? `${v.toFixed(axis.digits)}%` : formatCompact(v));
  const seriesName = (name: unknown) => (name === 'dose1' ? t('warroom.war.dose1') : t('warroom.war.fully'));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="date" tick={AXIS} stroke={AXIS.stroke} minTickGap={16} />
        <YAxis
          tick={AXIS}
          stroke={AXIS.stroke}
          width={56}
          domain={[0, axis.max]}
          ticks={axis.ticks}
          tickFormatter={tick}
          allowDataOverflow={false}
        />
        <Tooltip
          contentStyle={TOOLTIP_STYLE}
          formatter={(v, name, item) => {
            const people = Number(
              (item.payload as Record<string, number>)[name === 'dose1' ? 'people1' : 'peopleFully'],
            );
            const share = coveragePercent(people, target);
            return [
              `${formatCount(people)}${share === undefined ? '' : ` · ${formatPercent(share)}`}`,
              seriesName(name),
            ];
          }}
        />
        <Legend formatter={seriesName} wrapperStyle={{ fontSize: 13 }} />
        <Line
          type="monotone"
          dataKey="dose1"
          stroke={SERIES_COLOURS.dose1}
          strokeWidth={3}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          type="monotone"
          dataKey="fully"
          stroke={SERIES_COLOURS.fullyVaccinated}
          strokeWidth={3}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}

/** The 30-day chart's unit, for its title. */
export function coverageChartUnit(points: readonly CoveragePoint[], target: number): 'percent' | 'people' {
  const largest = Math.max(0, ...points.map((p) => coveragePercent(Math.max(p.dose1, p.fully), target) ?? 0));
  return coverageAsPercent(target, largest) ? 'percent' : 'people';
}
