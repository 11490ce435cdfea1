// Issue 17's figures on the replayed traces (test/helpers/traces.ts): false alarms, missed
// crossings, the predictive alert's lead-time error and crossing → delivered. Each trace is
// replayed through the real watcher, dispatcher and a webhook (test/helpers/replay.ts); the
// baseline is the rules before issue 17 run over the very readings the watcher took in the same
// run — least squares over the last 288 readings, no confirmation, no all-clear margin, the
// fixed flapping rule — so both columns judge the same disk at the same moments.
import type { MountState, Reading } from '../../shared/disk.js';
import type { Point } from '../../shared/forecast.js';
import { evaluate, type MountRecord } from '../../shared/hysteresis.js';
import { flappingUntil } from '../../shared/quiet.js';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { replay, type Heard, type ReplayResult } from '../../test/helpers/replay.js';
import type { TestPki } from '../../test/helpers/tls.js';
import { TRACES, type Trace } from '../../test/helpers/traces.js';
import { median, type Row } from './stats.js';

/** What on-call heard, as the scoring reads it. */
type Told = Pick<Heard, 'kind' | 'at' | 'from'> & { claim?: number };

const RANK: Record<string, number> = { ok: 0, unreachable: 0, warning: 1, predicted: 1, critical: 2 };
/** A warning from critical steps down: it announces no crossing, and is no alarm. */
const stepDown = (h: Told) => h.kind !== 'clear' && RANK[h.from]! >= RANK[h.kind]!;

export interface TraceScore {
  trace: string;
  heard: string[];
  falseAlarms: string[];
  missed: string[];
  /** |claimed − true| / true lead time of each predictive warning. */
  leadErrors: number[];
  /** Crossing → delivered (ms) for each real crossing announced: detection on the trace's clock, delivery in real time. */
  crossingMs: number[];
}

/** Spans (seconds) where free space stays below `percent` for at least `minSeconds`. */
function episodes(trace: Trace, percent: number, minSeconds: number): [number, number][] {
  const out: [number, number][] = [];
  let start: number | null = null;
  for (let s = 0; s <= trace.durationSeconds + 0.05; s += 0.1) {
    const below = s <= trace.durationSeconds && trace.freeAt(s) < percent;
    if (below && start === null) start = s;
    if (!below && start !== null) {
      if (s - start >= minSeconds) out.push([start, s]);
      start = null;
    }
  }
  return out;
}

/**
 * Scores what was heard against the trace itself. A real crossing is free space below a threshold
 * for at least `confirmSeconds` (shorter is a blip, by the user's own setting). False alarms: an
 * alert with no real crossing of its threshold under way or beginning within 10 s (a steady fill
 * is announced at its first reading below); a predictive warning not followed by critical within
 * 1.5× its minutes; an all-clear of a false alarm, or one followed by a real crossing within 5
 * minutes (it was not clear). Missed: a real crossing at whose end on-call's last word was not an
 * alert (for critical: not critical) — an all-clear while the disk was still below, or nothing.
 */
export function score(trace: Trace, told: Told[], confirmSeconds: number, predictiveMinutes: number | null) {
  const warn = episodes(trace, 20, confirmSeconds);
  const crit = episodes(trace, 10, confirmSeconds);
  const within = (eps: [number, number][], at: number) => eps.some(([a, b]) => a <= at + 10 && at <= b + 0.5);
  const falseAlarms: string[] = [];
  let lastAlertFalse = false;
  for (const h of told) {
    if (stepDown(h)) continue;
    const when = `${h.kind} at ${h.at.toFixed(1)} s`;
    let bad = false;
    if (h.kind === 'warning') bad = !within(warn, h.at);
    if (h.kind === 'critical') bad = !within(crit, h.at);
    if (h.kind === 'predicted') {
      const critical = crit.find(([a]) => a >= h.at);
      bad = !critical || critical[0] - h.at > 1.5 * (predictiveMinutes ?? 0) * 60;
    }
    if (h.kind === 'clear') bad = lastAlertFalse || warn.some(([a]) => a > h.at && a - h.at < 300);
    else lastAlertFalse = bad;
    if (bad) falseAlarms.push(when);
  }
  // Told before the crossing ended (an all-clear at the reading that ends it is not early).
  const lastBefore = (s: number) => told.filter((h) => h.at < s - 0.2).at(-1)?.kind;
  const missed = [
    ...warn
      .filter(([, b]) => [undefined, 'clear'].includes(lastBefore(b)))
      .map(([a]) => `below 20 % at ${a.toFixed(1)} s`),
    ...crit.filter(([, b]) => lastBefore(b) !== 'critical').map(([a]) => `below 10 % at ${a.toFixed(1)} s`),
  ];
  const leadErrors = told
    .filter((h) => h.kind === 'predicted' && h.claim !== undefined)
    .flatMap((h) => {
      const critical = crit.find(([a]) => a >= h.at);
      if (!critical) return [];
      const truth = critical[0] - h.at;
      return [Math.abs(h.claim! - truth) / truth];
    });
  return { falseAlarms, missed, leadErrors };
}

