import { useId, useMemo, useRef, useState } from 'react';
import type { Forecast } from '../../../shared/forecast';
import { formatDuration, formatPercent, formatTime } from '../../../shared/format';
import type { Thresholds } from '../../../shared/hysteresis';
import { percentLimits } from '../../../shared/thresholds';
import { endingAt, firstSpan, type ChartPoint, type ChartRange } from '../../../shared/sample-history';
import { api } from '../client';
import { useEvent, useLoad } from '../hooks';
import { onDemand } from './OnDemand';

// uPlot loads with the first chart, not with the app: the window opens as fast as before.
const FreeSpaceChart = onDemand(
  () => import('./FreeSpaceChart').then((m) => m.default),
  'the chart',
  <div className="chart chart-loading" />,
);

const RANGE_LABELS: [ChartRange, string][] = [
  ['hour', 'Hour'],
  ['day', 'Day'],
  ['week', 'Week'],
];
const RANGE_WORDS: Record<ChartRange, string> = { hour: 'hour', day: '24 hours', week: '7 days' };

/** A fresh chart at most this often while samples arrive (each sample would be every second in tests). */
const REFRESH_MS = 15_000;

/** One disk's free space over the last hour, day or week, chosen by the user; the figure says it in words too. */
export function DiskChart({
  mount,
  thresholds,
  forecast,
  latest,
}: {
  mount: string;
  /** The disk's own (DiskView.thresholds): the lines drawn, and what no figure rounds across. */
  thresholds: Thresholds;
  forecast: Forecast;
  /**
   * The card's reading (a bucket keeps its lowest, which may be older): the line ends there, at
   * the card's figure, and the forecast starts there.
   */
  latest: ChartPoint & { freePercent: number };
}) {
  const { at, freePercent: current } = latest;
  const id = useId();
  // The span pressed; until one is, the span with data (firstSpan), looked at again at each load.
  const [chosen, setChosen] = useState<ChartRange>();
  const loadedAt = useRef(0);
  // useLoad keeps only the last request's answer: a day still on its way when Week is pressed is
  // not drawn, and until the week is in, nothing is described as the week.
  const chart = useLoad(async () => {
    loadedAt.current = Date.now();
    const load = (range: ChartRange) =>
      api['disks.chart']({ mount, range }).then((points) => ({ points, now: Date.now(), range, chosen }));
    const day = await load(chosen ?? 'day');
    return chosen || firstSpan(day.points, day.now) === 'day' ? day : load('hour');
  }, [mount, chosen]);
  useEvent('disks', () => Date.now() - loadedAt.current > REFRESH_MS && chart.reload(), [chart.reload]);
  const shown = chart.value?.chosen === chosen ? chart.value : undefined;
  const range = shown?.range ?? chosen;
  // The line ends at the card's own reading: drawn at once, not at the next load.
  const points = useMemo(() => shown && endingAt(shown.points, latest), [shown, at, current, latest.state]);

  return (
    <figure className="disk-chart" aria-labelledby={`${id}-caption`}>
      <div className="chart-head">
        <span className="chart-title" id={`${id}-title`}>
          Free space
        </span>
        <div className="segmented" role="group" aria-label={`Chart span for ${mount}`}>
          {RANGE_LABELS.map(([r, label]) => (
            <button key={r} type="button" aria-pressed={range === r} onClick={() => setChosen(r)}>
              {label}
            </button>
          ))}
        </div>
      </div>
      {chart.error ? (
        <p className="error">Could not load the chart: {chart.error}</p>
      ) : shown && points && range ? (
        <FreeSpaceChart
          points={points}
          range={range}
          warning={thresholds.warningPercent}
          critical={thresholds.criticalPercent}
          limits={percentLimits(thresholds)}
          forecast={forecast}
          now={Math.max(shown.now, at)}
          current={current}
        />
      ) : (
        <div className="chart chart-loading" />
      )}
      <figcaption id={`${id}-caption`} className="hint">
        {points && range
          ? describe(points, RANGE_WORDS[range], thresholds, forecast, current)
          : 'Loading the chart…'}
      </figcaption>
    </figure>
  );
}

/** The chart in words, for everyone who cannot see a canvas (and for the caption under it). */
export function describe(
  points: ChartPoint[],
  span: string,
  thresholds: Thresholds,
  forecast: Forecast,
  current: number,
): string {
  const { warningPercent: warning, criticalPercent: critical } = thresholds;
  const percent = (p: number) => formatPercent(p, percentLimits(thresholds));
  const known = points.filter((p) => p.freePercent !== null) as (ChartPoint & { freePercent: number })[];
  if (known.length === 0) return `No samples in the last ${span} yet.`;
  const low = known.reduce((a, b) => (b.freePercent < a.freePercent ? b : a));
  const last = known.at(-1)!;
  const below = (state: ChartPoint['state']) =>
    points.reduce((n, p, i) => n + (p.state === state ? (points[i + 1]?.at ?? p.at + 60_000) - p.at : 0), 0);
  const parts = [
    `Last ${span}: ${percent(known[0]!.freePercent)} free at the start, ${percent(current)} now, lowest ${percent(low.freePercent)} (${formatTime(low.at, { seconds: false })}).`,
    `Lines: warning below ${warning}% free, critical below ${critical}%.`,
  ];
  const w = below('warning');
  const c = below('critical');
  if (w || c)
    parts.push(
      `Shaded: ${[w && `warning for ${formatDuration(w)}`, c && `critical for ${formatDuration(c)}`].filter(Boolean).join(', ')}.`,
    );
  if (forecast.secondsToFull !== null)
    parts.push(
      `Dashed: at this rate full at ${formatTime(last.at + forecast.secondsToFull * 1000, { seconds: false })}.`,
    );
  return parts.join(' ');
}
