import { writeSync } from 'node:fs';

/** Standard output or error, as the CLI writes to it: never throwing, whatever the descriptor does. */
export interface Writer {
  (text: string): void;
  /** The first write that failed, other than to a reader that has gone. */
  readonly failure: NodeJS.ErrnoException | undefined;
  /** Resolves once what was handed to the stream (after EAGAIN) has been written out. */
  flushed(): Promise<void>;
}

/**
 * Writes all of `text` to `fd` with write(2), as a C program does, not through process.stdout and
 * process.stderr: those are streams (on a terminal or a pipe, sockets) whose first use loads
 * Node's streams, and there net and tty, for the life of the process — 0.9 MiB of an idle
 * `headroom watch` for the line it prints at start.
 * - A descriptor that whoever started us made non-blocking can refuse a write (EAGAIN): output
 *   then goes through the stream, which queues it, from that write on, so lines keep their order;
 *   `flushed` waits for it before the process exits.
 * - A reader that has gone (EPIPE, `headroom history | head`): there is no one left to tell.
 * - Any other failure (a full disk, an I/O error) is kept in `failure`, told once through
 *   `onFailure`, and the rest of the output dropped: a watcher whose log cannot be written keeps
 *   watching, and a command says it could not print its answer.
 */
export function writerTo(
  fd: number,
  stream: () => NodeJS.WritableStream,
  onFailure: (error: NodeJS.ErrnoException) => void = () => {},
): Writer {
  let mode: 'direct' | 'stream' | 'stopped' = 'direct';
  let failure: NodeJS.ErrnoException | undefined;
  const write = (text: string) => {
    if (mode === 'stream') stream().write(text);
    if (mode !== 'direct') return;
    let rest = Buffer.from(text);
    try {
      while (rest.length > 0) rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'EAGAIN') {
        mode = 'stream';
        // The stream's own failures end the output as a direct write's would, not the process.
        stream().on('error', stop).write(rest);
        return;
      }
      stop(e);
    }
  };
  function stop(e: NodeJS.ErrnoException): void {
    mode = 'stopped';
    if (e.code === 'EPIPE' || failure) return;
    failure = e;
    onFailure(e);
  }
  // defineProperties, not assign: assign would read the getter once, now.
  return Object.defineProperties(write, {
    failure: { get: () => failure },
    flushed: {
      value: () =>
        mode === 'stream'
          ? new Promise<void>((resolve) => stream().write('', () => resolve()))
          : Promise.resolve(),
    },
  }) as Writer;
}

export const writeErr = writerTo(2, () => process.stderr);
export const writeOut = writerTo(
  1,
  () => process.stdout,
  (e) =>
    writeErr(
      `headroom: could not write to standard output (${e.code ?? e.message}); the rest is not shown\n`,
    ),
);

/** What was queued for a non-blocking stdout or stderr, written out: process.exit would drop it. */
export const outputFlushed = (): Promise<unknown> => Promise.all([writeOut.flushed(), writeErr.flushed()]);

let errIsTerminal: boolean | undefined;

/** Whether standard error is a terminal; node:tty (which loads node:net) only when asked. */
export const stderrIsTerminal = (): boolean =>
  (errIsTerminal ??= process.getBuiltinModule('node:tty').isatty(2));
