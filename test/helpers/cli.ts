import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { processState } from './diagnose.js';
import { witness } from './node-test.js';
import { Receiver } from './receiver.js';
import { Tmpfs } from './tmpfs.js';
import type { TestPki } from './tls.js';
import { repoPath } from './root.js';

/** The CLI as users run it: bin/headroom.js, which runs the build in dist/. */
export const BIN = repoPath('bin/headroom.js');

/** A fresh, empty data directory: each test gets its own settings and state. */
export function tempHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'headroom-home-'));
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the shipped CLI (bin → dist) as a user would; `env` adds to the environment, `input` is
 * written to its standard input (closed either way, as in a pipeline).
 */
export function runCli(
  args: string[],
  home: string,
  env: NodeJS.ProcessEnv = {},
  input = '',
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env, HEADROOM_HOME: home },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** `headroom integration add --type webhook` as a user types it, trusting the test's own CA. */
export function addWebhook(
  home: string,
  hook: { name: string; url: string; ca: string },
  ...extra: string[]
): Promise<CliResult> {
  const { name, url, ca } = hook;
  return runCli(
    ['integration', 'add', '--type', 'webhook', '--name', name, '--url', url, '--ca', ca, ...extra],
    home,
  );
}

/**
 * A long-running CLI process (`watch`) whose output lines a test waits on: every wait is for an
 * event, never for a fixed time.
 */
export class CliProcess {
  readonly child: ChildProcess;
  readonly stdoutLines: string[] = [];
  readonly stderrLines: string[] = [];
  private readonly waiters: (() => void)[] = [];
  readonly exited: Promise<number | null>;

  /** `env` adds to the environment, as for `runCli`; `entry` is what node runs (the CLI by default). */
  constructor(args: string[], home: string, env: NodeJS.ProcessEnv = {}, entry: string[] = [BIN]) {
    this.child = spawn(process.execPath, [...entry, ...args], {
      env: { ...process.env, ...env, HEADROOM_HOME: home },
    });
    const collect = (stream: NodeJS.ReadableStream, into: string[]) =>
      createInterface({ input: stream }).on('line', (line) => {
        into.push(line);
        for (const wake of this.waiters.splice(0)) wake();
      });
    collect(this.child.stdout!, this.stdoutLines);
    collect(this.child.stderr!, this.stderrLines);
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
    const forget = witness(() => this.state());
    this.exited.then(() => {
      forget();
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Its command, its last lines of output, and what its threads wait in: where it stands. */
  state(): string {
    const tail = (lines: string[]) => lines.slice(-12).join('\n') || '(nothing)';
    return [
      `${basename(this.child.spawnargs[1]!)} ${this.child.spawnargs.slice(2).join(' ')}`,
      `its stderr, the last lines:\n${tail(this.stderrLines)}`,
      `its stdout, the last lines:\n${tail(this.stdoutLines)}`,
      processState(this.child.pid!),
    ].join('\n');
  }

  /** Resolves once `ready()` holds after some output; rejects if the process exits first. */
  async waitUntil<T>(ready: () => T | undefined, what: string): Promise<T> {
    for (;;) {
      const value = ready();
      if (value !== undefined) return value;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `process exited (${this.child.exitCode ?? this.child.signalCode}) before ${what}.\n` +
            `stdout:\n${this.stdoutLines.join('\n')}\nstderr:\n${this.stderrLines.join('\n')}`,
        );
      }
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  waitForStderr(match: RegExp): Promise<string> {
    return this.waitUntil(() => this.stderrLines.find((l) => match.test(l)), `stderr matched ${match}`);
  }

  /** Parsed JSON lines of one type (`transition`, `delivery`) printed so far. */
  jsonLines(type: string): Record<string, unknown>[] {
    return this.stdoutLines
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .filter((o) => o.type === type);
  }

  transitions() {
    return this.jsonLines('transition') as {
      mount: string;
      from: string;
      to: string;
      freePercent: number | null;
      at: string;
      reason?: string;
    }[];
  }

  /** Waits for the `n`-th transition (1-based) and returns it. */
  transition(n: number) {
    return this.waitUntil(() => this.transitions()[n - 1], `transition #${n}`);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/**
 * What a test of `headroom watch` against a receiver starts: a 20 MiB tmpfs, a data folder, an
 * HTTPS receiver, and the watchers it spawns (push them to `watchers`), all removed after the test
 * (SIGKILL: the tests are of what survives a crash). `cli` runs a command that must succeed;
 * `watch` starts a watcher.
 */
export async function watchRig(
  pki: TestPki,
  closeLater: (...closers: (() => Promise<void>)[]) => void,
  env: NodeJS.ProcessEnv = {},
) {
  const disk = await Tmpfs.mount(20);
  const home = await tempHome();
  const receiver = await Receiver.start(pki);
  const watchers: CliProcess[] = [];
  closeLater(async () => {
    for (const w of watchers) await w.stop('SIGKILL');
    await receiver.close();
    await disk.dispose();
    await rm(home, { recursive: true, force: true });
  });
  const cli = async (...args: string[]) => {
    const r = await runCli(args, home, env);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  /** `headroom watch --json` on the disk, sampling every second, once it says it watches. */
  const watch = async () => {
    const w = new CliProcess(['watch', '--json', '--interval', '1', '--mount', disk.dir], home, env);
    watchers.push(w);
    await w.waitForStderr(/watching/);
    return w;
  };
  return { disk, home, receiver, watchers, cli, watch };
}
