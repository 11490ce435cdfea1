// The scanner's thread: walks the tree at low priority and posts progress, then the report.
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from './priority.js';
import { walk, type WalkOptions } from './walk.js';

const options = workerData as Omit<WalkOptions, 'onProgress' | 'signal'>;
// Cancelled by a message rather than by terminating the thread: it must first stop its helper
// processes and wait for them, or they would stay zombies of the watcher's process.
const cancel = new AbortController();
parentPort!.on('message', (m) => m === 'cancel' && cancel.abort());
parentPort!.unref();
// Where it cannot be lowered alone, the thread runs at the process's priority: it still never
// blocks the watcher's thread.
const niced = lowerThreadPriority();
try {
  const report = await walk({
    ...options,
    signal: cancel.signal,
    onProgress: (p) => parentPort!.postMessage({ type: 'progress', progress: p }),
  });
  parentPort!.postMessage({ type: 'done', report, niced });
} catch (error) {
  const { code, message } = error as NodeJS.ErrnoException;
  parentPort!.postMessage({ type: 'failed', code: code ?? 'EIO', message });
}
