// Real programs on a small ext4, each as a user's machine runs it: sized so that each crosses the
// thresholds (20 % and 10 % free) the way issue 28 saw it — by filling, in bursts, or in dips of
// a second or two that must stay silent.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './alert-rig.js';
import type { LoopDisk } from '../../test/helpers/images.js';
import { readTruth } from '../../test/helpers/truth.js';
import { exec, type Inputs } from './workload-inputs.js';

const MiB = 1024 * 1024;

/** The disk each workload runs on (ext4 with no reserved blocks: ~346 MiB usable). */
export const DISK_MIB = 384;
/** The copy spikes: one dips from 32 % free to about 15 % (warning), the other to about 5 %. */
export const COPY_SIZES_MIB = [59, 93];

export interface Workload {
  name: string;
  /** Free space (%) the disk is brought to before the watcher starts: where the day begins. */
  startFree: number;
  /** How long it runs (what ends sooner leaves the disk as it is until then). */
  seconds: number;
  run(disk: LoopDisk, inputs: Inputs, until: number): Promise<void>;
}

const freeOf = async (dir: string) => (await readTruth(dir)).freePercent;

/**
 * Extracts the tarball into `dest` at about `bytesPerSec` (a download piped into tar); true when
 * tar stopped because the disk is full.
 */
async function extract(tarball: string, dest: string, bytesPerSec: number, until: number) {
  try {
    await mkdir(dest);
  } catch {
    return true; // no room left even for a directory
  }
  const tar = spawn('tar', ['-xf', '-', '-C', dest], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  tar.stderr.on('data', (d) => (stderr += d));
  tar.stdin.on('error', () => {}); // tar gone (ENOSPC): its exit says why
  const exited = new Promise<number | null>((resolve) => tar.on('close', resolve));
  const start = Date.now();
  let sent = 0;
  for await (const chunk of createReadStream(tarball, { highWaterMark: 256 * 1024 })) {
    if (tar.exitCode !== null || Date.now() >= until) break;
    if (!tar.stdin.write(chunk)) await Promise.race([once(tar.stdin, 'drain'), exited]);
    sent += (chunk as Buffer).length;
    const ahead = (sent / bytesPerSec) * 1000 - (Date.now() - start);
    if (ahead > 0) await sleep(ahead);
  }
  tar.stdin.end();
  return (await exited) !== 0 && /No space left/.test(stderr);
}

const tar: Workload = {
  name: 'tar extraction to ENOSPC',
  startFree: 60,
  seconds: 13,
  async run(disk, inputs, until) {
    for (let i = 0; Date.now() < until; i++)
      if (await extract(inputs.tarball, join(disk.dir, `x${i}`), 18 * MiB, until)) break;
  },
};

const sqlite: Workload = {
  name: 'SQLite inserts (steady fill to full)',
  startFree: 45,
  seconds: 17,
  async run(disk, _inputs, until) {
    const db = spawn('sqlite3', [join(disk.dir, 'app.db')], { stdio: ['pipe', 'ignore', 'ignore'] });
    db.stdin.on('error', () => {});
    const closed = once(db, 'close');
    db.stdin.write('CREATE TABLE events(id INTEGER PRIMARY KEY, at TEXT, payload BLOB);\n');
    // ~10 MB/s: a transaction of 250 rows of 4 KB every 100 ms, on past "database or disk is full".
    while (Date.now() < until) {
      db.stdin.write(
        "BEGIN; WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 250) INSERT INTO events(at, payload) SELECT datetime('now'), randomblob(4000) FROM n; COMMIT;\n",
      );
      await sleep(100);
    }
    db.stdin.end();
    await closed;
  },
};

let request = 0;
/** Access-log lines, compressible as real ones are (gzip makes them about a tenth). */
function logLines(bytes: number): string {
  const lines: string[] = [];
  for (let n = 0; n < bytes;) {
    request++;
    const line = `${new Date().toISOString()} INFO request=${request} method=GET path=/api/items/${request % 9973} status=200 bytes=${(request * 7919) % 65536} ms=${request % 97} agent="Mozilla/5.0 (X11; Linux x86_64)"\n`;
    lines.push(line);
    n += line.length;
  }
  return lines.join('');
}

const logrotate: Workload = {
  name: 'log + logrotate -f every second (copytruncate, compress)',
  startFree: 40,
  seconds: 11,
  async run(disk, _inputs, until) {
    const etc = await mkdtemp(join(tmpdir(), 'headroom-bench-logrotate-'));
    const log = join(disk.dir, 'app.log');
    const conf = join(etc, 'app.conf');
    await writeFile(conf, `${log} {\n  copytruncate\n  compress\n  rotate 3\n  missingok\n}\n`);
    // A large download lands first (into warning, 12.5 % free), then the log runs near critical:
    // each rotation's copy dips below 10 % for a moment.
    await disk.leaveFree(12.5);
    // logrotate lives in /usr/sbin, which a user's PATH may lack.
    const env = { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` };
    const file = await open(log, 'a');
    try {
      const writer = async () => {
        while (Date.now() < until) {
          await file.write(logLines(600 * 1024)).catch(() => {}); // ≤ 12 MB/s; a full disk loses lines
          await sleep(50);
        }
      };
      const rotator = async () => {
        while (Date.now() < until) {
          const next = Date.now() + 1000;
          await exec('logrotate', ['-f', '-s', join(etc, 'state'), conf], { env });
          await sleep(next - Date.now());
        }
      };
      // Both end by `until`; a failed rotation fails the workload once the writer is done too.
      const [wrote, rotated] = await Promise.allSettled([writer(), rotator()]);
      for (const r of [wrote, rotated]) if (r.status === 'rejected') throw r.reason;
    } finally {
      await file.close();
      await rm(etc, { recursive: true, force: true });
    }
  },
};

const gitClones: Workload = {
  name: 'repeated git clone of a local repo',
  startFree: 40,
  seconds: 12,
  async run(disk, inputs, until) {
    // ~11 MB a clone (pack and checkout), about one a second, stopping at 6 % as a careful job would.
    for (let i = 0; Date.now() < until && (await freeOf(disk.dir)) > 6; i++) {
      await exec('git', ['clone', '-q', '--no-hardlinks', inputs.repo, join(disk.dir, `clone-${i}`)]);
      await sleep(700);
    }
  },
};

const copySpikes: Workload = {
  name: 'copy spikes of 1–2.5 s (cp, then rm)',
  startFree: 32,
  seconds: 14,
  async run(disk, inputs, until) {
    const [small, large] = COPY_SIZES_MIB as [number, number];
    for (const [size, holdMs] of [
      [small, 1000],
      [large, 2000],
      [small, 2500],
      [large, 1500],
    ] as const) {
      if (Date.now() >= until) break;
      const copy = join(disk.dir, 'copy.tmp');
      await exec('cp', [inputs.copies[size]!, copy]);
      await sleep(holdMs);
      await rm(copy);
      await sleep(1500);
    }
  },
};

const sort: Workload = {
  name: 'sort -T on the disk',
  startFree: 25,
  seconds: 11,
  async run(disk, inputs, until) {
    const temp = join(disk.dir, 'sort-tmp');
    await mkdir(temp);
    // Its temporary files take ~12 % for a second or so: down to about 13 % free.
    while (Date.now() < until) {
      await exec('sort', ['-T', temp, '-S', '4M', '-o', '/dev/null', inputs.sortInput]);
      await sleep(1500);
    }
  },
};

export const WORKLOADS: Workload[] = [tar, sqlite, logrotate, gitClones, copySpikes, sort];
