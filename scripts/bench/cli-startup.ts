// `npm run bench -- "cli start-up"`: what a call of the CLI costs as a monitoring system makes it,
// each figure beside its baseline measured in the same run, runs interleaved so that the machine's
// other load weighs on both alike: `headroom --version` and `headroom check` (this machine's real
// disks, default output) against `node -e 0`, and `headroom usage DIR` on a 200,000-file tmpfs
// (start-up included) against `du -sx DIR`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Section } from './section.js';
import { fmtMs, median, type Row } from './stats.js';
import { treeOnTmpfs } from './usage.js';

const BIN = fileURLToPath(new URL('../../bin/headroom.js', import.meta.url));
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 15);
const USAGE_FILES = 200_000;

type Command = [string, ...string[]];

/**
 * The CPU time of this process's waited-for children so far, in ms (cutime + cstime in
 * /proc/self/stat, in ticks of 10 ms): less swayed than wall time by what else the machine runs.
 */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** Each command `runs` times in turns: median wall-clock ms, and mean CPU ms, by name. */
function interleaved(commands: Record<string, Command>, runs: number, env: NodeJS.ProcessEnv) {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  const cpu: Record<string, number> = Object.fromEntries(Object.keys(commands).map((k) => [k, 0]));
  for (let i = 0; i < runs; i++)
    for (const [name, [file, ...args]] of Object.entries(commands)) {
      const cpuBefore = childrenCpuMs();
      const started = performance.now();
      const run = spawnSync(file, args, { env, stdio: 'ignore' });
      times[name]!.push(performance.now() - started);
      cpu[name]! += (childrenCpuMs() - cpuBefore) / runs;
      // check answers 0–2 by the disks' state; 3 (or a signal) is a failure, as is any other's.
      if (run.status === null || run.status > (name === 'check' ? 2 : 0))
        throw new Error(`${[file, ...args].join(' ')} exited with ${run.status ?? run.signal}`);
    }
  return {
    wall: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])),
    cpu,
  };
}

/** A row of wall-time medians, with the mean CPU times' ratio beside. */
function ratioRow(
  benchmark: string,
  [ms, cpuMs]: [number, number],
  [baseMs, baseCpuMs]: [number, number],
  base: string,
  goal: number,
): Row {
  return {
    benchmark,
    result: fmtMs(ms),
    baseline: `${fmtMs(baseMs)} (${base})`,
    ratio: `${(ms / baseMs).toFixed(2)}× (CPU ${(cpuMs / baseCpuMs).toFixed(2)}×)`,
    goal: `≤ ${goal.toFixed(1)}× ${base}`,
    met: ms <= goal * baseMs,
  };
}

export const cliStartupSection: Section = {
  name: 'cli start-up',
  skip: () => false,
  async run({ rows, raw, noRoot, trials }) {
    // A data directory of its own, kept across the runs: each check after the first is a steady one.
    const home = mkdtempSync(join(tmpdir(), 'headroom-bench-cli-'));
    const env = { ...process.env, HEADROOM_HOME: home };
    const node = process.execPath;
    try {
      const t = interleaved(
        {
          node: [node, '-e', '0'],
          version: [node, BIN, '--version'],
          check: [node, BIN, 'check'],
        },
        RUNS,
        env,
      );
      raw.cliStartup = { runs: RUNS, ...t };
      const of = (name: string): [number, number] => [t.wall[name]!, t.cpu[name]!];
      rows.push(
        ratioRow(`headroom --version (median of ${RUNS})`, of('version'), of('node'), 'node -e 0', 1.2),
      );
      rows.push(
        ratioRow(`headroom check, real disks (median of ${RUNS})`, of('check'), of('node'), 'node -e 0', 1.5),
      );
      if (noRoot) {
        rows.push({
          benchmark: 'headroom usage DIR',
          result: `skipped: ${noRoot}`,
          baseline: '',
          ratio: '',
          goal: '',
          met: null,
        });
        return;
      }
      const tree = await treeOnTmpfs(USAGE_FILES);
      try {
        spawnSync('du', ['-sx', tree.disk.dir], { stdio: 'ignore' }); // warm the caches for both
        // The scanner runs at nice 10 (core/usage/priority.ts): `nice du` is du at the same priority.
        const u = interleaved(
          {
            du: ['du', '-sx', tree.disk.dir],
            niceDu: ['nice', '-n', '10', 'du', '-sx', tree.disk.dir],
            usage: [node, BIN, 'usage', tree.disk.dir],
          },
          Math.max(trials, 3),
          env,
        );
        raw.cliUsage = { files: tree.files, dirs: tree.dirs, makeMs: tree.makeMs, ...u };
        const { wall, cpu } = u;
        rows.push({
          ...ratioRow(
            `headroom usage DIR, ${tree.files.toLocaleString('en')} files on tmpfs, start-up included (median)`,
            [wall.usage!, cpu.usage!],
            [wall.du!, cpu.du!],
            'du -sx',
            1.0,
          ),
          ratio: `${(wall.usage! / wall.du!).toFixed(2)}× du; ${(wall.usage! / wall.niceDu!).toFixed(2)}× nice du (CPU ${(cpu.usage! / cpu.du!).toFixed(2)}× du)`,
          baseline: `${fmtMs(wall.du!)} (du -sx); ${fmtMs(wall.niceDu!)} (nice -n 10 du -sx)`,
        });
      } finally {
        await tree.disk.dispose();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  },
};
