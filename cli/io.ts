import { visibleLines } from './escape.js';
import { stderrIsTerminal, writeErr, writeOut } from './output.js';

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /** `--utc`: times in ISO 8601 UTC instead of local time with its zone. */
  utc?: boolean;
  /** A progress line that rewrites itself ('' clears it): only where stderr is a terminal. */
  status?: (line: string) => void;
  /** Whether printing the answer failed (a full disk, say): the command then did not do its job. */
  outputFailed?: () => boolean;
}

/**
 * The terminal. Whatever a command prints passes through `visibleLines`: a control character that
 * slipped into a message from user data or a receiver is shown escaped, never acted on. (Values
 * inside one line, where a newline would also mislead, are escaped where they are written.)
 */
export const stdio: CliIO = {
  out: (line) => writeOut(`${visibleLines(line)}\n`),
  err: (line) => writeErr(`${visibleLines(line)}\n`),
  outputFailed: () => writeOut.failure !== undefined,
  // Asked for by the commands that show progress, so `watch` never loads node:tty for it.
  get status() {
    if (!stderrIsTerminal()) return undefined;
    return (line: string) =>
      // Cut to the terminal's width: a wrapped line could not be rewritten in place.
      writeErr(`\r${visibleLines(line).slice(0, (process.stderr.columns || 80) - 1)}\x1b[K`);
  },
};
