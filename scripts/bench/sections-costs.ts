// The sections on what Headroom's parts cost: a sample, a dispatch, a history append or read, a
// metrics scrape — each beside a baseline measured in the same run.
import { formatBytes } from '../../shared/format.js';
import { sampleCost, dispatchLatency, historyAppend } from './costs.js';
import { historyAtSize, timeMissing } from './history-size.js';
import { metricsScrapeCost } from './metrics.js';
import { signed, type Section } from './section.js';
import { fmtMs } from './stats.js';

export const historySizeSection: Section = {
  name: '100 MB history',
  skip: () => timeMissing,
  async run({ rows, raw, trials }) {
    const r = await historyAtSize(trials);
    raw.historySize = r;
    const mib = 1024 * 1024;
    rows.push({
      benchmark: `history --limit 20 on a ${formatBytes(r.fileBytes)} history (median)`,
      result: fmtMs(r.historyMs),
      baseline: `${fmtMs(r.helpMs)} (headroom help history)`,
      ratio: `${signed(r.addedMs, fmtMs)} (CPU ${signed(r.addedCpuMs, fmtMs)}), paired`,
      goal: '≤ +100 ms',
      met: r.addedMs <= 100,
    });
    rows.push({
      benchmark: `history --limit 20 on a ${formatBytes(r.fileBytes)} history, peak RSS`,
      result: formatBytes(r.historyPeakRss),
      baseline: `${formatBytes(r.helpPeakRss)} (headroom help history)`,
      ratio: signed(r.historyPeakRss - r.helpPeakRss, formatBytes),
      goal: '≤ +20 MB',
      met: r.historyPeakRss - r.helpPeakRss <= 20 * mib,
    });
    for (const [what, rss] of [
      ['kept (retention 1,000,000)', r.watchRss.kept],
      ['cut to 10,000 records at start', r.watchRss.cut],
    ] as const)
      rows.push({
        benchmark: `headroom watch RSS, 100 MB history ${what}`,
        result: formatBytes(rss),
        baseline: `${formatBytes(r.watchRss.empty)} (empty history)`,
        ratio: signed(rss - r.watchRss.empty, formatBytes),
        goal: '≤ +10 MB',
        met: rss - r.watchRss.empty <= 10 * mib,
      });
  },
};

export const sampleCostSection: Section = {
  name: 'sample cost',
  skip: () => false,
  async run({ rows, raw }) {
    const r = await sampleCost();
    raw.sample = r;
    rows.push({
      benchmark: `one sample of all ${r.mounts} mounts`,
      result: fmtMs(r.oursMs),
      baseline: `${fmtMs(r.dfMs)} (spawn df -P)`,
      ratio: `1/${Math.round(r.dfMs / r.oursMs)}`,
      goal: '≤ 1/20',
      met: r.oursMs * 20 <= r.dfMs,
    });
  },
};

export const dispatchLatencySection: Section = {
  name: 'dispatch latency',
  skip: () => false,
  async run({ rows, raw, pki }) {
    const r = await dispatchLatency(pki);
    raw.dispatch = r;
    rows.push({
      benchmark: 'transition → loopback HTTPS endpoint (p50 / p99)',
      result: `${fmtMs(r.p50)} / ${fmtMs(r.p99)}`,
      baseline: `${fmtMs(r.curlP50)} (spawn curl, p50)`,
      ratio: `1/${Math.round(r.curlP50 / r.p50)}`,
      goal: '≥ 10× faster',
      met: r.p50 * 10 <= r.curlP50,
    });
  },
};

export const historyAppendSection: Section = {
  name: 'history append',
  skip: () => false,
  async run({ rows, raw }) {
    const r = await historyAppend();
    raw.history = r;
    const flat = r[100_000]! / r[1_000]!;
    rows.push({
      benchmark: 'history append at 1k / 10k / 100k records',
      result: `${fmtMs(r[1_000]!)} / ${fmtMs(r[10_000]!)} / ${fmtMs(r[100_000]!)}`,
      baseline: 'at 1k',
      ratio: `100k ÷ 1k = ${flat.toFixed(2)}`,
      goal: 'flat, ≤ 1 ms',
      met: r[100_000]! <= 1 && flat < 2,
    });
  },
};

export const metricsScrapeSection: Section = {
  name: 'metrics scrape',
  skip: (c) => c.noRoot,
  async run({ rows, raw }) {
    const r = await metricsScrapeCost();
    raw.metrics = r;
    rows.push({
      benchmark: `a /metrics scrape, ${r.mounts} mounts and ${r.integrations} integrations (${formatBytes(r.ours.bytes)}): the watcher's CPU per scrape`,
      result: fmtMs(r.ours.cpuMsPerRequest),
      baseline: `${fmtMs(r.baseline.cpuMsPerRequest)} (bare Node HTTP answer)`,
      ratio: `${(r.ours.cpuMsPerRequest / r.baseline.cpuMsPerRequest).toFixed(1)}×`,
      goal: '≤ 1 ms',
      met: r.ours.cpuMsPerRequest <= 1,
    });
    rows.push({
      benchmark: 'the same scrape after a sample changed the page: encoding it again (median)',
      result: fmtMs(r.changed.encodeMs),
      baseline: `${fmtMs(r.changed.rebuildMs)} (rebuilding the disk part, at each sample)`,
      ratio: '',
      goal: '≤ 1 ms with the send',
      met: r.changed.encodeMs + r.ours.cpuMsPerRequest <= 1,
    });
    rows.push({
      benchmark: 'a scrape: latency on loopback (p50 / p99)',
      result: `${fmtMs(r.ours.p50)} / ${fmtMs(r.ours.p99)}`,
      baseline: `${fmtMs(r.baseline.p50)} / ${fmtMs(r.baseline.p99)} (bare)`,
      ratio: `${(r.ours.p50 / r.baseline.p50).toFixed(1)}×`,
      goal: '',
      met: null,
    });
  },
};
