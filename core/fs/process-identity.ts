import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
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

/**
 * Whether `pid` runs Headroom, as far as its command line tells (Linux): a program or script
 * named Headroom (the CLI's bin, the desktop app, an AppImage, a checkout called headroom), or
 * the very script this process runs. Names, not whole paths: an editor open on
 * /etc/headroom/policy.json is not Headroom. Null where it cannot be told (no /proc): then the
 * pid alone has to do.
 */
export function runsHeadroom(pid: number): boolean | null {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return null;
  }
  // Empty: a zombie (a watcher that died, not yet reaped) or a kernel thread, neither a watcher.
  if (args.every((a) => a === '')) return false;
  const ownScript = process.argv[1];
  return args.some((a) => /headroom/i.test(basename(a)) || (ownScript !== undefined && a === ownScript));
}

/**
 * Whether the process a lock file names still runs: same pid, and the same start where known.
 * A lock of the older format has no start time: its pid may long since belong to another
 * program (a reboot, a container restart), which must not block Headroom forever, so the pid
 * must then also be running Headroom.
 */
export function stillRunning(holder: { pid: number; start?: number | null }): boolean {
  if (!isAlive(holder.pid)) return false;
  if (holder.start == null) return runsHeadroom(holder.pid) !== false;
  const start = processStart(holder.pid);
  return start === null || start === holder.start;
}
