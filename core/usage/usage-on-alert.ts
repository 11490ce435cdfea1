import { homedir } from 'node:os';
import type { Transition } from '../../shared/hysteresis.js';
import type { Settings } from '../../shared/settings.js';
import type { UsageView } from '../../shared/ipc/contract.js';
import { clockOf, pruneTree, usageNote, type ScanProgress, type UsageNote } from '../../shared/usage.js';
import { scanMount } from './mount-usage.js';
import { scannersEnded } from './scanner.js';
import { trashOn } from './trash.js';
import { monotonicMs } from '../builtins.js';

/** An automatic scan that failed: the alert went out regardless; only its note is missing. */
export class UsageScanFailed extends Error {
  constructor(mount: string, cause: unknown) {
    super(`could not scan ${mount} to say what grew: ${(cause as Error).message}`);
  }
}

export interface UsageOnAlertOptions {
  dir: string;
  settings: () => Settings;
  now: () => number;
  /** A scan finished: what to tell about the mount (the desktop notification, opted-in channels). */
  onNote: (mount: string, note: UsageNote) => void;
  onError?: (mount: string, error: unknown) => void;
}

/**
 * The automatic scan: when a disk enters warning or critical, scan it (at most once per
 * `usageScanMinutes` per disk) and say what grew since its previous snapshot. The scan runs on its
 * own thread (scanner.ts): the transition's own notification and deliveries have already gone out
 * and never wait for it; the note follows them. Within the period, the last note is told again.
 */
export class UsageOnAlert {
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly last = new Map<string, { at: number; note: UsageNote | null }>();
  private readonly manual = new Map<string, AbortController>();
  private stopped = false;

  constructor(private readonly o: UsageOnAlertOptions) {}

  onTransition(t: Transition): void {
    if (this.stopped || t.kind !== 'space' || !t.reading.ok) return;
    if (t.to !== 'warning' && t.to !== 'critical') return;
    const minutes = this.o.settings().usageScanMinutes;
    if (minutes === null || this.running.has(t.mount)) return;
    const last = this.last.get(t.mount);
    if (last && this.o.now() - last.at < minutes * 60_000) {
      // Once the transition is through (its state saved): the note is told as after a scan.
      const note = last.note;
      if (note) setImmediate(() => !this.stopped && this.o.onNote(t.mount, note));
      return;
    }
    this.scan(t.mount);
  }

  /**
   * A scan someone asked for (the window's "What's using space"): the tree and what grew since
   * the previous snapshot, which this scan then replaces. One at a time per disk.
   */
  async scanNow(mount: string, onProgress: (p: ScanProgress) => void): Promise<UsageView> {
    if (this.manual.has(mount)) throw new Error(`${mount} is being scanned already`);
    const controller = new AbortController();
    this.manual.set(mount, controller);
    try {
      const started = monotonicMs();
      const r = await scanMount(this.o.dir, mount, {
        signal: controller.signal,
        onProgress,
        progressMs: 200,
      });
      // Sized after the scan, not beside it: two scans at once would compete for the same disk.
      const trash = await trashOn(mount, { signal: controller.signal }).catch((error: unknown) => {
        if ((error as { code?: string }).code === 'ABORTED') throw error;
        return null;
      });
      const clock = (at: number) => clockOf(at, this.o.now());
      return {
        mount,
        size: r.report.size,
        files: r.report.files,
        dirs: r.report.dirs,
        seconds: (monotonicMs() - started) / 1000,
        tree: pruneTree(r.report.tree, 4, 12),
        unreadableCount: r.report.unreadableCount,
        unreadable: r.report.unreadable,
        note: r.snapshot ? usageNote(r.previous, r.snapshot, clock, homeDir(), 5) : null,
        trash,
      };
    } finally {
      this.manual.delete(mount);
    }
  }

  /** Stops the scan someone asked for; false when none was running. */
  cancel(mount: string): boolean {
    const controller = this.manual.get(mount);
    controller?.abort();
    return controller !== undefined;
  }

  /** Whether a scan of this mount is running now. */
  scanning(mount: string): boolean {
    return this.running.has(mount);
  }

  /** Resolves when the scans running now have ended (tests, and stop). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Cancels every scan in progress; nothing is saved for them. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { controller } of this.running.values()) controller.abort();
    for (const controller of this.manual.values()) controller.abort();
    await this.idle();
    await scannersEnded();
  }

  private scan(mount: string): void {
    const controller = new AbortController();
    const started = this.o.now();
    const done = scanMount(this.o.dir, mount, { signal: controller.signal, depth: 1, top: 1 })
      .then((result) => {
        // Told even when the snapshot could not be saved; not when the mount went away meanwhile.
        const note =
          result.complete && result.snapshot
            ? usageNote(result.previous, result.snapshot, (at) => clockOf(at, this.o.now()), homeDir())
            : null;
        this.last.set(mount, { at: started, note });
        if (note && note.lines.length > 0 && !this.stopped) this.o.onNote(mount, note);
      })
      .catch((error: unknown) => {
        // Cancelled, or the disk gone (the watcher says it is unreachable): nothing to tell.
        const code = (error as { code?: string }).code;
        if (code !== 'ABORTED' && code !== 'ENOENT') this.o.onError?.(mount, error);
        this.last.set(mount, { at: started, note: null });
      })
      .finally(() => this.running.delete(mount));
    this.running.set(mount, { controller, done });
  }
}

function homeDir(): string | undefined {
  try {
    return homedir();
  } catch {
    return undefined;
  }
}
