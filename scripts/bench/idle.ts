import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CliProcess, tempHome } from '../../test/helpers/cli.js';
import { Tmpfs } from '../../test/helpers/tmpfs.js';
import { sleep } from './alert-rig.js';
import { BARE_NODE, idleOver } from './footprint.js';
import { median } from './stats.js';

/**
 * Plain watchers measured alike, whose medians are reported: now and then one still holds 1.8 MiB
 * of start-up's heap 30 s in (V8's memory reducer has not run yet in it), one in about twelve.
 */
const SAME = 3;

/**
 * What watchers cost while nothing happens, all in one window beside a bare Node (a busy moment of
 * the machine falls on all alike): `headroom watch` with nothing to say (SAME of them), with
 * `--metrics`, as tsc's per-file build, and holding a 16 MB tmpfs in critical; before that window,
 * one holding a disk in warning. Each measured window used to be a section of its own, one after
 * the other: 224 s of a 683 s bench.
 *
 * On a 16 MB tmpfs a warning is 0.8 MB from critical, which a fast disk writes in under a
 * millisecond: fast detection re-reads it at its 100 ms floor. A critical disk has no threshold
 * left below it and is re-read at the alert cadence, as a disk of real size is in either state.
 * A watcher re-reading ten times a second beside the others on 2 cores makes their wake-ups dearer
 * (0.123 % against 0.088 % of a core for the critical one alone), so it is measured first, over a
 * shorter window (its figure has no goal), and stopped (SIGSTOP) during the others'.
 */
export async function idleBench(seconds: number) {
  const disks = [await Tmpfs.mount(16), await Tmpfs.mount(16)];
  const spawned: ChildProcess[] = [];
  const watchers: CliProcess[] = [];
  const start = (cmd: string[], env: NodeJS.ProcessEnv) => {
    const child = spawn(process.execPath, cmd, { env, stdio: 'ignore' });
    spawned.push(child);
    return child;
  };
  const watch = async (bin: string, ...flags: string[]) =>
    start([bin, 'watch', ...flags], { ...process.env, HEADROOM_HOME: await tempHome() });
  const inAlert = async (disk: Tmpfs, free: number) => {
    await disk.setFreePercent(free);
    const watcher = new CliProcess(['watch', '--json', '--mount', disk.dir], await tempHome());
    watchers.push(watcher);
    await watcher.transition(1);
    return watcher;
  };
  try {
    // BENCH_BASELINE_DIR: a built checkout of another version (`git archive REF | tar -x`, then
    // `npm run build`), whose idle watcher is measured in the same window for comparison.
    const dir = process.env.BENCH_BASELINE_DIR;
    const quiet = [
      ...(await Promise.all(Array.from({ length: SAME }, () => watch('bin/headroom.js')))),
      await watch('bin/headroom.js', '--metrics', '127.0.0.1:0'),
      // The same CLI from tsc's one-file-per-module output, which bin/headroom.js ran before the
      // bundle (scripts/build-cli.mjs): what the bundle saves.
      await watch('dist/cli/run.js'),
      start(BARE_NODE, process.env),
      ...(dir ? [await watch(join(dir, 'bin', 'headroom.js'))] : []),
    ];
    const [critical, warning] = await Promise.all([inAlert(disks[0]!, 5), inAlert(disks[1]!, 15)]);
    // Start-up is not idling: V8 compiles the hot paths and trims its heap in the first tens of
    // seconds (a window opened after 5 s read ~0.03 % of a core more than one after 10 s). The
    // others' window opens after two of these, the warning watcher's after one.
    const warmUp = 10;
    await sleep(warmUp * 1000);
    // The others are warm once this window is over: theirs opens as it closes.
    const [warningCpu] = await idleOver([warning.child.pid!], warmUp);
    warning.child.kill('SIGSTOP');
    const [criticalCpu, ...idle] = await idleOver(
      [critical.child.pid!, ...quiet.map((c) => c.pid!)],
      seconds,
    );
    const same = idle.splice(0, SAME);
    const [metricsOn, perFile, bare, baseline] = idle;
    return {
      seconds,
      warningSeconds: warmUp,
      critical: criticalCpu!,
      warning: warningCpu!,
      headroom: {
        rss: median(same.map((w) => w.rss)),
        cpuPercent: median(same.map((w) => w.cpuPercent)),
        each: same,
      },
      metricsOn: metricsOn!,
      perFile: perFile!,
      bare: bare!,
      baseline: baseline && { ...baseline, label: process.env.BENCH_BASELINE_LABEL ?? dir! },
    };
  } finally {
    for (const child of spawned) child.kill('SIGTERM');
    for (const w of watchers) w.child.kill('SIGCONT');
    await Promise.all(watchers.map((w) => w.stop()));
    await Promise.all(disks.map((d) => d.dispose()));
  }
}
