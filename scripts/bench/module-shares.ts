import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { median } from './stats.js';

const exec = promisify(execFile);
const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;

/**
 * What `headroom watch` may load, in the order it loads it: each step's libraries and the app's
 * own compiled modules (dist/, so `npm run build` first). Steps share what they import (zod, most
 * of shared/), so a step measured alone counts the shared part again and the "in order" figures
 * are the ones that add up.
 */
export const STEPS: [label: string, specs: string[]][] = [
  ['zod (every schema)', ['zod']],
  ['systeminformation (drive discovery on macOS and Windows)', ['cjs:systeminformation/lib/filesystem.js']],
  [
    'shared/: settings, thresholds, hysteresis, forecast, events',
    ['settings', 'thresholds', 'hysteresis', 'forecast', 'event'].map((m) => dist(`shared/${m}.js`)),
  ],
  ['channel adapters (shared/channels)', [dist('shared/channels/registry.js')]],
  ['watcher, monitor, sampler, stores', [dist('core/watcher.js')]],
  ['delivery: dispatcher, outbox, history', [dist('core/delivery/dispatcher.js')]],
  ['node:tls (delivery transport)', ['node:tls']],
  ['usage scanner (node:worker_threads)', [dist('core/usage/scanner.js')]],
  ['web UI + API server', [dist('core/web-ui.js'), dist('core/api.js')]],
  ['metrics + textfile', [dist('core/metrics/metrics.js'), dist('core/metrics/metrics-server.js')]],
  ['node:http (the --ui and --metrics servers, when started)', ['node:http']],
  ['organisation policy', [dist('core/policy/read-policy.js')]],
  ['the CLI, every command', [dist('cli/main.js')]],
  ['node:crypto (first delivery or stored change)', ['node:crypto']],
  ['undici (first delivery)', ['undici']],
  ['jose (first signed webhook)', ['jose']],
];

interface Probe {
  step: string;
  rss: number;
}

async function probe(steps: typeof STEPS): Promise<Probe[]> {
  const { stdout } = await exec(process.execPath, [
    '--expose-gc',
    new URL('module-probe.mjs', import.meta.url).pathname,
    ...steps.map((s) => JSON.stringify(s)),
  ]);
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Probe);
}

/**
 * Each step's share of resident memory, measured in a bare Node process (with `--expose-gc`, after
 * full collections): alone (bare + that step), and added when loaded after the steps above it.
 * Medians over `trials` processes each.
 */
export async function moduleShares(trials: number) {
  const alone = new Map<string, number[]>();
  const inOrder = new Map<string, number[]>();
  const bare: number[] = [];
  const total: number[] = [];
  const push = (m: Map<string, number[]>, k: string, v: number) => m.set(k, [...(m.get(k) ?? []), v]);
  for (let t = 0; t < Math.max(3, trials); t++) {
    // A trial's probes all at once: each is a process of its own, whose memory the others do not
    // change, and most of a probe's time is the pauses between its collections (one at a time:
    // 400 s; four at a time, 33 s for the section).
    const [all, ...each] = await Promise.all([probe(STEPS), ...STEPS.map((step) => probe([step]))]);
    bare.push(all![0]!.rss);
    total.push(all!.at(-1)!.rss);
    for (let i = 1; i < all!.length; i++) push(inOrder, all![i]!.step, all![i]!.rss - all![i - 1]!.rss);
    each.forEach(([before, after], j) => push(alone, STEPS[j]![0], after!.rss - before!.rss));
  }
  return {
    bareRss: median(bare),
    allRss: median(total),
    steps: STEPS.map(([label]) => ({
      label,
      alone: median(alone.get(label)!),
      inOrder: median(inOrder.get(label)!),
    })),
  };
}
