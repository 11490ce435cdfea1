import { writeSync } from 'node:fs';

/**
 * Writes all of `text` to standard output (1) or error (2) with write(2), as a C program does,
 * not through process.stdout and process.stderr: those are streams (on a terminal or a pipe,
 * sockets) whose first use loads Node's streams, and there net and tty, for the life of the
 * process — 1.4 MiB of an idle `headroom watch` for the line it prints at start.
 * A descriptor that whoever started us made non-blocking can refuse a write (EAGAIN): output
 * then goes through the stream, which queues it, from that write on, so lines keep their order.
 */
export function writerTo(fd: number, stream: () => NodeJS.WritableStream): (text: string) => void {
  let viaStream = false;
  return (text) => {
    if (viaStream) {
      stream().write(text);
      return;
    }
    let rest = Buffer.from(text);
    try {
      while (rest.length > 0) rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // The reader has gone (`headroom history | head`): there is no one left to tell.
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw error;
      viaStream = true;
      stream().write(rest);
    }
  };
}

export const writeOut = writerTo(1, () => process.stdout);
export const writeErr = writerTo(2, () => process.stderr);

let errIsTerminal: boolean | undefined;

/** Whether standard error is a terminal; node:tty (which loads node:net) only when asked. */
export const stderrIsTerminal = (): boolean =>
  (errIsTerminal ??= process.getBuiltinModule('node:tty').isatty(2));
