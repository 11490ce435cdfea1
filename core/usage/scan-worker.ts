// The scanner's thread: walks the tree at low priority and posts progress, then the report.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { walk, type WalkOptions } from './walk.js';

/** A niceness like `nice`'s default: the watcher and everything else on the machine go first. */
const NICE = 10;

/**
 * On Linux the nice value belongs to a thread, not to the process (setpriority(2), "BUGS"): this
 * thread's id, from /proc/thread-self, lowers this thread alone. Elsewhere the worker runs at the
 * process's priority; it still never blocks the watcher's thread.
 */
function lowerPriority(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    setPriority(tid, NICE);
    return true;
  } catch {
    return false;
  }
}

const options = workerData as Omit<WalkOptions, 'onProgress'>;
const niced = lowerPriority();
try {
  const report = walk({
    ...options,
    onProgress: (p) => parentPort!.postMessage({ type: 'progress', progress: p }),
  });
  parentPort!.postMessage({ type: 'done', report, niced });
} catch (error) {
  const { code, message } = error as NodeJS.ErrnoException;
  parentPort!.postMessage({ type: 'failed', code: code ?? 'EIO', message });
}
