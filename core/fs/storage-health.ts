import { EventEmitter } from 'node:events';
import { NoSpaceLeft } from './no-space.js';

/**
 * Writes that fail because the data directory's own disk is full (or read-only, or failing):
 * the situation Headroom exists for. Background stores keep their data in memory and say so once
 * per file; the first write that works again says that too.
 */
export const storageHealth = new EventEmitter<{
  failed: [file: string, reason: string];
  /** A data file that exists could not be read (out of open files, an I/O error): not corrupt. */
  readFailed: [file: string, reason: string];
  recovered: [file: string];
}>();

const failing = new Set<string>();

/** Whether the last write of `file` failed: a store that keeps data in memory writes it again. */
export function writeFailing(file: string): boolean {
  return failing.has(file);
}

export function writeFailed(file: string, error: unknown): void {
  if (failing.has(file)) return;
  failing.add(file);
  storageHealth.emit('failed', file, describeIoError(error));
}

const unreadable = new Set<string>();

/** Said once per file until a read works again. */
export function readFailed(file: string, error: unknown): void {
  if (unreadable.has(file)) return;
  unreadable.add(file);
  storageHealth.emit('readFailed', file, describeIoError(error));
}

export function readSucceeded(file: string): void {
  if (unreadable.delete(file)) storageHealth.emit('recovered', file);
}

/** An error of the file system (it has an errno code), as opposed to content that does not parse. */
export function isIoError(error: unknown): error is NodeJS.ErrnoException {
  const e = error as NodeJS.ErrnoException;
  return typeof e?.code === 'string' && e.name !== 'SyntaxError';
}

function describeIoError(error: unknown): string {
  // The system's own words: "nothing was written" is for a save someone asked for, not for
  // state kept in memory meanwhile.
  const e = (error instanceof NoSpaceLeft ? error.cause : error) as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message.replace(/^[A-Z]+: /, '')}` : String(error);
}

export function writeSucceeded(file: string): void {
  if (failing.delete(file)) storageHealth.emit('recovered', file);
}