/** The trend before issue 17: least squares over every point kept (the last 288 readings). */
function oldForecast(points: readonly Point[], critical: number): number | null {
  const last = points.at(-1)!;
  if (points.length < 2 || last.at - points[0]!.at < 1000) return null;
  const n = points.length;
  let [sx, sy, sxx, sxy] = [0, 0, 0, 0];
  for (const p of points) {
    const x = (p.at - points[0]!.at) / 1000;
    [sx, sy, sxx, sxy] = [sx + x, sy + p.available, sxx + x * x, sxy + x * p.available];
  }
  const d = n * sxx - sx * sx;
  const rate = d === 0 ? 0 : -(n * sxy - sx * sy) / d;
  if (rate < 1024) return null;
  const now = sy / n - rate * ((last.at - points[0]!.at) / 1000 - sx / n);
  const target = (last.usable * critical) / 100;
  return now <= target ? 0 : (now - target) / rate;
}

/** The rules before issue 17, run over the readings the watcher took: what on-call would have heard. */
function baseline(r: ReplayResult, predictiveMinutes: number | null): Told[] {
  const told: Told[] = [];
  const changes: number[] = [];
  let record: MountRecord | undefined;
  let lastTold: MountState = 'ok';
  let held: { until: number; since: number } | undefined;
  const points: Point[] = [];
  for (const read of r.readings) {
    const last = points.at(-1);
    // The old watcher's points: every reading, but an unchanged one only every 5 s.
    if (!last || last.available !== read.available || read.at - last.at >= 5) points.push(read);
    if (points.length > 288) points.shift();
    const toCritical = oldForecast(
      points.map((p) => ({ ...p, at: p.at * 1000 })),
      10,
    );
    const predicted =
      predictiveMinutes !== null &&
      toCritical !== null &&
      toCritical > 0 &&
      toCritical < predictiveMinutes * 60;
    const reading: Reading = {
      ok: true,
      sample: {
        mount: '/',
        fs: 'replay',
        type: 'tmpfs',
        size: read.usable,
        used: read.usable - read.available,
        available: read.available,
        freePercent: (read.available / read.usable) * 100,
        at: read.at * 1000,
      },
    };
    const step = evaluate(
      '/',
      record,
      reading,
      { warningPercent: 20, criticalPercent: 10 },
      {
        predict: { raise: predicted, hold: predicted },
      },
    );
    record = step.record;
    const now = read.at * 1000;
    if (held && now >= held.until && record.state !== lastTold) {
      told.push({ kind: kindOf(lastTold, record.state, false), at: read.at, from: lastTold });
      lastTold = record.state;
      held = undefined;
    }
    const t = step.transition;
    if (!t) continue;
    changes.push(now);
    const until = t.to === 'critical' ? null : flappingUntil(changes, now);
    if (until !== null) {
      held = { until, since: held?.since ?? now };
      continue;
    }
    told.push({
      kind: kindOf(lastTold, t.to, t.predicted === true),
      at: read.at,
      from: lastTold,
      ...(t.predicted && toCritical !== null ? { claim: toCritical } : {}),
    });
    lastTold = t.to;
  }
  return told;
}

function kindOf(from: MountState, to: MountState, predicted: boolean): string {
  if (to === 'ok') return 'clear';
  if (predicted) return 'predicted';
  return from === 'critical' && to === 'warning' ? 'warning' : to;
}

