// A helper process of a big scan (see scan-helpers.ts): reads the directories it is sent, each from
// inside it, at low priority, and sends back what it found. A process rather than a thread because
// only a process has a working directory of its own to read from.
import { setPriority } from 'node:os';
import { SCAN_NICE } from './priority.js';
import { readDir, type DirRead, type Path, type ReadOptions } from './read-dir.js';

export type HelperRequest = { dirs: { id: number; path: Path }[]; options: ReadOptions };
export type HelperMessage = { type: 'ready' } | { type: 'reads'; reads: DirRead[]; peakRss: number };

function enter(path: string): boolean {
  try {
    process.chdir(path);
    return true;
  } catch {
    return false;
  }
}

function readFromInside(path: Path, id: number, options: ReadOptions): DirRead {
  // process.chdir takes text only: a path that is not UTF-8 is read by its whole path, and so is
  // one that cannot be entered, which then reports why it cannot be read, as any scan does.
  if (typeof path === 'string' && enter(path)) return readDir(path, id, options, true);
  return readDir(path, id, options);
}

// A process of its own: lowering all of it is what is wanted (on Linux, pid 0 is this thread).
try {
  setPriority(0, SCAN_NICE);
} catch {
  // Not allowed here: the helper reads at normal priority, as `du` would.
}
// The scan is over, or the scanning thread was stopped (cancelled, or its process exited).
process.on('disconnect', () => process.exit(0));
process.on('message', (m: HelperRequest) => {
  const reads = m.dirs.map((d) => readFromInside(d.path, d.id, m.options));
  process.send!({
    type: 'reads',
    reads,
    peakRss: process.resourceUsage().maxRSS * 1024,
  } satisfies HelperMessage);
});
process.send!({ type: 'ready' } satisfies HelperMessage);
