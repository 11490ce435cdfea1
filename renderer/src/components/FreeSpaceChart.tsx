import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Forecast } from '../../../shared/forecast';
import { formatPercent, formatTime } from '../../../shared/format';
import { RANGES, type ChartPoint, type ChartRange } from '../../../shared/sample-history';
import { labelBox, linePoints, type Box } from './chart-labels';

export interface ChartProps {
  points: ChartPoint[];
  range: ChartRange;
  warning: number;
  critical: number;
  /** The percentages no figure shown may round across (percentLimits). */
  limits: readonly number[];
  forecast: Forecast;
  now: number;
  /** Free space now, for the legend away from the pointer. */
  current: number;
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** Axis ticks in local time: hours and minutes within a day, the day for a week. */
function tickLabel(at: number, range: ChartRange): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return range === 'week'
    ? d.toLocaleDateString('en-US', { weekday: 'short', day: 'numeric' })
    : `${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** How far right of "now" the axis goes to show the forecast: a third of the range at most. */
export function projection(
  points: ChartPoint[],
  forecast: Forecast,
  range: ChartRange,
): { fromAt: number; from: number; toAt: number; to: number; fullAt: number } | null {
  const last = points.findLast((p) => p.freePercent !== null);
  if (!last || forecast.secondsToFull === null || last.freePercent === null) return null;
  const fullAt = last.at + forecast.secondsToFull * 1000;
  const toAt = Math.min(fullAt, last.at + RANGES[range] / 3);
  const to = last.freePercent * (1 - (toAt - last.at) / Math.max(1, fullAt - last.at));
  return { fromAt: last.at, from: last.freePercent, toAt, to, fullAt };
}

/** What the chart draws from its props: the series' values and the time axis's ends. */
function drawnOf(p: ChartProps, withForecast: boolean) {
  const { points, range, now, warning, critical, forecast } = p;
  const ahead = projection(points, forecast, range);
  const xs = points.map((q) => q.at / 1000);
  const free = points.map((q) => q.freePercent);
  const fc: (number | null)[] = points.map(() => null);
  if (ahead) {
    fc[points.findLastIndex((q) => q.freePercent !== null)] = ahead.from;
    xs.push(ahead.toAt / 1000);
    free.push(null);
    fc.push(ahead.to);
  }
  const flat = (v: number) => xs.map(() => v);
  // The forecast's series stays while the disk has a forecast, dashes or none (uPlot wants one array a series).
  const data = [xs, free, flat(warning), flat(critical), ...(withForecast ? [fc] : [])] as uPlot.AlignedData;
  const x = { min: (now - RANGES[range]) / 1000, max: ahead ? ahead.toAt / 1000 : now / 1000 };
  return { points, now, ahead, xs, free, fc, data, x };
}

/**
 * Free space over time with the thresholds as labelled lines, warning and critical periods
 * shaded, and the forecast as a dashed line towards full. uPlot draws on a canvas (≈ 20 KB gzipped,
 * a week of samples in a few ms); the figure's caption says the same in words.
 */
export default function FreeSpaceChart(p: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const { points, range, warning, critical, forecast, now } = p;
  // Read when drawn: the chart is built once a span, thresholds and colour scheme, and new
  // readings (every sample near a threshold) only give it new data, never a new chart under the pointer.
  const props = useRef(p);
  props.current = p;
  // A forecast that appears (or goes) adds (or removes) its series: that builds the chart anew.
  const hasForecast = forecast.secondsToFull !== null;
  const plotRef = useRef<uPlot | undefined>(undefined);
  const drawn = useRef<ReturnType<typeof drawnOf> | undefined>(undefined);
  // Where the pointer rests on the chart: a new colour scheme builds the chart again, and the
  // figure under a pointer that has not moved stays shown.
  const pointer = useRef<{ left: number; top: number } | undefined>(undefined);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const build = () => {
      const t0 = performance.now();
      plotRef.current?.destroy();
      // Taken before the new chart's first draw, which reports a cursor off the chart.
      const resume = pointer.current;
      const { limits } = props.current;
      drawn.current = drawnOf(props.current, hasForecast);
      const d = () => drawn.current!;
      const colors = {
        text: css('--muted'),
        line: css('--line'),
        accent: css('--accent'),
        warning: css('--warning'),
        critical: css('--critical'),
        shadeWarning: css('--shade-warning'),
        shadeCritical: css('--shade-critical'),
        card: css('--card'),
      };
      const percent = (v: number | null) => (v === null ? '–' : formatPercent(v, limits));

      /** Warning and critical periods, behind the lines: from each such point to the next. */
      const shade = (u: uPlot) => {
        const { ctx } = u;
        const { top, height } = u.bbox;
        const { points, now } = d();
        ctx.save();
        points.forEach((q, i) => {
          if (q.state !== 'warning' && q.state !== 'critical') return;
          const next = points[i + 1]?.at ?? Math.min(now, q.at + 60_000);
          const x0 = u.valToPos(q.at / 1000, 'x', true);
          const x1 = u.valToPos(next / 1000, 'x', true);
          ctx.fillStyle = q.state === 'critical' ? colors.shadeCritical : colors.shadeWarning;
          ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
        });
        ctx.restore();
      };
      /** The thresholds' names on their lines, where neither the data nor the forecast runs. */
      const labels = (u: uPlot) => {
        const { ctx } = u;
        const px = devicePixelRatio;
        ctx.save();
        ctx.font = `${11 * px}px system-ui, sans-serif`;
        ctx.textAlign = 'left';
        ctx.textBaseline = 'alphabetic';
        const lines = [1, 4].map((s) => linePoints(u, s));
        const placed: Box[] = [];
        for (const [value, name, color] of [
          [warning, `warning ${warning}%`, colors.warning],
          [critical, `critical ${critical}%`, colors.critical],
        ] as const) {
          const box = labelBox(u, u.valToPos(value, 'y', true), ctx.measureText(name).width, lines, placed);
          placed.push(box);
          ctx.fillStyle = color;
          ctx.fillText(name, box.left, box.bottom - 4 * px);
        }
        ctx.restore();
        // Where the labels went, in CSS pixels of the chart: the tests check them against the line.
        el.dataset.labels = JSON.stringify(
          placed.map((b) => [b.left, b.top, b.right, b.bottom].map((v) => v / px)),
        );
      };
      const tip = document.createElement('div');
      tip.className = 'chart-tip';
      tip.hidden = true;
      const tooltip = (u: uPlot) => {
        const i = u.cursor.idx;
        if (i === null || i === undefined || u.cursor.left === undefined || u.cursor.left < 0) {
          tip.hidden = true;
          pointer.current = undefined;
          return;
        }
        pointer.current = { left: u.cursor.left, top: u.cursor.top ?? 0 };
        const { xs, free, fc } = d();
        const measured = free[i] ?? null;
        const projected = fc[i] ?? null;
        tip.hidden = false;
        tip.textContent = `${formatTime(xs[i]! * 1000, { seconds: false })}: ${percent(measured ?? projected)} free${
          measured === null && projected !== null ? ' (forecast)' : ''
        }`;
        const left = Math.min(u.cursor.left, u.bbox.width / devicePixelRatio - tip.offsetWidth);
        tip.style.transform = `translate(${Math.max(0, left)}px, 0)`;
      };
      const axis = {
        stroke: colors.text,
        grid: { stroke: colors.line, width: 1 },
        ticks: { stroke: colors.line, width: 1 },
        font: '11px system-ui, sans-serif',
      };
      const width = Math.max(200, el.clientWidth);
      const plot = new uPlot(
        {
          width,
          height: 170,
          scales: { x: { time: true, range: () => [d().x.min, d().x.max] }, y: { range: [0, 100] } },
          axes: [
            { ...axis, space: 70, values: (_u, ticks) => ticks.map((t) => tickLabel(t * 1000, range)) },
            { ...axis, size: 50, values: (_u, ticks) => ticks.map((v) => `${v}%`), incrs: [10, 25, 50] },
          ],
          series: [
            {
              label: 'Time',
              value: (_u, v) => (v === null ? '–' : formatTime(v * 1000, { seconds: false })),
            },
            {
              label: 'Free space',
              stroke: colors.accent,
              width: 2,
              spanGaps: false,
              // Away from the chart the legend shows the latest figure rather than a dash.
              value: (_u, v, _s, idx) =>
                idx === null ? `${percent(props.current.current)} now` : percent(v),
            },
            {
              label: 'Warning below',
              stroke: colors.warning,
              width: 1,
              dash: [4, 3],
              value: () => `${warning}%`,
            },
            {
              label: 'Critical below',
              stroke: colors.critical,
              width: 1,
              dash: [4, 3],
              value: () => `${critical}%`,
            },
            ...(hasForecast
              ? [
                  {
                    label: 'Forecast',
                    stroke: colors.accent,
                    width: 1.5,
                    dash: [6, 5],
                    spanGaps: true,
                    value: () => {
                      const ahead = d().ahead;
                      return ahead ? `full ${formatTime(ahead.fullAt, { seconds: false })}` : '–';
                    },
                  },
                ]
              : []),
          ],
          cursor: { points: { size: 6 }, drag: { x: false, y: false } },
          legend: { live: true },
          hooks: {
            drawAxes: [shade],
            draw: [labels],
            setCursor: [tooltip],
            ready: [(u) => resume && u.setCursor(resume)],
          },
        },
        d().data,
        el,
      );
      plot.over.append(tip);
      plotRef.current = plot;
      // How long building and drawing took: the benchmark reads it.
      el.dataset.drawMs = (performance.now() - t0).toFixed(2);
      el.dataset.range = range;
      el.dataset.scheme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    };
    build();
    // A new width (a window resized, a card reflowed) or colour scheme: draw again.
    let width = el.clientWidth;
    const resized = new ResizeObserver(() => {
      if (Math.abs(el.clientWidth - width) < 2) return;
      width = el.clientWidth;
      plotRef.current?.setSize({ width: Math.max(200, width), height: 170 });
    });
    resized.observe(el);
    const scheme = matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', build);
    return () => {
      resized.disconnect();
      scheme.removeEventListener('change', build);
      plotRef.current?.destroy();
      plotRef.current = undefined;
    };
    // Not on points or now: those go in below, without a new chart.
  }, [range, warning, critical, hasForecast]);

  // A new reading, or the chart's points reloaded: the same chart, its data and time axis moved on.
  // uPlot keeps the cursor where it is and redraws the figure under it.
  useEffect(() => {
    const plot = plotRef.current;
    if (!plot || (drawn.current?.points === points && drawn.current.now === now)) return;
    const next = drawnOf(props.current, hasForecast);
    drawn.current = next;
    // The time axis's range is read from drawn.current whenever uPlot scales the new data.
    plot.setData(next.data);
  }, [points, now, hasForecast]);

  return <div ref={box} className="chart" aria-hidden="true" data-points={points.length} />;
}