export async function traceBench(pki: TestPki) {
  const scores: { ours: TraceScore; before: TraceScore }[] = [];
  for (const trace of TRACES) {
    const r = await replay(trace, { pki });
    const minutes = trace.settings?.predictiveMinutes ?? null;
    const confirm = trace.settings?.confirmSeconds ?? DEFAULT_SETTINGS.confirmSeconds;
    const ours: Told[] = r.heard.map((h) => {
      // The claim the views showed with it: the first view at or after it (views are taken once a
      // second, so the one before may be older than the reading that raised it).
      const claim =
        h.kind === 'predicted' ? r.shown.find((s) => s.at >= h.at)?.forecast.secondsToCritical : undefined;
      return { kind: h.kind, at: h.at, from: h.from, ...(claim != null ? { claim } : {}) };
    });
    // Each real crossing with the first alert of its kind told while it lasted (one told earlier,
    // by the forecast, is a lead rather than a delay, and is scored as a lead-time error above).
    const crossings = (told: Told[]) =>
      (
        [
          ...episodes(trace, 20, confirm).map((e) => ['warning', e] as const),
          ...episodes(trace, 10, confirm).map((e) => ['critical', e] as const),
        ] as const
      ).flatMap(([kind, [start, end]]) => {
        const first = told.find(
          (h) => h.kind === kind && !stepDown(h) && h.at >= start - 0.05 && h.at <= end + 0.5,
        );
        return first ? [{ h: first, start }] : [];
      });
    const scored = (told: Told[], latency: (h: Told, start: number) => number): TraceScore => ({
      trace: trace.name,
      heard: told.map((h) => h.kind),
      ...score(trace, told, confirm, minutes),
      crossingMs: crossings(told).map(({ h, start }) => latency(h, start)),
    });
    scores.push({
      ours: scored(
        ours,
        (h, start) => Math.max(0, h.at - start) * 1000 + r.heard.find((x) => x.at === h.at)!.deliveredMs,
      ),
      // The old rules' detection delay on the same readings (its delivery would cost the same).
      before: scored(baseline(r, minutes), (h, start) => Math.max(0, h.at - start) * 1000),
    });
  }
  const sum = (pick: (s: TraceScore) => unknown[], side: 'ours' | 'before') =>
    scores.reduce((n, s) => n + pick(s[side]).length, 0);
  const errors = (side: 'ours' | 'before') => scores.flatMap((s) => s[side].leadErrors);
  const crossing = (side: 'ours' | 'before') => scores.flatMap((s) => s[side].crossingMs);
  return {
    traces: TRACES.length,
    falseAlarms: sum((s) => s.falseAlarms, 'ours'),
    falseAlarmsBefore: sum((s) => s.falseAlarms, 'before'),
    missed: sum((s) => s.missed, 'ours'),
    missedBefore: sum((s) => s.missed, 'before'),
    leadError: errors('ours').length ? Math.max(...errors('ours')) : null,
    leadErrorBefore: errors('before').length ? Math.max(...errors('before')) : null,
    crossingMedianMs: median(crossing('ours')),
    crossingMedianBeforeMs: median(crossing('before')),
    scores,
  };
}

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)} %`);

/** The section of `npm run bench`: its rows, and the detail of every trace under raw.traces. */
export async function traceSection(pki: TestPki, rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const r = await traceBench(pki);
  raw.traces = r;
  const before = '(the old rules, same readings)';
  /** A count that must be 0 (false alarms, missed crossings), beside the old rules' count. */
  const none = (what: string, n: number, nBefore: number): Row => ({
    benchmark: `${what} on ${r.traces} replayed traces`,
    result: String(n),
    baseline: `${nBefore} ${before}`,
    ratio: '',
    goal: '0',
    met: n === 0,
  });
  rows.push(
    none('false alarms', r.falseAlarms, r.falseAlarmsBefore),
    none('missed crossings', r.missed, r.missedBefore),
    {
      benchmark: 'predictive lead-time error (worst)',
      result: pct(r.leadError),
      baseline: `${pct(r.leadErrorBefore)} ${before}`,
      ratio: '',
      goal: '≤ 20 %',
      met: r.leadError !== null && r.leadError <= 0.2,
    },
    {
      benchmark: 'traces: crossing → delivered (median)',
      result: `${r.crossingMedianMs.toFixed(0)} ms`,
      baseline: `${r.crossingMedianBeforeMs.toFixed(0)} ms detection ${before}`,
      ratio: '',
      // Each crossing is confirmed for confirmSeconds (3 s) unless a steady fill would reach the
      // next level first (the small disk filled fast: at once, as in the crossing section).
      goal: '≤ 3.5 s',
      met: r.crossingMedianMs <= 3500,
    },
  );
}
