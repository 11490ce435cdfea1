// The scan in the calling process, for `headroom usage`: the CLI is a process of its own whose
// only work is this scan, so starting a scanner process for it would only add a Node start-up
// (~0.1 s on a 200,000-file tree that du sizes in ~0.4 s). It reads as the scanner process does:
// from inside each directory, at the scanner's priority, with the same helper processes.
import { peakRss } from './peak-rss.js';
import { lowerProcessPriority } from './priority.js';
import { ScanFailed, type ScanOptions, type ScanResult } from './scanner.js';
import { walk } from './walk.js';

export async function scanHere(root: string, helpers: number, o: ScanOptions): Promise<ScanResult> {
  // walk enters each directory it reads: the caller's working directory comes back after.
  const cwd = process.cwd();
  const niced = lowerProcessPriority();
  try {
    const report = await walk({
      root,
      apparent: o.apparent ?? false,
      depth: o.depth ?? 6,
      top: o.top ?? 20,
      helpers,
      helpersOnly: o.helpersOnly,
      progressMs: o.progressMs,
      enterDirs: true,
      signal: o.signal,
      onProgress: o.onProgress,
    });
    return { ...report, niced, peakRss: peakRss() };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new ScanFailed(message, code ?? 'EIO');
  } finally {
    process.chdir(cwd);
  }
}
