// `npm run bench -- "cli start-up"`: what a call of the CLI costs as a monitoring system makes it,
// each figure beside its baseline measured in the same run, runs interleaved so that the machine's
// other load weighs on both alike: `headroom --version` and `headroom check` (this machine's real
// disks, default output) against `node -e 0`, and `headroom usage DIR` on a 200,000-file tmpfs
// (start-up included) against `du -sx DIR`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

/** Wall-clock milliseconds of each command, `runs` times in turns; medians by name. */
function interleaved(commands: Record<string, Command>, runs: number, env: NodeJS.ProcessEnv) {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < runs; i++)
    for (const [name, [file, ...args]] of Object.entries(commands)) {
      const started = performance.now();
      const run = spawnSync(file, args, { env, stdio: 'ignore' });
      times[name]!.push(performance.now() - started);
      // check answers 0–2 by the disks' state; 3 (or a signal) is a failure, as is any other's.
      if (run.status === null || run.status > (name === 'check' ? 2 : 0))
        throw new Error(`${[file, ...args].join(' ')} exited with ${run.status ?? run.signal}`);
    }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

function ratioRow(benchmark: string, ms: number, baseMs: number, base: string, goal: number): Row {
  return {
    benchmark,
    result: fmtMs(ms),
    baseline: `${fmtMs(baseMs)} (${base})`,
    ratio: `${(ms / baseMs).toFixed(2)}×`,
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
      rows.push(ratioRow(`headroom --version (median of ${RUNS})`, t.version!, t.node!, 'node -e 0', 1.2));
      rows.push(
        ratioRow(`headroom check, real disks (median of ${RUNS})`, t.check!, t.node!, 'node -e 0', 1.5),
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
        rows.push({
          ...ratioRow(
            `headroom usage DIR, ${tree.files.toLocaleString('en')} files on tmpfs, start-up included (median)`,
            u.usage!,
            u.du!,
            'du -sx',
            1.0,
          ),
          ratio: `${(u.usage! / u.du!).toFixed(2)}× du; ${(u.usage! / u.niceDu!).toFixed(2)}× nice du`,
          baseline: `${fmtMs(u.du!)} (du -sx); ${fmtMs(u.niceDu!)} (nice -n 10 du -sx)`,
        });
      } finally {
        await tree.disk.dispose();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  },
};
