import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { ALERT_KIND_NAMES } from '../../shared/alert-kinds.js';
import { MOUNT_STATES } from '../../shared/disk.js';
import type { AlertEvent } from '../../shared/event.js';
import { describeErrors, parseWith } from '../../shared/validation.js';
import { replaceFile } from '../fs/durable-file.js';
import { isIoError, readFailed, writeFailed, writeSucceeded } from '../fs/storage-health.js';
import type { StoreWarning } from '../json-store.js';

export interface OutboxEntry {
  /** The delivery id, also the event id (idempotency key). */
  id: string;
  /** Sorts entries in the order they were written: per integration, deliveries go out in this order. */
  seq: string;
  integrationId: string;
  event: AlertEvent;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  /**
   * Read from the entry's mark (see `markSending`): it was being sent when the process stopped,
   * so the receiver may have it already.
   */
  sendingSince?: number;
}

const entrySchema = z.object({
  id: z.string(),
  seq: z.string(),
  integrationId: z.string(),
  // What the dispatcher and every channel rely on; the rest is the channels' to render.
  event: z.looseObject({
    id: z.string(),
    host: z.string(),
    mount: z.string(),
    kind: z.enum(ALERT_KIND_NAMES),
    from: z.enum(MOUNT_STATES),
    to: z.enum(MOUNT_STATES),
    at: z.number(),
  }),
  createdAt: z.number(),
  attempts: z.number(),
  nextAttemptAt: z.number(),
});

/**
 * Deliveries not yet finished, one durable file each in `outbox/`: written before the first
 * attempt, rewritten after each failed one, deleted when the delivery ends. Whatever is here after
 * a crash (kill -9, power loss) is sent on the next start.
 */
export class Outbox {
  readonly dir: string;
  private counter = 0;

  constructor(
    dataDir: string,
    private readonly onCorrupt: (w: StoreWarning) => void = () => {},
  ) {
    this.dir = join(dataDir, 'outbox');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** A sortable sequence: time, then a counter, then the pid (two writers never collide). */
  nextSeq(now: number): string {
    this.counter = (this.counter + 1) % 1e6;
    return `${String(now).padStart(15, '0')}-${String(this.counter).padStart(6, '0')}-${process.pid}`;
  }

  /**
   * Writes the entry before any send: once this returns it survives a killed process and its
   * data is on the disk (fsync before the rename); the folder's fsync finishes while the first
   * attempt is already on its way.
   */
  put(entry: OutboxEntry): void {
    this.write(() => replaceFile(this.path(entry), JSON.stringify(entry), 'background'));
  }

  /**
   * When the data directory's disk is full the entry cannot be written: the delivery still goes
   * out from memory (only a crash meanwhile could lose it), and the failure is reported once.
   */
  private write(work: () => Promise<void>): void {
    try {
      void work().catch((error) => writeFailed(this.dir, error));
      writeSucceeded(this.dir);
    } catch (error) {
      writeFailed(this.dir, error);
    }
  }

  /**
   * Keeps a delivery that failed for good in `outbox/failed/`, so that "Retry" can send the very
   * same event again. Only the newest `keepFailed` are kept.
   */
  retire(entry: OutboxEntry, keepFailed = 1000): void {
    this.write(() => {
      mkdirSync(this.failedDir, { recursive: true, mode: 0o700 });
      return replaceFile(join(this.failedDir, `${entry.seq}_${entry.id}.json`), JSON.stringify(entry));
    });
    this.remove(entry);
    try {
      const failed = readdirSync(this.failedDir)
        .filter((n) => n.endsWith('.json'))
        .sort();
      for (const name of failed.slice(0, Math.max(0, failed.length - keepFailed)))
        rmSync(join(this.failedDir, name), { force: true });
    } catch (error) {
      // Pruning is housekeeping: out of open files, it waits for the next retirement.
      writeFailed(this.failedDir, error);
    }
  }

  /** Takes a failed delivery back out of `outbox/failed/`, or undefined if it is not kept. */
  takeBack(id: string): OutboxEntry | undefined {
    if (!existsSync(this.failedDir)) return undefined;
    const name = readdirSync(this.failedDir).find((n) => n.endsWith(`_${id}.json`));
    if (!name) return undefined;
    const file = join(this.failedDir, name);
    const entry = entrySchema.parse(JSON.parse(readFileSync(file, 'utf8'))) as unknown as OutboxEntry;
    rmSync(file, { force: true });
    return entry;
  }

  private get failedDir(): string {
    return join(this.dir, 'failed');
  }

  /** No fsync: an entry whose removal a power cut undoes is sent again (at least once), not lost. */
  remove(entry: OutboxEntry): void {
    this.clearSending(entry);
    try {
      unlinkSync(this.path(entry));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  /**
   * Marks the entry as being sent, before its request goes out: an empty file beside it, which a
   * killed process leaves behind (see `sendingSince`). Not fsynced: marking and clearing cost
   * 0.05 ms on ext4, where an fsynced rewrite of the entry costs 4 ms, at every attempt. A mark
   * that a power cut undoes, or that a full disk refuses, only lets the delivery be sent again
   * unmarked, as before marks existed — never lost.
   */
  markSending(entry: OutboxEntry): void {
    try {
      writeFileSync(this.markPath(entry), '', { mode: 0o600 });
    } catch (error) {
      writeFailed(this.dir, error);
    }
  }

  /** The answer came (or the delivery ended): the receiver's copy is accounted for. */
  clearSending(entry: OutboxEntry): void {
    rmSync(this.markPath(entry), { force: true });
  }

  /** Every pending entry, oldest first. A file that cannot be read is set aside, not deleted. */
  list(): OutboxEntry[] {
    const entries: OutboxEntry[] = [];
    for (const name of readdirSync(this.dir).sort()) {
      const file = join(this.dir, name);
      if (!name.endsWith('.json')) continue; // also skips failed/ and temp files
      try {
        const parsed = parseWith(entrySchema, JSON.parse(readFileSync(file, 'utf8')));
        if (!parsed.ok) throw new Error(describeErrors(parsed.errors));
        const entry = parsed.value as unknown as OutboxEntry;
        const mark = statSync(this.markPath(entry), { throwIfNoEntry: false });
        if (mark) entry.sendingSince = mark.mtimeMs;
        entries.push(entry);
      } catch (error) {
        // Not readable now (out of open files, say) is not corrupt: it is read at the next listing.
        if (isIoError(error)) {
          readFailed(file, error);
          continue;
        }
        const movedTo = `${file}.corrupt`;
        renameSync(file, movedTo);
        const reason = (error as Error).message;
        this.onCorrupt({ file, movedTo, reason, instead: 'the delivery it held is not sent' });
      }
    }
    return entries;
  }

  private path(entry: Pick<OutboxEntry, 'seq' | 'id'>): string {
    return join(this.dir, `${entry.seq}_${entry.id}.json`);
  }

  private markPath(entry: Pick<OutboxEntry, 'seq' | 'id'>): string {
    return join(this.dir, `${entry.seq}_${entry.id}.sending`);
  }
}
