import { EventEmitter } from 'node:events';

/**
 * Writes that fail because the data directory's own disk is full (or read-only, or failing):
 * the situation Headroom exists for. Background stores keep their data in memory and say so once
 * per file; the first write that works again says that too.
 */
export const storageHealth = new EventEmitter<{
  failed: [file: string, reason: string];
  recovered: [file: string];
}>();

const failing = new Set<string>();

export function writeFailed(file: string, error: unknown): void {
  if (failing.has(file)) return;
  failing.add(file);
  const e = error as NodeJS.ErrnoException;
  storageHealth.emit(
    'failed',
    file,
    e.code ? `${e.code}: ${e.message.replace(/^[A-Z]+: /, '')}` : String(error),
  );
}

export function writeSucceeded(file: string): void {
  if (failing.delete(file)) storageHealth.emit('recovered', file);
}
