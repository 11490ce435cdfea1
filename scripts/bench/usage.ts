import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Sampler } from '../../core/sampler.js';
import { scanHelpers, scanUsage } from '../../core/usage/scanner.js';
import { snapshotOf } from '../../shared/usage.js';
import { Tmpfs } from '../../test/helpers/tmpfs.js';
import { median, percentile, timeEach } from './stats.js';

const exec = promisify(execFile);
const DIST_SCANNER = new URL('../../dist/core/usage/scanner.js', import.meta.url).href;

/** A tree of `files` files in `dirs` directories, 3 levels deep; one file in ten holds 1,000 bytes. */
function makeTree(root: string, files: number, dirs: number): void {
  const perDir = Math.ceil(files / dirs);
  const kilobyte = Buffer.alloc(1000, 'x');
  let made = 0;
  for (let d = 0; d < dirs; d++) {
    const dir = join(root, `a${d % 50}`, `b${d % 1000}`, `c${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < perDir && made < files; f++, made++)
      writeFileSync(join(dir, `f${f}`), made % 10 === 0 ? kilobyte : '');
  }
}

/** A tmpfs holding such a tree (20 files a directory), and how long making it took. */
export async function treeOnTmpfs(files: number, dirs = Math.round(files / 20)) {
  // One 4 KiB page per non-empty file, with room to spare; an inode for every file and directory.
  const mib = Math.ceil(((files / 10) * 4096 * 1.5) / 1024 ** 2) + 64;
  const disk = await Tmpfs.mount(mib, `nr_inodes=${2 * (files + dirs) + 1000}`);
  const made = performance.now();
  try {
    makeTree(disk.dir, files, dirs);
  } catch (error) {
    await disk.dispose();
    throw error;
  }
  return { disk, files, dirs, makeMs: performance.now() - made };
}

/**
 * The scanner against `du -sx` (and ncdu's export, where installed) on the same tree in the same
 * run, warm cache: wall time, the scanning process's peak memory (a process that only scans, from
 * the built code), the snapshot's size; and how long statfs samples and the event loop take while
 * a scan runs on the worker thread, against the same with no scan.
 */
export async function usageBench(
  trials: number,
  crossing?: () => Promise<{ steadyWarningMedianMs: number; jumpUnconfirmedMedianMs: number }>,
) {
  const { disk, files, dirs, makeMs } = await treeOnTmpfs(
    Number(process.env.BENCH_USAGE_FILES ?? 1_000_000),
    process.env.BENCH_USAGE_DIRS ? Number(process.env.BENCH_USAGE_DIRS) : undefined,
  );
  try {
    await exec('du', ['-sx', disk.dir]); // warm the caches for everyone
    // The built scanner, as it ships (from source, each worker would first load tsx: ~0.15 s).
    const shipped = (await import(DIST_SCANNER)) as typeof import('../../core/usage/scanner.js');
    // Taken in turns, so that what else runs on the machine weighs on each tool alike; `nice du`
    // reads at the scanner's own priority (its worker thread runs at nice 10).
    // The last run of du (in bytes) and of our scan give the totals compared, the snapshot's size
    // and the peak memory: a scan of a million files more for each would add half a minute.
    let duOut = '';
    let report: Awaited<ReturnType<typeof shipped.scanUsage>> | undefined;
    const tools = {
      du: async () => (duOut = (await exec('du', ['-sx', '-B1', disk.dir])).stdout),
      niceDu: () => exec('nice', ['-n', '10', 'du', '-sx', disk.dir]),
      ours: async () => (report = await shipped.scanUsage(disk.dir)),
      // The scanning process reading every directory itself, as a scan does until its helpers start…
      alone: () => shipped.scanUsage(disk.dir, { helpers: 0 }),
      // …and a worker thread alone, by full paths, as the desktop app scans.
      thread: () => shipped.scanUsage(disk.dir, { in: 'thread', helpers: 0 }),
      ...(existsSync('/usr/bin/ncdu')
        ? { ncdu: () => exec('ncdu', ['-x', '-0', '-o', '/dev/null', disk.dir]) }
        : {}),
    };
    const times = Object.fromEntries(Object.keys(tools).map((k) => [k, [] as number[]]));
    // The rows with a goal (ours against du) take every trial; the others (the scan alone, in a
    // thread, ncdu) explain them and take the last only: ~10 s less per trial on a million files.
    const explaining = new Set(['alone', 'thread', 'ncdu']);
    for (let i = 0; i < trials; i++)
      for (const [name, run] of Object.entries(tools))
        if (i === trials - 1 || !explaining.has(name)) times[name]!.push(...(await timeEach(1, run)));
    const { du, niceDu, ours, alone, thread } = times as Record<
      'du' | 'niceDu' | 'ours' | 'alone' | 'thread',
      number[]
    >;
    const ncdu = times.ncdu ?? null;
    if (!report) throw new Error('no trial ran (BENCH_TRIALS=0)');
    const duBytes = Number(duOut.split('\t')[0]);
    const snapshotBytes = Buffer.byteLength(JSON.stringify(snapshotOf(report)));

    // Peak RSS of the scanning process and of its helpers (as built: no tsx), beside a bare node's.
    const peak = report;
    // VmHWM, as the scanner reports its own (core/usage/peak-rss.ts): a child's maxRSS would be
    // this bench's own size at the fork.
    const hwm = `console.log(/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1])`;
    const bare = Number(execFileSync(process.execPath, ['-e', hwm], { encoding: 'utf8' })) * 1024;

    const sampling = await samplingDuringScan(disk.dir);
    // The watcher's own figure while this machine scans the tree over and over (niced, as ours).
    const crossingDuringScans = crossing ? await whileScanning(disk.dir, crossing) : null;
    return {
      crossingDuringScans,
      files,
      dirs,
      makeMs,
      duMs: median(du),
      niceDuMs: median(niceDu),
      oursMs: median(ours),
      aloneMs: median(alone),
      threadMs: median(thread),
      helpers: scanHelpers(),
      ncduMs: ncdu ? median(ncdu) : null,
      sameTotal: report.size === duBytes,
      size: report.size,
      peakRss: peak.peakRss,
      helpersPeakRss: peak.helpersPeakRss,
      bareRss: bare,
      snapshotBytes,
      ...sampling,
    };
  } finally {
    await disk.dispose();
  }
}

/** statfs of the mount every 10 ms and the event loop's delay: idle, then while scans run. */
async function samplingDuringScan(dir: string) {
  const sampler = new Sampler(5000);
  const mount = { mount: dir, fs: 'tmpfs', type: 'tmpfs' };
  const measure = async (until: () => boolean, minimum: number) => {
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const times: number[] = [];
    while (times.length < minimum || !until()) {
      const t = performance.now();
      await sampler.read(mount);
      times.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
    loop.disable();
    return {
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      loopP99: loop.percentile(99) / 1e6,
      n: times.length,
    };
  };
  const idle = await measure(() => true, 200);
  let scans = 0;
  const during = await whileScanning(
    dir,
    () => measure(() => scans >= 1, 200),
    () => scans++,
  );
  return { idle, during: { ...during, scans } };
}

/** Runs `work` while scans of `dir` follow one another on the worker thread. */
async function whileScanning<T>(dir: string, work: () => Promise<T>, onScan = () => {}): Promise<T> {
  const controller = new AbortController();
  const busy = (async () => {
    while (!controller.signal.aborted) {
      await scanUsage(dir, { signal: controller.signal }).catch(() => {});
      onScan();
    }
  })();
  try {
    return await work();
  } finally {
    controller.abort();
    await busy;
  }
}
