// A helper process of a big scan (see scan-helpers.ts): reads the directories it is sent, each from
// inside it, at low priority, and sends back what it found. A process rather than a thread because
// only a process has a working directory of its own to read from.
import { peakRss } from './peak-rss.js';
import { lowerProcessPriority } from './priority.js';
import { pack, readFromInside, type PackedReads, type Path, type ReadOptions } from './read-dir.js';

export type HelperRequest = { dirs: { id: number; path: Path }[]; options: ReadOptions };
export type HelperMessage = { type: 'ready' } | { type: 'reads'; reads: PackedReads; peakRss: number };

// Where that is refused, the helper reads at normal priority, as `du` would.
lowerProcessPriority();
// The scan is over, or the scanner was stopped (cancelled, or its caller's process ended).
process.on('disconnect', () => process.exit(0));
process.on('message', (m: HelperRequest) => {
  const reads = pack(m.dirs.map((d) => readFromInside(d.path, d.id, m.options)));
  process.send!({
    type: 'reads',
    reads,
    peakRss: peakRss(),
  } satisfies HelperMessage);
});
process.send!({ type: 'ready' } satisfies HelperMessage);
