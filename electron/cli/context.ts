import { dataDir, ensureDataDir } from '../core/data-dir.js';
import type { StoreWarning } from '../core/json-store.js';
import { SettingsStore } from '../core/settings-store.js';
import { StateStore } from '../core/state-store.js';

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const stdio: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The data directory and its stores, with any file that had to be moved aside reported. */
export function openContext(io: CliIO) {
  const dir = ensureDataDir(dataDir());
  const warn = (w: StoreWarning) =>
    io.err(
      `headroom: ${w.file} could not be read and was moved to ${w.movedTo}; starting from defaults.\n  reason: ${w.reason}`,
    );
  return { dir, settings: new SettingsStore(dir, warn), states: new StateStore(dir, warn) };
}
