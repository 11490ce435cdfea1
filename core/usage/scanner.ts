import { availableParallelism } from 'node:os';
import type { Worker, WorkerOptions } from 'node:worker_threads';
import type { ScanProgress, ScanReport } from '../../shared/usage.js';

export interface ScanOptions {
  apparent?: boolean;
  /** Levels of subdirectories kept in the report's tree. */
  depth?: number;
  /** Subdirectories kept per directory, the biggest. */
  top?: number;
  /** Helper processes for a scan that lasts (walk.ts); by default one per core beside the scanning thread, 1 to 3. */
  helpers?: number;
  helpersOnly?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
  progressMs?: number;
}

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
 * Built, the worker is scan-worker.js beside this file. Run from source under tsx (tests, scripts)
 * it is TypeScript, and on Node 20 a worker does not inherit tsx's loader: it registers it first.
 */
function startWorker(options: WorkerOptions): Worker {
  // Loaded at the first scan (a built-in: nothing to read from disk, so it cannot fail to load).
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  // The parent's flags are not for it (`--input-type` even stops a worker from starting).
  options = { ...options, execArgv: [] };
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./scan-worker.js', import.meta.url), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const main = new URL('./scan-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(main)}); })`;
  return new Worker(code, { ...options, eval: true });
}

/**
 * The scanning thread reads too: with a helper per other core, every core reads (at low priority).
 * None in the desktop app: a packaged Electron has its RunAsNode fuse off (build/electron-builder.yml),
 * so a forked helper would start a second app rather than Node; there the scan reads on its thread.
 */
export const SCAN_HELPERS = process.versions.electron
  ? 0
  : Math.max(1, Math.min(3, availableParallelism() - 1));

/** How long a cancelled scan has to stop its helper processes before its thread is stopped. */
const CANCEL_GRACE_MS = 5_000;

/** How much memory the scanning thread may take before it is stopped (peak goal: 150 MB). */
const HEAP_MB = 128;

/**
 * Sizes the directories under `root` (see walk.ts) on a worker thread at low priority, so that the
 * caller's event loop (sampling, deliveries) never waits for it. Cancelled by the signal: the
 * promise rejects at once, and the thread ends as soon as its helper processes have. Resolves
 * with the whole report, or rejects with ScanFailed.
 */
export function scanUsage(
  root: string,
  o: ScanOptions = {},
): Promise<ScanReport & { niced: boolean; helpersPeakRss: number }> {
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(new ScanFailed('the scan was cancelled', 'ABORTED'));
    const worker = startWorker({
      workerData: {
        root,
        apparent: o.apparent ?? false,
        depth: o.depth ?? 6,
        top: o.top ?? 20,
        helpers: o.helpers ?? SCAN_HELPERS,
        helpersOnly: o.helpersOnly,
        progressMs: o.progressMs,
      },
      // A small young generation: the helpers' answers are garbage at once, and V8's default lets
      // it grow to tens of MB before collecting (measured: −8 MiB peak on a million files).
      resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 4 },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener('abort', cancel);
      fn();
    };
    const cancel = () => {
      finish(() => reject(new ScanFailed('the scan was cancelled', 'ABORTED')));
      // The thread stops its helpers, waits for them and ends; one that does not is stopped.
      worker.postMessage('cancel');
      setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS).unref();
    };
    o.signal?.addEventListener('abort', cancel, { once: true });
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') o.onProgress?.(m.progress);
      else if (m.type === 'done') finish(() => resolve({ ...m.report, niced: m.niced }));
      else finish(() => reject(new ScanFailed(m.message, m.code)));
    });
    worker.on('error', (error) =>
      finish(() =>
        reject(
          new ScanFailed(
            (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? `the scan needed more than ${HEAP_MB} MB and was stopped`
              : error.message,
            (error as { code?: string }).code ?? 'EIO',
          ),
        ),
      ),
    );
    worker.on('exit', (code) =>
      finish(() => reject(new ScanFailed(`the scanner stopped (exit ${code})`, 'EXIT'))),
    );
  });
}

type WorkerMessage =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'done'; report: ScanReport & { helpersPeakRss: number }; niced: boolean }
  | { type: 'failed'; code: string; message: string };
