import { stat } from '../fs/promised.js';
import { ALERT_KINDS } from '../../shared/alert-kinds.js';
import type { Transition } from '../../shared/hysteresis.js';
import type { Settings } from '../../shared/settings.js';
import type { UsageView } from '../../shared/ipc/contract.js';
import { pruneTree, type ScanProgress, type UsageSnapshot } from '../../shared/usage.js';
import { formatTime } from '../../shared/format.js';
import { usageNote, type UsageNote } from '../../shared/usage-note.js';
import { scanMount } from './mount-usage.js';

/** When a snapshot was taken, as every time is shown: local, to the minute, with its zone. */
const clock = (at: number) => formatTime(at, { seconds: false });
import { scannersEnded } from './scanner.js';
import { trashOn } from './trash.js';
import { homedir, monotonicMs } from '../builtins.js';
import type { StoreWarning } from '../json-store.js';

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
  /** A snapshot that did not read back, moved aside (see SnapshotStore). */
  onWarning?: (w: StoreWarning) => void;
  /** A scan that read at most this many entries is small (SMALL_SCAN.entries; tests set 0). */
  smallScanEntries?: number;
  /** …and took at most this long (SMALL_SCAN.ms; tests on a busy machine set more). */
  smallScanMs?: number;
}

/**
 * A scan small enough to repeat for a later alert within `usageScanMinutes`, once the last one is
 * a minute old: the rate limit is for disks whose scan reads millions of files for minutes, and a
 * note from the scan before can name a folder deleted since.
 */
export const SMALL_SCAN = { entries: 100_000, ms: 2_000, againAfterMs: 60_000 };

/**
 * The last automatic scan of a disk: when it began and ended (on the `now` clock), what it
 * compared, and whether it was small.
 */
interface LastScan {
  at: number;
  ended: number;
  compared: { previous: UsageSnapshot | null; current: UsageSnapshot } | null;
  small: boolean;
}

/**
 * The automatic scan: when a disk enters warning or critical, scan it (at most once per
 * `usageScanMinutes` per disk, unless its scans are small: SMALL_SCAN) and say what grew since its
 * previous snapshot. The scan runs on its own thread (scanner.ts): the transition's own
 * notification and deliveries have already gone out and never wait for it; the note follows them.
 * Within the period, the last scan's note is told again, saying how old it is and leaving out the
 * folders gone since.
 */
export class UsageOnAlert {
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly last = new Map<string, LastScan>();
  private readonly manual = new Map<string, AbortController>();
  /** Notes being told again (see tellAgain): `idle` waits for them too. */
  private readonly telling = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly o: UsageOnAlertOptions) {}

  onTransition(t: Transition): void {
    if (this.stopped || !ALERT_KINDS[t.kind].bytes || !t.reading.ok) return;
    if (t.to !== 'warning' && t.to !== 'critical') return;
    const minutes = this.o.settings().usageScanMinutes;
    if (minutes === null || this.running.has(t.mount)) return;
    const last = this.last.get(t.mount);
    const age = last ? this.o.now() - last.at : Infinity;
    if (age < minutes * 60_000 && !(last!.small && age >= SMALL_SCAN.againAfterMs)) {
      if (!last!.compared) return;
      const telling = this.tellAgain(t.mount, last!)
        .catch((error: unknown) => this.o.onError?.(t.mount, error))
        .finally(() => this.telling.delete(telling));
      this.telling.add(telling);
      return;
    }
    this.scan(t.mount);
  }

  /** The last scan's note for a later alert: with its age, and without the folders gone since. */
  private async tellAgain(mount: string, last: LastScan): Promise<void> {
    // Once the transition is through (its state saved): the note is told as after a scan.
    await new Promise((resolve) => setImmediate(resolve));
    const { previous, current } = last.compared!;
    // Enough candidates that the three named are found among those still there.
    const named = usageNote(previous, current, clock, undefined, 50).growers.map((g) => g.path);
    const gone = new Set<string>();
    await Promise.all(
      named.map((path) =>
        stat(path).catch((error: unknown) => {
          const code = (error as { code?: string }).code;
          if (code === 'ENOENT' || code === 'ENOTDIR') gone.add(path);
        }),
      ),
    );
    const note = usageNote(previous, current, clock, homeDir(), 3, {
      ageMs: this.o.now() - last.ended,
      gone,
    });
    if (note.lines.length > 0 && !this.stopped) this.o.onNote(mount, note);
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
        onWarning: this.o.onWarning,
      });
      // Sized after the scan, not beside it: two scans at once would compete for the same disk.
      const trash = await trashOn(mount, { signal: controller.signal }).catch((error: unknown) => {
        if ((error as { code?: string }).code === 'ABORTED') throw error;
        return null;
      });
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

  /** Resolves when the scans running now have ended, and their notes told (tests, and stop). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()].map((r) => r.done));
    await Promise.all(this.telling);
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
    const done = scanMount(this.o.dir, mount, {
      signal: controller.signal,
      depth: 1,
      top: 1,
      onWarning: this.o.onWarning,
    })
      .then(({ report, complete, previous, snapshot }) => {
        // Told even when the snapshot could not be saved; not when the mount went away meanwhile.
        const compared = complete && snapshot ? { previous, current: snapshot } : null;
        const small =
          report.files + report.dirs <= (this.o.smallScanEntries ?? SMALL_SCAN.entries) &&
          report.finishedAt - report.startedAt <= (this.o.smallScanMs ?? SMALL_SCAN.ms);
        this.last.set(mount, { at: started, ended: this.o.now(), compared, small });
        if (!compared || this.stopped) return;
        const note = usageNote(previous, compared.current, clock, homeDir());
        if (note.lines.length > 0) this.o.onNote(mount, note);
      })
      .catch((error: unknown) => {
        // Cancelled, or the disk gone (the watcher says it is unreachable): nothing to tell.
        const code = (error as { code?: string }).code;
        if (code !== 'ABORTED' && code !== 'ENOENT') this.o.onError?.(mount, error);
        this.last.set(mount, { at: started, ended: this.o.now(), compared: null, small: false });
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
