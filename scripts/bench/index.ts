// `npm run bench`: Headroom's speed and memory figures, each beside a baseline measured in the
// same run. Prints a table and writes bench-results/report.{json,md}. Needs root for the tmpfs
// parts, /usr/bin/chromium for the renderer part and GNU time (/usr/bin/time) for the 100 MB
// history part; what cannot run is reported as skipped.
// BENCH_ONLY=dispatch,renderer runs the sections whose names contain those words.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { formatBytes } from '../../shared/format.js';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { chromiumMissing } from '../../test/helpers/browser.js';
import { cannotMount } from '../../test/helpers/tmpfs.js';
import { makePki } from '../../test/helpers/tls.js';
import { allClearBench, idleInAlert } from './all-clear.js';
import { crossingBench } from './crossing.js';
import {
  chartRender,
  dispatchLatency,
  historyAppend,
  idleFootprint,
  rendererBudgets,
  sampleCost,
} from './costs.js';
import { historyAtSize, timeMissing } from './history-size.js';
import { metricsScrapeCost } from './metrics.js';
import { moduleShares } from './module-shares.js';
import { fmtMs, type Row } from './stats.js';
import { usageBench } from './usage.js';
import { traceSection } from './traces.js';

const rows: Row[] = [];
const raw: Record<string, unknown> = {};
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 120);
const trials = Number(process.env.BENCH_TRIALS ?? 5);

const only = process.env.BENCH_ONLY?.split(',');

async function section(name: string, skip: string | false, run: () => Promise<void>) {
  if (only && !only.some((o) => name.includes(o))) return;
  if (skip) {
    rows.push({ benchmark: name, result: `skipped: ${skip}`, baseline: '', ratio: '', goal: '', met: null });
    return;
  }
  process.stderr.write(`bench: ${name}…\n`);
  try {
    await run();
  } catch (error) {
    rows.push({
      benchmark: name,
      result: `failed: ${(error as Error).message}`,
      baseline: '',
      ratio: '',
      goal: '',
      met: false,
    });
  }
}

/** A difference with its sign: `+1.2 MiB`, `−3 ms`. */
const signed = (n: number, format: (n: number) => string) => `${n < 0 ? '−' : '+'}${format(Math.abs(n))}`;

const pki = await makePki();
const noRoot = await cannotMount;

await section('crossing → delivered', noRoot, async () => {
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
});

await section('all-clear latency', noRoot, async () => {
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
});

await section('all-clear: idle CPU in alert', noRoot, async () => {
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
});

