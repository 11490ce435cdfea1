import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CliProcess, runCli, tempHome } from '../../test/helpers/cli.js';
import { collectGarbage, procStats } from './footprint.js';
import { writeHistory } from './history-file.js';
import { median } from './stats.js';

const BIN = 'bin/headroom.js';
const TIME = '/usr/bin/time';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const timeMissing: string | false = existsSync(TIME)
  ? false
  : `${TIME} is not installed (apt-get install time)`;

interface Run {
  ms: number;
  cpuMs: number;
  peakRss: number;
}

/** Wall time seen from here, CPU time and peak RSS (getrusage, through GNU time) of one CLI run. */
async function runMeasured(args: string[], home: string): Promise<Run> {
  const out = join(home, 'time.out');
  const t = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(TIME, ['-f', '%M %U %S', '-o', out, process.execPath, BIN, ...args], {
      env: { ...process.env, HEADROOM_HOME: home },
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
  const ms = performance.now() - t;
  if (code !== 0) throw new Error(`headroom ${args.join(' ')} exited ${code}`);
  const [kib, user, system] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { ms, cpuMs: (user! + system!) * 1000, peakRss: kib! * 1024 };
}

/**
 * A 100 MB history.jsonl: `headroom history --limit 20` against `headroom help history` (the
 * same CLI start, every command module loaded, no data opened — `--version` no longer loads the
 * CLI at all, bin/headroom.js answers it), and the
 * memory of a running `headroom watch` with that file against an empty history.
 */
export async function historyAtSize(trials: number) {
  const source = await tempHome();
  const homes: string[] = [source];
  try {
    const file = writeHistory(source, { megabytes: 100 });

    // Alternated, after one run of each that warms the page cache and Node's compile cache.
    await runMeasured(['help', 'history'], source);
    await runMeasured(['history', '--limit', '20'], source);
    const help: Run[] = [];
    const history: Run[] = [];
    for (let i = 0; i < 2 * trials; i++) {
      help.push(await runMeasured(['help', 'history'], source));
      history.push(await runMeasured(['history', '--limit', '20'], source));
    }

    // Three watchers side by side: an empty history; the 100 MB file kept (retention raised to
    // 1,000,000 records), which a watcher only ever appends to; and the same file under the
    // default retention of 10,000 records, which the watcher cuts down as it starts. Every trial's
    // three at once (each one's memory is its own, read after a full collection): one start-up
    // pause for all rather than one each.
    const rss: Record<'empty' | 'kept' | 'cut', number[]> = { empty: [], kept: [], cut: [] };
    const peak: Record<'empty' | 'kept' | 'cut', number[]> = { empty: [], kept: [], cut: [] };
    const watchers: [keyof typeof rss, CliProcess][] = [];
    try {
      for (let i = 0; i < Math.min(trials, 3); i++) {
        const home = { empty: await tempHome(), kept: await tempHome(), cut: await tempHome() };
        homes.push(...Object.values(home));
        for (const h of [home.kept, home.cut])
          copyFileSync(join(source, 'history.jsonl'), join(h, 'history.jsonl'));
        const raised = await runCli(['settings', 'set', 'historyMaxRecords=1000000'], home.kept);
        if (raised.code !== 0) throw new Error(raised.stderr);
        for (const [kind, h] of Object.entries(home))
          watchers.push([
            kind as keyof typeof home,
            new CliProcess(['watch', '--mount', '/'], h, {}, ['--inspect=127.0.0.1:0', BIN]),
          ]);
      }
      for (const [, w] of watchers) await w.waitForStderr(/watching/);
      await sleep(5000); // past start-up
      for (const [kind, w] of watchers) {
        const inspector = await w.waitForStderr(/Debugger listening on ws:/);
        await collectGarbage(inspector.replace(/.*listening on /, ''));
        const s = procStats(w.child.pid!);
        rss[kind].push(s.rss);
        peak[kind].push(s.peakRss);
      }
    } finally {
      await Promise.all(watchers.map(([, w]) => w.stop()));
    }
    const med = (runs: Run[], key: keyof Run) => median(runs.map((r) => r[key]));
    // Each history run against the help run just before it: a busy moment of a shared machine
    // slows both.
    const added = (key: keyof Run) => median(history.map((r, i) => r[key] - help[i]![key]));
    return {
      fileBytes: file.bytes,
      records: file.records,
      helpMs: med(help, 'ms'),
      historyMs: med(history, 'ms'),
      addedMs: added('ms'),
      addedCpuMs: added('cpuMs'),
      helpPeakRss: med(help, 'peakRss'),
      historyPeakRss: med(history, 'peakRss'),
      watchRss: { empty: median(rss.empty), kept: median(rss.kept), cut: median(rss.cut) },
      watchPeakRss: { empty: median(peak.empty), kept: median(peak.kept), cut: median(peak.cut) },
      runs: { help, history, watchRss: rss, watchPeakRss: peak },
    };
  } finally {
    // Two 100 MB copies per trial besides the source: never leave them in the shared /tmp.
    await Promise.all(homes.map((h) => rm(h, { recursive: true, force: true })));
  }
}
