// `npm run bench`: Headroom's speed and memory figures, each beside a baseline measured in the
// same run. Prints a table and writes bench-results/report.{json,md}. Needs root for the tmpfs and
// ext4 parts, /usr/bin/chromium for the renderer part and GNU time (/usr/bin/time) for the 100 MB
// history part; what cannot run is reported as skipped. It exits 1 when a goal is not met.
// `npm run bench -- dispatch renderer` (or `--only dispatch,renderer`, or BENCH_ONLY=dispatch,renderer)
// runs the sections whose names contain those words; `--list` prints the names. In the workloads
// section, BENCH_WORKLOADS=sort,logrotate runs only those workloads.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { formatBytes } from '../../shared/format.js';
import { cannotMount } from '../../test/helpers/tmpfs.js';
import { makePki } from '../../test/helpers/tls.js';
import { cliStartupSection } from './cli-startup.js';
import { allClearSection, crossingSection, tracesSection } from './sections-alerts.js';
import {
  dispatchLatencySection,
  historyAppendSection,
  historySizeSection,
  metricsScrapeSection,
  sampleCostSection,
} from './sections-costs.js';
import {
  idleFootprintSection,
  moduleSharesSection,
  rendererSection,
  usageScanSection,
} from './sections-footprint.js';
import type { BenchContext, Section } from './section.js';
import type { Row } from './stats.js';
import { workloadsSection } from './workloads-section.js';

/** In the order they run: the usage scan re-runs crossing → delivered when that section ran. */
const SECTIONS: Section[] = [
  crossingSection,
  allClearSection,
  historySizeSection,
  tracesSection,
  workloadsSection,
  sampleCostSection,
  dispatchLatencySection,
  historyAppendSection,
  metricsScrapeSection,
  cliStartupSection,
  idleFootprintSection,
  moduleSharesSection,
  rendererSection,
  usageScanSection,
];

const { values, positionals } = parseArgs({
  options: { only: { type: 'string' }, list: { type: 'boolean' } },
  allowPositionals: true,
});
if (values.list) {
  console.log(SECTIONS.map((s) => s.name).join('\n'));
  process.exit(0);
}
const words = [
  ...positionals,
  ...(values.only ?? process.env.BENCH_ONLY ?? '').split(',').filter((w) => w.trim() !== ''),
];
const chosen = words.length ? SECTIONS.filter((s) => words.some((w) => s.name.includes(w.trim()))) : SECTIONS;
const unknown = words.filter((w) => !SECTIONS.some((s) => s.name.includes(w.trim())));
if (unknown.length) {
  console.error(
    `bench: no section's name contains ${unknown.map((w) => `"${w}"`).join(', ')}. Sections:\n  ${SECTIONS.map((s) => s.name).join('\n  ')}`,
  );
  process.exit(2);
}

const rows: Row[] = [];
const ctx: BenchContext = {
  rows,
  raw: {},
  pki: await makePki(),
  noRoot: await cannotMount,
  trials: Number(process.env.BENCH_TRIALS ?? 3),
  idleSeconds: Number(process.env.BENCH_IDLE_SECONDS ?? 30),
};
const noteRow = (benchmark: string, result: string, met: boolean | null): Row => ({
  benchmark,
  result,
  baseline: '',
  ratio: '',
  goal: '',
  met,
});
// Each section's time, as it ends and again in the report: what a section costs is what decides
// whether it is run after a change.
const runStarted = Date.now();
const took: Record<string, number> = {};
for (const [i, section] of chosen.entries()) {
  const skip = section.skip(ctx);
  if (skip) {
    rows.push(noteRow(section.name, `skipped: ${skip}`, null));
    continue;
  }
  process.stderr.write(`bench: [${i + 1}/${chosen.length}] ${section.name}…\n`);
  const started = Date.now();
  try {
    await section.run(ctx);
  } catch (error) {
    rows.push(noteRow(section.name, `failed: ${(error as Error).message}`, false));
  }
  took[section.name] = Math.round((Date.now() - started) / 1000);
  process.stderr.write(`bench: ${section.name}: ${took[section.name]} s\n`);
}
const totalSeconds = Math.round((Date.now() - runStarted) / 1000);

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
const times = `Ran in ${totalSeconds} s: ${Object.entries(took)
  .map(([name, s]) => `${name} ${s} s`)
  .join(', ')}.`;
writeFileSync(
  'bench-results/report.json',
  JSON.stringify({ machine, seconds: { total: totalSeconds, sections: took }, rows, raw: ctx.raw }, null, 2),
);
writeFileSync(
  'bench-results/report.md',
  `# Headroom benchmark\n\n${machine.date} · ${machine.cpu} × ${machine.cores} · ${machine.memory} · Node ${machine.node} · Linux ${machine.kernel}\n\n${table}\n\n${times}\n`,
);
console.log(table);
console.log(`\n${times}\nReport: bench-results/report.md and report.json`);
// A goal missed (or a section failed) is said last, where it is seen, and in the exit code, so
// that a script running the bench after a change to a measured path stops on it.
const unmet = rows.filter((r) => r.met === false);
if (unmet.length > 0) {
  console.error(
    `bench: ${unmet.length} goal(s) not met:\n${unmet.map((r) => `  ${r.benchmark}: ${r.result} (goal ${r.goal || 'none given'})`).join('\n')}`,
  );
}
process.exit(unmet.length > 0 ? 1 : 0);
