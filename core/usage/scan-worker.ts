// The scanner (see scanner.ts): walks the tree at low priority and sends progress, then the report.
// It runs as a process of its own, which may enter each directory it reads; in the desktop app,
// which cannot start Node processes, as a worker thread.
import { parentPort, workerData } from 'node:worker_threads';
import { peakRss } from './peak-rss.js';
import { lowerProcessPriority, lowerThreadPriority } from './priority.js';
import { walk, type WalkOptions } from './walk.js';

export type ScannerData = Omit<WalkOptions, 'onProgress' | 'signal' | 'enterDirs'>;

const thread = parentPort;
const send = (m: unknown) => (thread ? thread.postMessage(m) : process.send!(m));
const options: ScannerData = thread ? workerData : JSON.parse(process.argv[2]!);
// Cancelled by a message rather than stopped outright: it must first stop its helper processes
// and wait for them, or they would be left as zombies.
const cancel = new AbortController();
const onMessage = (m: unknown) => m === 'cancel' && cancel.abort();
if (thread) thread.on('message', onMessage).unref();
else {
  process.on('message', onMessage).channel?.unref();
  // The caller went away (its process ended): nobody wants the report. Its helpers see the same.
  process.on('disconnect', () => process.exit(0));
}
// A thread that cannot be lowered alone runs at its process's priority: it still never blocks the
// watcher's thread.
const niced = thread ? lowerThreadPriority() : lowerProcessPriority();
let message;
try {
  const report = await walk({
    ...options,
    enterDirs: !thread,
    signal: cancel.signal,
    onProgress: (p) => send({ type: 'progress', progress: p }),
  });
  message = { type: 'done', report, niced, peakRss: peakRss() };
} catch (error) {
  const { code, message: text } = error as NodeJS.ErrnoException;
  message = { type: 'failed', code: code ?? 'EIO', message: text };
}
if (thread) thread.postMessage(message);
// The last message sent, the process lets go of its parent and ends.
else process.send!(message, () => process.disconnect());
