import type { ChildProcess } from 'node:child_process';
import { forkScan } from './fork-scan.js';
import { unpack, type DirRead, type Path, type ReadOptions } from './read-dir.js';
import type { HelperMessage, HelperRequest } from './scan-helper.js';

export type Batch = { id: number; path: Path }[];

interface Helper {
  child: ChildProcess;
  ready: boolean;
  /** Sent and not answered yet, oldest first: given back to the scan if the helper dies. */
  sent: Batch[];
  peakRss: number;
}

/**
 * Batches a helper holds at once: one being read, the rest waiting, so that it never runs dry while
 * the scanner is busy reading its own share (measured: 2 in flight left the helper idle, 4 did not).
 */
const IN_FLIGHT = 4;
/** Directories per batch, at most: enough to outweigh a message, few enough to share the work. */
const MAX_BATCH = 64;

/** A helper process, listening for its first message (it is ready) from the start. */
function startHelper(): Helper {
  const helper: Helper = { child: forkScan('scan-helper', [], []), ready: false, sent: [], peakRss: 0 };
  helper.child.once('message', () => (helper.ready = true));
  return helper;
}

/** Helpers started before their scan (startHelpersEarly), taken by the next scan. */
const early: Helper[] = [];

/**
 * Starts `count` helpers now, for a scan about to begin (`headroom usage`): a helper takes as long
 * to start as the CLI takes to reach its scan (a Node start-up each, ~0.12 s here), so started
 * first they read from the scan's first moments. The returned function stops those no scan took
 * (the command failed before it scanned): their open channel would keep the process alive.
 */
export function startHelpersEarly(count: number): () => void {
  for (let i = 0; i < count; i++) early.push(startHelper());
  return () => {
    for (const { child } of early.splice(0)) child.kill();
  };
}

/** Whether helpers started early are waiting for a scan: it then hands them work at once. */
export function helpersStartedEarly(): boolean {
  return early.length > 0;
}

/**
 * Helper processes (scan-helper.ts) that read directories for one scan, in parallel, each from
 * inside the directory. They only speed the scan up: one that cannot start or dies gives its
 * unanswered directories back, and the scanner reads on alone.
 */
export class ScanHelpers {
  /** Those still there. */
  private readonly helpers = new Set<Helper>();
  /** Every one started, for close to wait on (one nobody waits for stays a zombie) and to sum. */
  private readonly started: Helper[] = [];
  private wake: (() => void) | null = null;

  constructor(
    count: number,
    private readonly options: ReadOptions,
    private readonly onReads: (reads: DirRead[], batch: Batch) => void,
    private readonly onLost: (batch: Batch) => void,
  ) {
    for (let i = 0; i < count; i++) {
      const helper = early.shift() ?? startHelper();
      this.started.push(helper);
      // One started early that has died meanwhile is only waited for at close.
      if (helper.child.exitCode !== null || helper.child.signalCode !== null) continue;
      this.helpers.add(helper);
      helper.child.on('message', (m: HelperMessage) => {
        if (m.type === 'reads') {
          helper.peakRss = m.peakRss;
          this.onReads(unpack(m.reads), helper.sent.shift()!);
        }
        this.notify();
      });
      const lose = () => {
        if (!this.helpers.delete(helper)) return;
        for (const batch of helper.sent.splice(0)) this.onLost(batch);
        this.notify();
      };
      helper.child.on('error', lose).on('exit', lose);
    }
  }

  /** Helpers starting or started, and still there. */
  get alive(): number {
    return this.helpers.size;
  }

  /** Helpers that have started and are still there. */
  get ready(): number {
    let n = 0;
    for (const h of this.helpers) if (h.ready) n++;
    return n;
  }

  /** Whether any batch is still out. */
  get waiting(): boolean {
    for (const h of this.helpers) if (h.sent.length > 0) return true;
    return false;
  }

  /**
   * Hands directories from `stack` (taken from its top, as the scan would read them) to every
   * ready helper with room, in batches sized to share what is left among them.
   */
  feed(stack: { ids: number[]; paths: Path[] }): void {
    const size = Math.max(1, Math.min(MAX_BATCH, Math.floor(stack.ids.length / (2 * this.ready || 1))));
    for (const h of this.helpers) {
      while (h.ready && h.sent.length < IN_FLIGHT && stack.ids.length > 0) {
        const batch: Batch = [];
        while (batch.length < size && stack.ids.length > 0)
          batch.push({ id: stack.ids.pop()!, path: stack.paths.pop()! });
        h.sent.push(batch);
        h.child.send({ dirs: batch, options: this.options } satisfies HelperRequest);
      }
    }
  }

  /** Resolves at the next news: directories read, a helper ready or gone, or `notify`. */
  news(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  /** Stops every helper and waits until each has exited; resolves with the sum of their peak memory. */
  async close(): Promise<number> {
    this.helpers.clear();
    await Promise.all(
      this.started.map(({ child }) =>
        child.pid === undefined || child.exitCode !== null || child.signalCode !== null
          ? undefined
          : new Promise((exited) => {
              child.once('exit', exited);
              child.kill();
            }),
      ),
    );
    return this.started.reduce((sum, h) => sum + h.peakRss, 0);
  }

  /** Ends a wait for news now (the scan was cancelled). */
  notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
