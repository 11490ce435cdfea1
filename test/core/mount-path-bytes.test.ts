// test:alone: it mounts an ext4 image, a disk every other file's watcher would discover and watch.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { after, before, describe, it } from '../helpers/node-test.js';
import { decodePathBytes, encodePathBytes } from '../../shared/path-bytes.js';
import { BIN, tempHome } from '../helpers/cli.js';
import { cannotMount } from '../helpers/tmpfs.js';

const run = promisify(execFile);

describe('a path spelt losslessly (surrogateescape)', () => {
  it('round-trips any bytes, and leaves valid UTF-8 as Node decodes it', { timeout: 10_000 }, () => {
    const samples = [
      Buffer.from('/home/ann/Résumés 📁'),
      Buffer.from([0x2f, 0x78, 0xff, 0xfe, 0x20]),
      Buffer.from([0xed, 0xb2, 0x80]), // an encoded surrogate: not UTF-8
      Buffer.from([0xc0, 0xaf, 0xe0, 0x80, 0xaf, 0xf4, 0x90, 0x80, 0x80]), // overlong, too high
      Buffer.from([0xe2, 0x82]), // cut short
    ];
    let seed = 29;
    for (let n = 0; n < 500; n++) {
      const bytes = Buffer.alloc(1 + (n % 24));
      for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 23;
      samples.push(bytes);
    }
    for (const bytes of samples) {
      const spelt = decodePathBytes(bytes);
      assert.deepEqual(Buffer.from(encodePathBytes(spelt)), bytes, `${bytes.toString('hex')} round-trips`);
      assert.equal(JSON.parse(JSON.stringify(spelt)), spelt, 'JSON keeps it');
      if (!bytes.toString('utf8').includes('\uFFFD')) assert.equal(spelt, bytes.toString('utf8'));
    }
    assert.equal(decodePathBytes(samples[1]!), '/x\udcff\udcfe ');
  });
});

/** A line of output a test waits for, from a process started by the shell (see `headroom`). */
function lines(child: ReturnType<typeof spawn>) {
  const seen: string[] = [];
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  for (const s of [child.stdout!, child.stderr!])
    createInterface({ input: s }).on('line', (l) => (seen.push(l), wake()));
  child.on('close', wake);
  return {
    seen,
    async waitFor(match: RegExp): Promise<string> {
      for (;;) {
        const line = seen.find((l) => match.test(l));
        if (line) return line;
        if (child.exitCode !== null) throw new Error(`exited before ${match}:\n${seen.join('\n')}`);
        await new Promise<void>((w) => waiters.push(w));
      }
    },
  };
}

/**
 * Runs the CLI with `args`, where `%MOUNT%` becomes the disk's path as raw bytes: Node's spawn
 * would encode a string argument as UTF-8, so the shell's printf writes the bytes a user's
 * `$'…\xff'` would.
 */
function headroom(home: string, base: string, args: string[]) {
  const quoted = args.map((a) => `'${a.split('%MOUNT%').join(`'"$(printf "$2")"'`)}'`).join(' ');
  return spawn('sh', ['-c', `exec "$0" "$1" ${quoted}`, process.execPath, BIN, `${base}/disk-\\377\\376 x`], {
    env: { ...process.env, HEADROOM_HOME: home },
  });
}

async function finish(child: ReturnType<typeof spawn>) {
  const out = lines(child);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  return { code, text: out.seen.join('\n') };
}

