import { readFileSync } from 'node:fs';

/**
 * This process's peak resident memory, in bytes. On Linux, VmHWM of /proc/self/status: getrusage's
 * maxRSS (process.resourceUsage) keeps the high-water mark of the process that forked this one
 * from before its exec, so a scanner forked by a 300 MB process reported 300 MB. Elsewhere, maxRSS.
 */
export function peakRss(): number {
  try {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'latin1'))?.[1];
    if (kib) return Number(kib) * 1024;
  } catch {
    // Not Linux, or no /proc.
  }
  return process.resourceUsage().maxRSS * 1024;
}
