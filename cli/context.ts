import { dataDir, ensureDataDir } from '../core/data-dir.js';
import { openRuntime, type RuntimeOptions } from '../core/runtime.js';
import type { CliIO } from './io.js';
import { reportPolicy, warningPrinter } from './stores-context.js';

export { stdio, type CliIO } from './io.js';
export { warningPrinter } from './stores-context.js';

/**
 * The data directory and its stores, with any file that had to be moved aside reported, and what
 * of the organisation's policy does not apply (with its file and field).
 */
export function openContext(io: CliIO, options: Omit<RuntimeOptions, 'onWarning'> = {}) {
  const runtime = openRuntime(ensureDataDir(dataDir()), { ...options, onWarning: warningPrinter(io) });
  reportPolicy(runtime, io);
  return runtime;
}
