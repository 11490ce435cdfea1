import { readlinkSync } from 'node:fs';
import { setPriority } from '../builtins.js';

/** A niceness like `nice`'s default: the watcher and everything else on the machine go first. */
export const SCAN_NICE = 10;

/**
 * Lowers the calling thread's priority to SCAN_NICE, where that leaves the rest of its process
 * alone. On Linux the nice value belongs to a thread, not to the process (setpriority(2), "BUGS"):
 * this thread's id, from /proc/thread-self, lowers it alone. Elsewhere it would lower the whole
 * process (the watcher's, the app's), so it does nothing and says so (false).
 */
export function lowerThreadPriority(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').at(-1)), SCAN_NICE);
    return true;
  } catch {
    return false;
  }
}

/** Lowers this whole process to SCAN_NICE (a helper, or the scanning process). False when refused. */
export function lowerProcessPriority(): boolean {
  try {
    // On Linux pid 0 is the calling thread: the main one, which reads.
    setPriority(0, SCAN_NICE);
    return true;
  } catch {
    return false;
  }
}