await section('100 MB history', timeMissing, async () => {
  const r = await historyAtSize(trials);
  raw.historySize = r;
  const mib = 1024 * 1024;
  rows.push({
    benchmark: `history --limit 20 on a ${formatBytes(r.fileBytes)} history (median)`,
    result: fmtMs(r.historyMs),
    baseline: `${fmtMs(r.helpMs)} (headroom --version)`,
    ratio: `${signed(r.addedMs, fmtMs)} (CPU ${signed(r.addedCpuMs, fmtMs)}), paired`,
    goal: '≤ +100 ms',
    met: r.addedMs <= 100,
  });
  rows.push({
    benchmark: `history --limit 20 on a ${formatBytes(r.fileBytes)} history, peak RSS`,
    result: formatBytes(r.historyPeakRss),
    baseline: `${formatBytes(r.helpPeakRss)} (headroom --version)`,
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
});

await section('traces (issue 17)', noRoot, () => traceSection(pki, rows, raw));

await section('sample cost', false, async () => {
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
});

await section('dispatch latency', false, async () => {
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
});

await section('history append', false, async () => {
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
});

await section('metrics scrape', noRoot, async () => {
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
});

await section('idle footprint', false, async () => {
  const r = await idleFootprint(idleSeconds);
  raw.idle = r;
  rows.push({
    benchmark: `headroom watch idle RSS (${r.seconds} s)`,
    result: formatBytes(r.headroom.rss),
    baseline: `${formatBytes(r.bare.rss)} (bare node)`,
    ratio: `${(r.headroom.rss / r.bare.rss).toFixed(2)}×`,
    goal: '≤ 45 MiB, ≤ 1.15×',
    met: r.headroom.rss <= 45 * 1024 * 1024 && r.headroom.rss <= 1.15 * r.bare.rss,
  });
  rows.push({
    benchmark: `headroom watch idle RSS, bundled CLI against tsc's per-file output (${r.seconds} s)`,
    result: formatBytes(r.headroom.rss),
    baseline: `${formatBytes(r.perFile.rss)} (dist/cli/run.js)`,
    ratio: `${(r.headroom.rss / r.perFile.rss).toFixed(2)}×`,
    goal: '',
    met: null,
  });
  rows.push({
    benchmark: `headroom watch --metrics idle RSS (${r.seconds} s, not scraped)`,
    result: formatBytes(r.metricsOn.rss),
    baseline: `${formatBytes(r.headroom.rss)} (--metrics off)`,
    ratio: `${(r.metricsOn.rss / r.headroom.rss).toFixed(2)}×`,
    goal: '',
    met: null,
  });
  if (r.baseline)
    rows.push({
      benchmark: `headroom watch idle RSS, --metrics off (${r.seconds} s)`,
      result: formatBytes(r.headroom.rss),
      baseline: `${formatBytes(r.baseline.rss)} (${r.baseline.label})`,
      ratio: `${(r.headroom.rss / r.baseline.rss).toFixed(2)}×`,
      // Less is not a regression: the goal is that nothing (a scanner, a server) grows it.
      goal: 'no more (≤ 1.05×)',
      met: r.headroom.rss / r.baseline.rss <= 1.05,
    });
  rows.push({
    benchmark: `headroom watch idle CPU (${r.seconds} s)`,
    result: `${r.headroom.cpuPercent.toFixed(3)}%`,
    baseline: `${r.bare.cpuPercent.toFixed(3)}% (bare node)`,
    ratio: '',
    goal: '≤ 0.1% of a core',
    met: r.headroom.cpuPercent <= 0.1,
  });
});

await section('idle footprint: module shares', false, async () => {
  const r = await moduleShares(trials);
  raw.moduleShares = r;
  for (const s of r.steps)
    rows.push({
      benchmark: `idle RSS share: ${s.label}`,
      result: `${signed(s.inOrder, formatBytes)} in load order`,
      baseline: `${formatBytes(r.bareRss)} (bare node, same probe)`,
      ratio: `${signed(s.alone, formatBytes)} alone`,
      goal: '',
      met: null,
    });
  rows.push({
    benchmark: 'idle RSS share: all of the above',
    result: formatBytes(r.allRss),
    baseline: `${formatBytes(r.bareRss)} (bare node, same probe)`,
    ratio: `${(r.allRss / r.bareRss).toFixed(2)}×`,
    goal: '',
    met: null,
  });
});

await section('renderer', chromiumMissing, async () => {
  const r = await rendererBudgets();
  raw.renderer = r;
  rows.push({
    benchmark: 'renderer JS, gzipped',
    result: formatBytes(r.gzBytes),
    baseline: 'budget 250 KB',
    ratio: `${((r.gzBytes / (250 * 1024)) * 100).toFixed(0)}% of budget`,
    goal: '≤ 250 KB',
    met: r.gzBytes <= 250 * 1024,
  });
  rows.push({
    benchmark: 'History with 10,000 records: open → first row clickable',
    result: fmtMs(r.historyMs),
    baseline: `${fmtMs(r.historyBaselineMs)} (10 records)`,
    ratio: `${(r.historyMs / r.historyBaselineMs).toFixed(2)}×`,
    goal: '≤ 300 ms and ≤ 1.5×',
    met: r.historyMs <= 300 && r.historyMs <= 1.5 * r.historyBaselineMs,
  });
  const c = await chartRender();
  raw.chart = c;
  rows.push({
    benchmark: `Disk chart, a week of samples (${c.points} points): uPlot build + draw`,
    result: fmtMs(c.weekDrawMs),
    baseline: `${fmtMs(c.hourDrawMs)} (the last hour, ${c.hourPoints} points)`,
    ratio: `${(c.weekDrawMs / c.hourDrawMs).toFixed(2)}×`,
    goal: '≤ 16 ms (one frame)',
    met: c.weekDrawMs <= 16,
  });
  rows.push({
    benchmark: 'Disk chart, a week: click on Week → drawn (request included)',
    result: fmtMs(c.weekWallMs),
    baseline: '',
    ratio: '',
    goal: '≤ 100 ms',
    met: c.weekWallMs <= 100,
  });
});

await section('usage scan', noRoot, async () => {
  // With crossing → delivered again while scans run, when that section ran too (its trials).
  const crossing = raw.crossing as { steadyMedianMs: number; jumpUnconfirmedMedianMs: number } | undefined;
  const r = await usageBench(trials, crossing ? () => crossingBench(pki, Math.min(2, trials)) : undefined);
  raw.usage = r;
  const tree = `${r.files.toLocaleString('en')} files, ${r.dirs.toLocaleString('en')} dirs`;
  rows.push({
    benchmark: `usage scan of ${tree} on tmpfs (warm, median)`,
    result: `${fmtMs(r.oursMs)}${r.sameTotal ? '' : ' (TOTAL DIFFERS FROM du)'}`,
    baseline: `${fmtMs(r.duMs)} (du -sx); ${fmtMs(r.niceDuMs)} (nice -n 10 du -sx)${r.ncduMs === null ? '' : `; ncdu -x -o: ${fmtMs(r.ncduMs)}`}`,
    ratio: `${(r.oursMs / r.duMs).toFixed(2)}× du; ${(r.oursMs / r.niceDuMs).toFixed(2)}× nice du`,
    goal: '≤ 1.0× du -sx, same total',
    met: r.sameTotal && r.oursMs <= r.duMs,
  });
  rows.push({
    benchmark: `usage scan of ${tree}: with ${r.helpers} helper processes, alone, and in a worker thread (the desktop app)`,
    result: fmtMs(r.oursMs),
    baseline: `${fmtMs(r.aloneMs)} (helpers: 0); ${fmtMs(r.threadMs)} (thread)`,
    ratio: `${(r.oursMs / r.aloneMs).toFixed(2)}× alone; alone ${(r.aloneMs / r.duMs).toFixed(2)}× du, thread ${(r.threadMs / r.duMs).toFixed(2)}× du`,
    goal: '',
    met: null,
  });
  rows.push({
    benchmark: `usage scan: peak RSS of the scanning process, and of its ${r.helpers} helpers together`,
    result: `${formatBytes(r.peakRss)}; helpers ${formatBytes(r.helpersPeakRss)}`,
    baseline: `${formatBytes(r.bareRss)} (bare node)`,
    ratio: `+${formatBytes(r.peakRss - r.bareRss)}; all ${formatBytes(r.peakRss + r.helpersPeakRss)}`,
    goal: '≤ 150 MB',
    met: r.peakRss + r.helpersPeakRss <= 150 * 1024 * 1024,
  });
  rows.push({
    benchmark: 'usage snapshot size',
    result: formatBytes(r.snapshotBytes),
    baseline: '',
    ratio: '',
    goal: '≤ 1 MB',
    met: r.snapshotBytes <= 1024 * 1024,
  });
  rows.push({
    benchmark: 'statfs sample during a scan (p50 / p99; event-loop delay p99)',
    result: `${fmtMs(r.during.p50)} / ${fmtMs(r.during.p99)}; ${fmtMs(r.during.loopP99)}`,
    baseline: `${fmtMs(r.idle.p50)} / ${fmtMs(r.idle.p99)}; ${fmtMs(r.idle.loopP99)} (no scan)`,
    ratio: `p99 ${(r.during.p99 / r.idle.p99).toFixed(2)}×`,
    goal: 'unchanged',
    met: null,
  });
  if (crossing && r.crossingDuringScans)
    rows.push({
      benchmark: 'crossing → delivered while scans run (steady / jump with confirmSeconds=0, median)',
      result: `${fmtMs(r.crossingDuringScans.steadyMedianMs)} / ${fmtMs(r.crossingDuringScans.jumpUnconfirmedMedianMs)}`,
      baseline: `${fmtMs(crossing.steadyMedianMs)} / ${fmtMs(crossing.jumpUnconfirmedMedianMs)} (no scan)`,
      ratio: `${(r.crossingDuringScans.steadyMedianMs / crossing.steadyMedianMs).toFixed(2)}× / ${(r.crossingDuringScans.jumpUnconfirmedMedianMs / crossing.jumpUnconfirmedMedianMs).toFixed(2)}×`,
      goal: 'unchanged (≤ 250 ms / ≤ 2 s)',
      met:
        r.crossingDuringScans.steadyMedianMs <= 250 && r.crossingDuringScans.jumpUnconfirmedMedianMs <= 2000,
    });
});

const machine = {
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  memory: formatBytes(totalmem()),
  node: process.version,
  kernel: release(),
};
const table = [
  '| benchmark | result | baseline (same run) | ratio | goal | met |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.benchmark} | ${r.result} | ${r.baseline} | ${r.ratio} | ${r.goal} | ${r.met === null ? '–' : r.met ? 'yes' : 'no'} |`,
  ),
].join('\n');
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/report.json', JSON.stringify({ machine, rows, raw }, null, 2));
writeFileSync(
  'bench-results/report.md',
  `# Headroom benchmark\n\n${machine.date} · ${machine.cpu} × ${machine.cores} · ${machine.memory} · Node ${machine.node} · Linux ${machine.kernel}\n\n${table}\n`,
);
console.log(table);
console.log(`\nReport: bench-results/report.md and report.json`);
process.exit(0);
