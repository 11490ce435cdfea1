import { readFileSync } from 'node:fs';
import { isAlive } from './stale-temps.js';

/**
 * When a process started, as the kernel counts it (clock ticks since boot, Linux), or null where
 * that cannot be read. With the pid it tells a live process from a later one given the same pid.
 */
export function processStart(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The name (field 2) may hold spaces and parentheses: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : null;
  } catch {
    return null;
  }
}

/** This process as a lock file records it. */
export function ownIdentity(): { pid: number; start: number | null } {
  return { pid: process.pid, start: processStart(process.pid) };
}

/** Whether the process a lock file names still runs: same pid, and the same start where known. */
export function stillRunning(holder: { pid: number; start?: number | null }): boolean {
  if (!isAlive(holder.pid)) return false;
  if (holder.start == null) return true;
  const start = processStart(holder.pid);
  return start === null || start === holder.start;
}
