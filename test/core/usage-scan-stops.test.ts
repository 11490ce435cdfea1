import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import type { ScanFailed } from '../../core/usage/scanner.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { assertReported } from '../helpers/report.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { builtScanner, du } from '../helpers/usage-scan.js';

const skip = await cannotMount;
if (skip) console.log(`# usage scanner tests on a real tmpfs skipped: ${skip}`);
const { scanMount, scanUsage } = await builtScanner();

/** Cases of the reliability row on helper processes that die or are cancelled. */
let helperCases = 0;

/** Scans that cannot finish: refused, cancelled, their helpers killed, their mount gone. */
describe('the usage scanner: scans that cannot finish', { skip }, () => {
  let disk: Tmpfs;
  before(async () => (disk = await Tmpfs.mount(32)));
  after(async () => disk?.dispose());

  it('refuses a path that is not a directory or does not exist, in one line, exit 2', async () => {
    await writeFile(join(disk.dir, 'file'), 'x');
    const home = await tempHome();
    const file = await runCli(['usage', join(disk.dir, 'file')], home);
    assert.equal(file.code, 2);
    assert.equal(
      file.stderr.trim(),
      `headroom: ${join(disk.dir, 'file')} is not a directory. See \`headroom help usage\`.`,
    );
    const missing = await runCli(['usage', join(disk.dir, 'nope')], home);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does not exist/);
    await assert.rejects(scanUsage(join(disk.dir, 'file')), (e: ScanFailed) => e.code === 'ENOTDIR');
  });

  it('is cancelled by its signal, and a cancelled scan saves no snapshot', async () => {
    const home = await tempHome();
    execFileSync('sh', ['-c', `cd "$1" && for i in $(seq 200); do mkdir -p c/$i; done`, 'sh', disk.dir]);
    const controller = new AbortController();
    let reports = 0;
    await assert.rejects(
      scanMount(home, disk.dir, {
        signal: controller.signal,
        progressMs: 0,
        onProgress: () => {
          reports++;
          controller.abort();
        },
      }),
      (e: ScanFailed) => e.code === 'ABORTED',
    );
    assert.ok(reports >= 1, 'progress was reported');
    assert.deepEqual(
      (await readdir(home)).filter((f) => f.startsWith('usage-')),
      [],
    );
  });

  /** Children of `parent` whose command line names `script`. */
  const children = (parent: number, script: string) => {
    try {
      return execFileSync('pgrep', ['-P', String(parent), '-f', script], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .map(Number);
    } catch {
      return []; // pgrep exits 1 when there is none
    }
  };
  /** This test's scanning processes, and their helpers. */
  const scannerPids = () => children(process.pid, 'scan-worker');
  const helperPids = () => scannerPids().flatMap((scanner) => children(scanner, 'scan-helper'));
  /** Waits until the scan's two helpers exist, and stops them (SIGSTOP): the scan can go no further. */
  const heldHelpers = async () => {
    let found = helperPids();
    while (found.length < 2) {
      await new Promise((r) => setImmediate(r));
      found = helperPids();
    }
    for (const pid of found) process.kill(pid, 'SIGSTOP');
    return found;
  };
  /** Alive, not a zombie waiting for a parent that forgot it. */
  const running = (pid: number) => {
    try {
      return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  };

  it('loses nothing when its helper processes die mid-scan: the scanning process reads what they held', async () => {
    const tree = join(disk.dir, 'helped');
    execFileSync('sh', [
      '-c',
      `mkdir -p "$1" && cd "$1" && for i in $(seq 300); do mkdir -p d$i/e && echo $i > d$i/f && echo x > d$i/e/g; done`,
      'sh',
      tree,
    ]);
    try {
      const scan = scanUsage(tree, { helpers: 2, helpersOnly: true });
      // Forked together as the scan starts, and booting for a while before they can read: found
      // and stopped (SIGSTOP) before they could finish, while the scanner waits on them; then killed.
      const killed = await heldHelpers();
      for (const pid of killed) process.kill(pid, 'SIGKILL');
      const report = await scan;
      assert.equal(killed.length, 2, 'both helpers were found and killed');
      assert.equal(report.size, (await du(tree, '-s')).get(''), 'the same total as du');
      assert.equal(report.dirs, 601);
      assert.equal(report.files, 600);
      assert.equal(report.unreadableCount, 0);
      assert.deepEqual(killed.filter(running), [], 'the killed helpers were waited for, not left as zombies');
      helperCases++;
    } finally {
      await rm(tree, { recursive: true });
    }
  });

  it('stops its helper processes when cancelled, and leaves none behind', async () => {
    const tree = join(disk.dir, 'cancelled');
    execFileSync('sh', [
      '-c',
      `mkdir -p "$1" && cd "$1" && for i in $(seq 300); do mkdir -p d$i && echo $i > d$i/f; done`,
      'sh',
      tree,
    ]);
    const controller = new AbortController();
    try {
      const scan = scanUsage(tree, { helpers: 2, helpersOnly: true, signal: controller.signal });
      const helpers = await heldHelpers();
      const scanners = scannerPids();
      controller.abort();
      for (const pid of helpers) process.kill(pid, 'SIGCONT');
      await assert.rejects(scan, (e: ScanFailed) => e.code === 'ABORTED');
      assert.equal(helpers.length, 2, 'the scan had started its helpers');
      // The scanning process stops them after the promise has rejected, then ends: wait until it has.
      while ([...helpers, ...scanners].some(running)) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(helperPids(), [], 'not even as zombies');
      helperCases++;
      assertReported('Usage scan: helper processes killed or cancelled', helperCases);
    } finally {
      await rm(tree, { recursive: true });
    }
  });

  it('saves no snapshot when the mount goes away during the scan', async () => {
    const home = await tempHome();
    const gone = await Tmpfs.mount(4);
    try {
      execFileSync('sh', ['-c', `cd "$1" && for i in $(seq 20); do mkdir d$i; done`, 'sh', gone.dir]);
      let unmounted = false;
      const result = await scanMount(home, gone.dir, {
        progressMs: 0,
        onProgress: () => {
          if (unmounted) return;
          unmounted = true;
          execFileSync('umount', ['-l', gone.dir]);
        },
      });
      assert.equal(result.saved, false);
      assert.match(result.notSaved ?? '', /went away/);
      assert.deepEqual(
        (await readdir(home)).filter((f) => f.startsWith('usage-')),
        [],
      );
    } finally {
      await gone.dispose();
    }
  });
});
