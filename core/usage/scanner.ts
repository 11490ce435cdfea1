import { availableParallelism } from '../builtins.js';
import type { Worker } from 'node:worker_threads';
import type { ScanProgress, ScanReport } from '../../shared/usage.js';
import { forkScan, scanScript, SOURCE } from './fork-scan.js';
import type { ScannerData } from './scan-worker.js';

export interface ScanOptions {
  apparent?: boolean;
  /** Levels of subdirectories kept in the report's tree. */
  depth?: number;
  /** Subdirectories kept per directory, the biggest. */
  top?: number;
  /**
   * Where the scanner runs: a process of its own (Node), a worker thread (the desktop app), or
   * the calling process, when that is a process of its own for the scan (`headroom usage`).
   */
  in?: 'process' | 'thread' | 'here';
  /** Helper processes for a scan that lasts (walk.ts); by default one per other core, 1 to 3. */
  helpers?: number;
  helpersOnly?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
  progressMs?: number;
}

export type ScanResult = ScanReport & {
  niced: boolean;
  /** The scanner's own peak memory (a thread's is its whole process's), and its helpers' together. */
  peakRss: number;
  helpersPeakRss: number;
};

/** The scan could not start (not a directory, gone, no permission), was cancelled, or broke. */
export class ScanFailed extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * A packaged Electron has its RunAsNode fuse off (build/electron-builder.yml): a forked script would
 * start a second app rather than Node. There the scanner is a worker thread, without helpers.
 */
const CAN_FORK = !process.versions.electron;

/**
 * The scanner reads too: with a helper per other core, every core reads (at low priority). Asked
 * at the scan, not at start: an idle watcher does not load node:os (core/builtins.ts).
 */
export const scanHelpers = (): number =>
  CAN_FORK ? Math.max(1, Math.min(3, availableParallelism() - 1)) : 0;

/** How long a cancelled scan has to stop its helper processes before the scanner is stopped. */
const CANCEL_GRACE_MS = 5_000;

/** How much memory the scanner may take before it is stopped (peak goal: 150 MB). */
const HEAP_MB = 128;

/**
 * Scanners still running, as promises of their end. A cancelled scan rejects at once and its
 * scanner ends a moment later (after its helpers): a watcher that stops waits for that, so that no
 * process of it is left holding a directory of a disk about to be unmounted.
 */
const live = new Set<Promise<void>>();

/** Resolves once every scanner started so far has ended. */
export async function scannersEnded(): Promise<void> {
  await Promise.all(live);
}

function track(ended: Promise<void>): void {
  live.add(ended);
  void ended.then(() => live.delete(ended));
}

/** What the scanner sends (scan-worker.ts). */
type ScannerMessage =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'done'; report: ScanReport & { helpersPeakRss: number }; niced: boolean; peakRss: number }
  | { type: 'failed'; code: string; message: string };

/** A running scanner, process or thread alike. */
interface Scanner {
  onMessage(fn: (m: ScannerMessage) => void): void;
  /** Called once, with why, when the scanner ends without a last message (crashed, out of memory). */
  onGone(fn: (message: string, code: string) => void): void;
  cancel(): void;
  stop(): void;
}

/**
 * A process of its own: it can enter each directory it reads, which a thread cannot (one working
 * directory per process), and a statfs of the watcher never shares a core's time with it unasked.
 */
function startProcess(data: ScannerData): Scanner {
  const child = forkScan('scan-worker', [JSON.stringify(data)], [`--max-old-space-size=${HEAP_MB}`]);
  track(new Promise((ended) => child.once('exit', () => ended()).once('error', () => ended())));
  return {
    onMessage: (fn) => child.on('message', fn),
    onGone: (fn) => {
      child.on('error', (e: NodeJS.ErrnoException) => fn(e.message, e.code ?? 'EIO'));
      child.on('exit', (code, signal) => {
        // V8 aborts a process out of heap (SIGABRT, or exit 134 where a shell reports it).
        const why = () =>
          signal === 'SIGABRT' || code === 134
            ? fn(`the scan needed more than ${HEAP_MB} MB and was stopped`, 'ERR_OUT_OF_MEMORY')
            : fn(`the scanner stopped (${signal ?? `exit ${code}`})`, 'EXIT');
        // Its last message may still be in the channel: the channel closes after it is read.
        if (child.connected) child.once('disconnect', why);
        else why();
      });
    },
    cancel: () => void (child.connected && child.send('cancel')),
    stop: () => child.kill(),
  };
}

/** On Node 20 a worker does not inherit tsx's loader: from source it registers it first. */
function startThread(data: ScannerData): Scanner {
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  const options = {
    workerData: data,
    // The parent's flags are not for it (`--input-type` even stops a worker from starting).
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 4 },
    stdout: false,
    stderr: false,
  };
  const script = scanScript('scan-worker');
  const tsx = SOURCE && import.meta.resolve('tsx/esm/api');
  const worker: Worker = SOURCE
    ? new Worker(
        `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(script.href)}); })`,
        { ...options, eval: true },
      )
    : new Worker(script, options);
  track(new Promise((ended) => worker.once('exit', () => ended())));
  return {
    onMessage: (fn) => worker.on('message', fn),
    onGone: (fn) => {
      worker.on('error', (e: Error & { code?: string }) =>
        fn(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `the scan needed more than ${HEAP_MB} MB and was stopped`
            : e.message,
          e.code ?? 'EIO',
        ),
      );
      worker.on('exit', (code) => fn(`the scanner stopped (exit ${code})`, 'EXIT'));
    },
    cancel: () => worker.postMessage('cancel'),
    stop: () => void worker.terminate(),
  };
}

/**
 * Sizes the directories under `root` (see walk.ts) in a scanner of its own at low priority, so
 * that the caller's event loop (sampling, deliveries) never waits for it. Cancelled by the signal:
 * the promise rejects at once, and the scanner ends as soon as its helper processes have.
 * Resolves with the whole report, or rejects with ScanFailed.
 */
export function scanUsage(root: string, o: ScanOptions = {}): Promise<ScanResult> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(new ScanFailed('the scan was cancelled', 'ABORTED'));
    if (o.in === 'here' && CAN_FORK)
      return void import('./scan-here.js')
        .then((m) => m.scanHere(root, o.helpers ?? scanHelpers(), o))
        .then(resolve, reject);
    const data: ScannerData = {
      root,
      apparent: o.apparent ?? false,
      depth: o.depth ?? 6,
      top: o.top ?? 20,
      helpers: o.helpers ?? scanHelpers(),
      helpersOnly: o.helpersOnly,
      progressMs: o.progressMs,
    };
    const scanner =
      (o.in ?? (CAN_FORK ? 'process' : 'thread')) === 'process' ? startProcess(data) : startThread(data);
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener('abort', cancel);
      fn();
    };
    const cancel = () => {
      finish(() => reject(new ScanFailed('the scan was cancelled', 'ABORTED')));
      // The scanner stops its helpers, waits for them and ends; one that does not is stopped.
      scanner.cancel();
      setTimeout(scanner.stop, CANCEL_GRACE_MS).unref();
    };
    o.signal?.addEventListener('abort', cancel, { once: true });
    scanner.onMessage((m) => {
      if (m.type === 'progress') o.onProgress?.(m.progress);
      else if (m.type === 'done') finish(() => resolve({ ...m.report, niced: m.niced, peakRss: m.peakRss }));
      else finish(() => reject(new ScanFailed(m.message, m.code)));
    });
    scanner.onGone((message, code) => finish(() => reject(new ScanFailed(message, code))));
  });
}
