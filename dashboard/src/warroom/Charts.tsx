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
import { SERIES_COLOURS } from '../map/colour-scale';
import { coveragePercent } from '../map/colour-scale';
import { formatCompact, formatCount, indiaClock } from '../format';
import type { CoveragePoint, HourPoint } from './types';

const AXIS = { stroke: '#c9d1d9', fontSize: 14 };
const GRID = '#2b3642';

export function DosesPerHourChart({ hourly }: { hourly: readonly HourPoint[] }) {
  const data = hourly.map((p) => ({ hour: indiaClock(p.hour), doses: p.doses }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="hour" tick={AXIS} stroke={AXIS.stroke} interval="preserveStartEnd" minTickGap={12} />
        <YAxis
          tick={AXIS}
          stroke={AXIS.stroke}
          width={64}
          allowDecimals={false}
          tickFormatter={(v: number) => formatCompact(v)}
        />
        <Tooltip
          contentStyle={{ background: '#151d26', border: '1px solid #33404d', color: '#f1f4f7' }}
          formatter={(v) => [formatCount(Number(v)), 'doses']}
        />
        <Bar dataKey="doses" fill={SERIES_COLOURS.doses} isAnimationActive={false} radius={[3, 3, 0, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function CumulativeCoverageChart({ points, target }: { points: readonly CoveragePoint[]; target: number }) {
  const asPercent = target > 0;
  const data = points.map((p) => ({
    date: p.date.slice(5),
    dose1: asPercent ? coveragePercent(p.dose1, target) : p.dose1,
    fully: asPercent ? coveragePercent(p.fully, target) : p.fully,
  }));
  // Early in a drive coverage is a small fraction of a percent: show as many decimals as the largest value needs.
  const largest = Math.max(0, ...data.flatMap((d) => [d.dose1 ?? 0, d.fully ?? 0]));
  const digits = largest >= 10 ? 0 : largest >= 1 ? 1 : largest >= 0.1 ? 2 : largest >= 0.01 ? 3 : 4;
  const format = (v: number) => (asPercent ? `${v.toFixed(digits)}%` : formatCount(v));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="date" tick={AXIS} stroke={AXIS.stroke} minTickGap={16} />
        <YAxis tick={AXIS} stroke={AXIS.stroke} width={64} tickFormatter={format} domain={[0, 'auto']} />
        <Tooltip
          contentStyle={{ background: '#151d26', border: '1px solid #33404d', color: '#f1f4f7' }}
          formatter={(v, name) => [format(Number(v)), name === 'dose1' ? 'Dose 1' : 'Fully vaccinated']}
        />
        <Legend
          formatter={(name: string) => (name === 'dose1' ? 'Dose 1' : 'Fully vaccinated')}
          wrapperStyle={{ fontSize: 15 }}
        />
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
