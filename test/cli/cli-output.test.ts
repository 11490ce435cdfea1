import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, readSync, watch } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { promisify } from 'node:util';
import { writerTo } from '../../cli/output.js';
import { writeHistory } from '../../scripts/bench/history-file.js';
import { BIN, runCli, tempHome } from '../helpers/cli.js';

/**
 * Resolves when `pid` has exited, or has written more than a pipe holds (64 KiB) and its main
 * thread sleeps at five looks in a row: it has queued the rest and waits for a reader. Watched
 * through /proc rather than given a fixed time, which a slow machine can spend before the CLI
 * has even started.
 */
async function exitedOrWaitingOnFullPipe(pid: number, exited: Promise<unknown>): Promise<void> {
  const look = () => new Promise<false>((resolve) => setTimeout(() => resolve(false), 50));
  for (let asleep = 0; asleep < 5;) {
    if (await Promise.race([exited.then(() => true), look()])) return;
    try {
      const wrote = Number(/^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]);
      const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
      asleep = wrote >= 65536 && state === 'S' ? asleep + 1 : 0;
    } catch {
      return; // gone between two looks
    }
  }
}
/** Sets standard output non-blocking, then becomes the command in its arguments. */
const NON_BLOCKING_EXEC =
  'import fcntl, os, sys; fcntl.fcntl(1, fcntl.F_SETFL, fcntl.fcntl(1, fcntl.F_GETFL) | os.O_NONBLOCK); os.execv(sys.argv[1], sys.argv[1:])';
const noScript =
  spawnSync('script', ['--version']).status === 0
    ? false
    : 'util-linux `script` (to give a terminal) is missing';

describe('what the CLI prints, written straight to its descriptors', () => {
  it('stops quietly when the reader goes away (`headroom history --json | head -1`)', async () => {
    const home = await tempHome();
    writeHistory(home, { records: 5000 }); // megabytes of JSON: more than a pipe holds
    const child = spawn(process.execPath, [BIN, 'history', '--json', '--limit', '5000'], {
      env: { ...process.env, HEADROOM_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Reads the first chunk, then closes: the CLI's next write meets a closed pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(stderr, '', 'no EPIPE trace');
    assert.equal(code, 0);
  });

  it('says so when its answer cannot be written, and `check` then exits 3 (UNKNOWN)', async () => {
    const home = await tempHome();
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [BIN, 'check'], {
        env: { ...process.env, HEADROOM_HOME: home },
        stdio: ['ignore', full, 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 3);
      assert.equal(stderr, 'headroom: could not write to standard output (ENOSPC); the rest is not shown\n');
    } finally {
      closeSync(full);
    }
  });

  it('keeps watching when its log cannot be written, and stops cleanly when asked', async () => {
    const home = await tempHome();
    const full = openSync('/dev/full', 'w');
    try {
      const sampled = new Promise<void>((resolve) => {
        const w = watch(home, (_, name) => name === 'state.json' && (w.close(), resolve()));
      });
      const child = spawn(process.execPath, [BIN, 'watch', '--interval', '60'], {
        env: { ...process.env, HEADROOM_HOME: home },
        stdio: ['ignore', full, full],
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      await sampled; // its start line failed to print, and it sampled all the same
      child.kill('SIGINT');
      assert.equal(await exited, 0);
    } finally {
      closeSync(full);
    }
  });

  it('writes everything a non-blocking pipe refused before it exits', () =>
    withFifo(async ({ reader, writer }) => {
      const home = await tempHome();
      writeHistory(home, { records: 2000 }); // about a megabyte of JSON: far more than a pipe holds
      // Node's spawn makes a child's standard descriptors blocking again: Python hands it over as
      // a parent may, non-blocking.
      const child = spawn(
        '/usr/bin/python3',
        ['-c', NON_BLOCKING_EXEC, process.execPath, BIN, 'history', '--json', '--limit', '2000'],
        {
          env: { ...process.env, HEADROOM_HOME: home },
          stdio: ['ignore', writer, 'ignore'],
        },
      );
      closeSync(writer);
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      // Read nothing until it has exited or, having filled the pipe, sits waiting for it to drain: a
      // CLI that exits without writing out what it queued has lost it by then.
      await exitedOrWaitingOnFullPipe(child.pid!, exited);
      const text = await readAll(reader);
      assert.equal(await exited, 0);
      assert.equal((JSON.parse(text) as unknown[]).length, 2000);
    }));

  it('says nothing more, and does not throw, once the reader has closed', () =>
    withFifo(({ reader, writer }) => {
      closeSync(reader);
      const write = writerTo(writer, () => assert.fail('no stream for a reader that is gone'));
      write('nobody reads this\n');
      write('nor this\n');
      closeSync(writer);
    }));

  it(
    'draws a progress line on a terminal and clears it; piped, it writes none',
    { skip: noScript },
    async () => {
      const home = await tempHome();
      const tree = join(home, 'tree');
      await mkdir(tree);
      for (let i = 0; i < 50; i++) await writeFile(join(tree, `f${i}`), 'x'.repeat(i * 100));
      const command = [process.execPath, BIN, 'usage', tree].map((a) => `'${a}'`).join(' ');
      // util-linux `script` gives the CLI a terminal and copies what it draws there.
      const onTerminal = await promisify(execFile)('script', ['-qfec', command, '/dev/null'], {
        env: { ...process.env, HEADROOM_HOME: home },
      });
      assert.ok(onTerminal.stdout.includes('\r\x1b[K'), 'the progress line, cleared');
      assert.match(onTerminal.stdout, /tree/, 'then the tree');
      const piped = await runCli(['usage', tree], home);
      assert.equal(piped.code, 0, piped.stderr);
      const all = piped.stderr + piped.stdout;
      assert.ok(!all.includes('\r') && !all.includes('\x1b'), 'no carriage return or escape');
    },
  );

  it('keeps every byte, in order, when the descriptor refuses a write (non-blocking and full)', () =>
    withFifo(async ({ reader, writer }) => {
      let socket: Socket | undefined;
      const write = writerTo(writer, () => (socket ??= new Socket({ fd: writer, readable: false })));
      // 64 KiB is a pipe's whole buffer here: the first line fills it part way through.
      const lines = Array.from(
        { length: 400 },
        (_, i) => `${String(i).padStart(4, '0')} ${'x'.repeat(995)}\n`,
      );
      for (const line of lines) write(line);
      assert.ok(socket, 'the refused write went on through the stream');
      const chunks: Buffer[] = [];
      const expected = Buffer.byteLength(lines.join(''));
      let got = 0;
      const buf = Buffer.alloc(65536);
      while (got < expected) {
        let n = 0;
        try {
          n = readSync(reader, buf);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
          await new Promise((resolve) => setImmediate(resolve)); // the stream writes when it can
        }
        chunks.push(Buffer.from(buf.subarray(0, n)));
        got += n;
      }
      assert.equal(Buffer.concat(chunks).toString(), lines.join(''));
      socket.destroy();
      closeSync(reader);
    }));
});

/** A named pipe opened at both ends, non-blocking, as a parent could hand a descriptor over. */
async function withFifo(use: (ends: { reader: number; writer: number }) => unknown): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-fifo-'));
  try {
    const fifo = join(dir, 'out');
    await promisify(execFile)('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    await use({ reader, writer });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Everything written to a non-blocking descriptor until its last writer closes it. */
async function readAll(fd: number): Promise<string> {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      await new Promise((resolve) => setTimeout(resolve, 5)); // nothing yet: the writer is busy
      continue;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  closeSync(fd);
  return Buffer.concat(chunks).toString();
}
