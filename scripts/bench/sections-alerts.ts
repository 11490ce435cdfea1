// The sections on alerts: how soon a crossing and an all-clear reach a webhook, what a watcher in
// alert costs, and how the rules fare on replayed traces and on real programs (workloads).
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { allClearBench, idleInAlert } from './all-clear.js';
import { crossingBench } from './crossing.js';
import type { Section } from './section.js';
import { fmtMs } from './stats.js';
import { traceSection } from './traces.js';

export const crossingSection: Section = {
  name: 'crossing → delivered',
  skip: (c) => c.noRoot,
  async run({ rows, raw, pki, trials }) {
    const r = await crossingBench(pki, trials);
    raw.crossing = r;
    // A fixed 5-minute cadence notices a crossing at the next sample: on average half an interval
    // later, plus the same dispatch cost as ours (measured here as our whole steady-fill delay).
    const fixedExpected = 150_000 + r.steadyMedianMs;
    rows.push({
      benchmark: 'crossing → delivered, steady ~8 MB/s (median)',
      result: fmtMs(r.steadyMedianMs),
      baseline: `${fmtMs(fixedExpected)} (5-min cadence, expected)`,
      ratio: `1/${Math.round(fixedExpected / r.steadyMedianMs)}`,
      goal: '≤ 250 ms',
      met: r.steadyMedianMs <= 250,
    });
    // A jump into warning waits confirmSeconds by design (a 2-second spike stays silent), so it has
    // no goal of its own with the defaults; the 2 s goal is held with confirmSeconds=0, and by a
    // jump straight into critical while the disk still fills, which is told at once.
    for (const [what, ms, goal] of [
      [
        `jump from calm into warning, default confirmSeconds=${DEFAULT_SETTINGS.confirmSeconds}`,
        r.jumpMedianMs,
        null,
      ],
      ['jump from calm into warning, confirmSeconds=0', r.jumpUnconfirmedMedianMs, 2000],
      ['jump into critical, still filling (defaults)', r.jumpCriticalMedianMs, 2000],
    ] as const)
      rows.push({
        benchmark: `crossing → delivered, sudden ${what} (median)`,
        result: fmtMs(ms),
        baseline: `${fmtMs(fixedExpected)} (5-min cadence, expected)`,
        ratio: `1/${Math.round(fixedExpected / ms)}`,
        goal:
          goal === null
            ? `none: confirmed for ${DEFAULT_SETTINGS.confirmSeconds} s by design`
            : `≤ ${goal / 1000} s`,
        met: goal === null ? null : ms <= goal,
      });
  },
};

export const allClearSection: Section = {
  name: 'all-clear latency',
  skip: (c) => c.noRoot,
  async run({ rows, raw, pki, trials }) {
    const r = await allClearBench(pki, trials);
    raw.allClear = r;
    // The sources' 5-minute cadence notices freed space at the next sample, on average half an
    // interval later, plus the same dispatch cost as ours (measured here as the alert's own delay).
    const fixedExpected = 150_000 + r.intoAlertMedianMs;
    for (const [from, ms] of [
      ['critical', r.fromCriticalMedianMs],
      ['warning', r.fromWarningMedianMs],
    ] as const)
      rows.push({
        benchmark: `all-clear after the space is freed, from ${from}, confirmSeconds=0 (median)`,
        result: fmtMs(ms),
        baseline: `${fmtMs(fixedExpected)} (5-min cadence, expected)`,
        ratio: `1/${Math.round(fixedExpected / ms)}`,
        goal: '≤ 500 ms',
        met: ms <= 500,
      });
  },
};

export const idleInAlertSection: Section = {
  name: 'all-clear: idle CPU in alert',
  skip: (c) => c.noRoot,
  async run({ rows, raw, idleSeconds }) {
    const r = await idleInAlert(idleSeconds);
    raw.idleInAlert = r;
    rows.push({
      benchmark: `headroom watch CPU, a disk held in critical (${r.seconds} s)`,
      result: `${r.critical.cpuPercent.toFixed(3)}%`,
      baseline: `${r.bare.cpuPercent.toFixed(3)}% (bare node)`,
      ratio: '',
      goal: '≤ 0.1% of a core',
      met: r.critical.cpuPercent <= 0.1,
    });
    // Not the alert's re-read: on a 16 MB disk critical is 0.8 MB away, which fast detection
    // re-reads at its 100 ms floor (a crossing could come that soon); a disk of real size in
    // warning is re-read at the alert cadence, as the critical row is.
    rows.push({
      benchmark: `headroom watch CPU, a 16 MB disk held in warning (${r.seconds} s)`,
      result: `${r.warning.cpuPercent.toFixed(3)}%`,
      baseline: `${r.bare.cpuPercent.toFixed(3)}% (bare node)`,
      ratio: '',
      goal: '— (fast detection, 100 ms)',
      met: null,
    });
  },
};

export const tracesSection: Section = {
  name: 'traces (issue 17)',
  skip: (c) => c.noRoot,
  run: ({ pki, rows, raw }) => traceSection(pki, rows, raw),
};
