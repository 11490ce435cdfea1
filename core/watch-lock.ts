import { join } from 'node:path';
import { formatTime } from '../shared/format.js';
import { createExclusive, holderOf, unlinkQuietly, withFileLock } from './fs/file-lock.js';
import { ownIdentity, stillRunning } from './fs/process-identity.js';

export interface LockHolder {
  pid: number;
  /** When that process started (Linux): a later process given the same pid is not the holder. */
  start?: number | null;
  /** Who watches: the desktop app or `headroom watch`. */
  by: 'app' | 'cli';
  since: number;
}

/**
 * One watcher per data directory: two would sample the same disks and send every alert twice.
 * The lock is a file created exclusively; one left by a process that died is taken over.
 */
export class WatchLock {
  private readonly file: string;
  private held = false;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'watcher.lock');
  }

  /**
   * Takes the lock, or returns who holds it. One process at a time (a file lock beside it): between
   * judging a lock stale and removing it, another watcher starting at the same moment could take
   * it over, and its fresh lock would go instead — two watchers then ran, sending every alert
   * twice (six started at once over a stale lock, 1 round in 40 beside a busy CPU).
   */
  acquire(by: LockHolder['by']): { ok: true } | { ok: false; holder: LockHolder } {
    return withFileLock(this.file, () => {
      const take = () =>
        createExclusive(this.file, { ...ownIdentity(), by, since: Date.now() } satisfies LockHolder);
      if (!take()) {
        const holder = this.holder();
        if (holder && holder.pid !== process.pid && stillRunning(holder)) return { ok: false, holder };
        // Left behind by a watcher that crashed (or unreadable, or its pid now another process's).
        unlinkQuietly(this.file);
        if (!take()) throw new Error(`could not take ${this.file}`);
      }
      this.held = true;
      return { ok: true };
    });
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    unlinkQuietly(this.file);
  }

  holder(): LockHolder | null {
    return holderOf<LockHolder>(this.file) ?? null;
  }
}

export function describeHolder(h: LockHolder, dataDir: string): string {
  const who = h.by === 'app' ? 'the Headroom desktop app' : '`headroom watch`';
  return `${dataDir} is already watched by ${who} (pid ${h.pid}, since ${formatTime(h.since)}). Running a second watcher would send every alert twice; stop that one first, or set HEADROOM_HOME to watch with another data directory.`;
}
