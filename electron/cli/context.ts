import { dataDir, ensureDataDir } from '../core/data-dir.js';
import type { StoreWarning } from '../core/json-store.js';
import { openRuntime, type RuntimeOptions } from '../core/runtime.js';

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const stdio: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The data directory and its stores, with any file that had to be moved aside reported. */
export function openContext(io: CliIO, options: Omit<RuntimeOptions, 'onWarning'> = {}) {
  const dir = ensureDataDir(dataDir());
  const onWarning = (w: StoreWarning) =>
    io.err(
      w.movedTo === w.file
        ? `headroom: ${w.file} could not be read and was set aside.\n  reason: ${w.reason}`
        : `headroom: ${w.file} could not be read and was moved to ${w.movedTo}; starting from defaults.\n  reason: ${w.reason}`,
    );
  return openRuntime(dir, { ...options, onWarning });
}