describe('a disk whose mount path is not UTF-8', { skip: await cannotMount }, () => {
  let base: string;
  /** The mount path as the kernel has it, and as Headroom spells and prints it. */
  let bytes: Buffer;
  let shown: string;
  const shell = (script: string) => run('sh', ['-c', script, 'sh', `${base}/disk-\\377\\376 x`]);
  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'headroom-bytes-'));
    bytes = Buffer.concat([Buffer.from(`${base}/disk-`), Buffer.from([0xff, 0xfe]), Buffer.from(' x')]);
    shown = `${base}/disk-\\udcff\\udcfe x`;
    await shell('mkdir "$(printf "$1")" && mount -t tmpfs -o size=8m tmpfs "$(printf "$1")"');
    // 95 % full: critical (below 10 % free) at the first sample.
    await shell('fallocate -l 7970816 "$(printf "$1")/ballast"');
  });
  after(async () => {
    await shell('umount "$(printf "$1")" || umount -l "$(printf "$1")"').catch(() => {});
    await rm(base, { recursive: true, force: true });
  });

  it('is checked by its bytes and shown escaped', { timeout: 30_000 }, async () => {
    const home = await tempHome();
    const table = await finish(headroom(home, base, ['check', '--mount', '%MOUNT%']));
    assert.match(
      table.text,
      new RegExp(`^${escapeRe(shown)}\\s+tmpfs\\s+tmpfs\\s+8\\.00 MiB .*critical`, 'm'),
    );
    assert.doesNotMatch(table.text, /\uFFFD|unreachable/);
    const json = await finish(headroom(home, base, ['check', '--mount', '%MOUNT%', '--format', 'json']));
    const [disk] = JSON.parse(json.text);
    assert.deepEqual(Buffer.from(encodePathBytes(disk.mount)), bytes, 'the JSON names the very bytes');
    assert.equal(disk.size, 8 * 1024 * 1024);
  });

  it('is watched when named in settings, and its alert names it escaped', { timeout: 60_000 }, async () => {
    const home = await tempHome();
    const saved = await finish(headroom(home, base, ['settings', 'set', 'watchedMounts=%MOUNT%']));
    assert.equal(saved.code, 0, saved.text);
    // Kept as the bytes it stands for: read back from the file, it names the same disk.
    const settings = JSON.parse(await readFile(join(home, 'settings.json'), 'utf8'));
    assert.deepEqual(Buffer.from(encodePathBytes(settings.watchedMounts[0])), bytes);
    const listed = await finish(headroom(home, base, ['check']));
    assert.ok(
      listed.text.split('\n').some((l) => l.startsWith(`${shown} `)),
      listed.text,
    );

    const watch = headroom(home, base, ['watch', '--interval', '1']);
    try {
      const out = lines(watch);
      await out.waitFor(/^headroom: watching /);
      const alert = await out.waitFor(/ → critical /);
      assert.ok(alert.includes(`  ${shown}  ok → critical`), alert);
      assert.ok(!out.seen.some((l) => /unreachable|\uFFFD/.test(l)), out.seen.join('\n'));
    } finally {
      watch.kill('SIGTERM');
      await new Promise((done) => (watch.exitCode !== null ? done(null) : watch.on('close', done)));
    }
    // Its state is kept under the same key: the next check knows the disk.
    const state = JSON.parse(await readFile(join(home, 'state.json'), 'utf8'));
    const keys = JSON.stringify(state);
    assert.ok(keys.includes(JSON.stringify(decodePathBytes(bytes)).slice(1, -1)), keys);
  });
});

describe('a disk of its own (ext4) at a path that is not UTF-8', { skip: await cannotMount }, () => {
  it('is found by discovery and listed by `check`, escaped', { timeout: 60_000 }, async () => {
    const base = await mkdtemp(join(tmpdir(), 'headroom-bytes-loop-'));
    const at = ['sh', `${base}/loop-\\377 y`];
    const image = join(base, 'disk.img');
    try {
      await run('truncate', ['-s', '32M', image]);
      await run('mkfs.ext4', ['-q', '-F', '-m', '0', image]);
      await run('sh', ['-c', `mkdir "$(printf "$1")" && mount -o loop '${image}' "$(printf "$1")"`, ...at]);
      const r = await finish(
        spawn(process.execPath, [BIN, 'check', '--format', 'json'], {
          env: { ...process.env, HEADROOM_HOME: await tempHome() },
        }),
      );
      const found = JSON.parse(r.text).find((d: { mount: string }) => d.mount.startsWith(`${base}/loop-`));
      assert.ok(found, `check lists the disk: ${r.text}`);
      assert.equal(found.mount, `${base}/loop-\udcff y`);
      assert.equal(found.type, 'ext4');
      assert.ok(found.size > 20 * 1024 * 1024, 'its own size, read by its bytes');
    } finally {
      await run('sh', ['-c', 'umount "$(printf "$1")" || umount -l "$(printf "$1")"', ...at]).catch(() => {});
      await rm(base, { recursive: true, force: true });
    }
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
