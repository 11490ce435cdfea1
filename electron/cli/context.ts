import { dataDir, ensureDataDir } from '../core/data-dir.js';
import type { StoreWarning } from '../core/json-store.js';
import { openRuntime, type RuntimeOptions } from '../core/runtime.js';
import { visibleLines } from './escape.js';

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * The terminal. Whatever a command prints passes through `visibleLines`: a control character that
 * slipped into a message from user data or a receiver is shown escaped, never acted on. (Values
 * inside one line, where a newline would also mislead, are escaped where they are written.)
 */
export const stdio: CliIO = {
  out: (line) => process.stdout.write(`${visibleLines(line)}\n`),
  err: (line) => process.stderr.write(`${visibleLines(line)}\n`),
};

/** Says which data file could not be read, where it went, and why. */
export function warningPrinter(io: CliIO): (w: StoreWarning) => void {
  return (w) =>
    io.err(
      `headroom: ${w.file} could not be read and was moved to ${w.movedTo}; ${w.instead ?? 'starting from defaults'}.\n` +
        `  reason: ${w.reason.replaceAll('\n', '\n  ')}`,
    );
}

/** The data directory and its stores, with any file that had to be moved aside reported. */
export function openContext(io: CliIO, options: Omit<RuntimeOptions, 'onWarning'> = {}) {
  return openRuntime(ensureDataDir(dataDir()), { ...options, onWarning: warningPrinter(io) });
}
