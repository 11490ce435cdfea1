import type { StatsFsBase } from 'node:fs';
import { freePercentOf, type MountInfo, type Reading } from '../shared/disk.js';
import { fsPath } from './fs/path-bytes.js';
import { stat, statfs } from './fs/promised.js';
import { lookupMount } from './mount-table.js';
import { Timeout, withTimeout } from './with-timeout.js';

/**
 * Reads known mounts with `statfs`: ~0.03 ms a mount, against ~7 ms for a systeminformation call
 * that spawns `df` (measured, see STACK-NOTES). Each read is bounded by a timeout, so a stale
 * network mount reports `unreachable` instead of blocking the others.
 */
export class Sampler {
  /**
   * Each mount's device id and table entry when last seen mounted (a new device id means it was
   * unmounted or replaced), and the shape of its filesystem then (see `reread`).
   */
  private readonly known = new Map<string, { dev: number; info: MountInfo; shape?: string }>();
  /** Mounts seen mounted since start: "gone" is said only of those, "not mounted" of the rest. */
  private readonly seen = new Set<string>();
  /** A statfs stuck in the kernel keeps a libuv thread; never start a second one on that mount. */
  private readonly hung = new Map<string, Promise<unknown>>();

  constructor(
    private readonly timeoutMs: number,
    /** The filesystem calls; replaceable so a test can stand in for a hung network mount. */
    private readonly fs: { stat: typeof stat; statfs: typeof statfs } = { stat, statfs },
  ) {}

  /** Mounts an earlier run saw mounted (from saved state): losing one of those is "gone". */
  remember(mounts: Iterable<string>): this {
    for (const m of mounts) this.seen.add(m);
    return this;
  }

  async read(info: MountInfo, now: () => number = Date.now): Promise<Reading> {
    return (await this.bounded(info, now, false)).reading;
  }

  /**
   * A re-read between full samples (a disk in alert is re-read every 700 ms): `statfs` alone,
   * while the filesystem has the shape it had at the last checked read, rather than `stat` and
   * `statfs` — each a thread-pool round trip, which is most of what a re-read costs. Else, or at
   * first sight, the device is checked as `read` does. A mount that vanished reads as the
   * filesystem beneath it, which can have the same shape (a tmpfs of the same size), so a caller
   * must `read` again before it believes a change in what `deviceChecked: false` reports.
   */
  reread(
    info: MountInfo,
    now: () => number = Date.now,
  ): Promise<{ reading: Reading; deviceChecked: boolean }> {
    return this.bounded(info, now, true);
  }

  private async bounded(
    info: MountInfo,
    now: () => number,
    quick: boolean,
  ): Promise<{ reading: Reading; deviceChecked: boolean }> {
    const unreachable = (reason: string) => ({
      reading: { ok: false, mount: info, reason, at: now() } as const,
      deviceChecked: true,
    });
    const stuck = this.hung.get(info.mount);
    if (stuck) return unreachable(`still not answering (read timed out after ${this.timeoutMs} ms)`);
    const work = this.measure(info, now, quick);
    try {
      return await withTimeout(work, this.timeoutMs);
    } catch (error) {
      if (error instanceof Timeout) {
        const pending = work.catch(() => undefined).finally(() => this.hung.delete(info.mount));
        this.hung.set(info.mount, pending);
        return unreachable(`did not answer within ${this.timeoutMs} ms`);
      }
      return unreachable(describeFsError(error, this.seen.has(info.mount)));
    }
  }

  private async measure(
    info: MountInfo,
    now: () => number,
    quick: boolean,
  ): Promise<{ reading: Reading; deviceChecked: boolean }> {
    const before = quick ? this.known.get(info.mount) : undefined;
    if (before?.shape !== undefined) {
      const s = await this.fs.statfs(fsPath(info.mount), { bigint: true });
      if (shapeOf(s) === before.shape)
        return { reading: readingOf(asListed(before.info, info), s, now), deviceChecked: false };
    }
    // A path that is not UTF-8 reaches the kernel as its bytes (see fsPath).
    const { dev } = await this.fs.stat(fsPath(info.mount));
    let known = this.known.get(info.mount);
    if (known?.dev !== dev) {
      // First sight, or the device changed: only a real mount point counts, else the figures
      // would be those of the parent filesystem the empty directory sits on.
      const mounted = await lookupMount(info.mount);
      if (!mounted) {
        this.known.delete(info.mount);
        const reason = this.seen.has(info.mount)
          ? 'not mounted'
          : 'never seen mounted: nothing is mounted there';
        return { reading: { ok: false, mount: info, reason, at: now() }, deviceChecked: true };
      }
      known = { dev, info: { ...mounted, mount: info.mount } };
      this.known.set(info.mount, known);
      this.seen.add(info.mount);
    }
    const s = await this.fs.statfs(fsPath(info.mount), { bigint: true });
    known.shape = shapeOf(s);
    return { reading: readingOf(asListed(known.info, info), s, now), deviceChecked: true };
  }
}

/**
 * The table entry as looked up when the device was last checked, read-only or not as the caller's
 * list says now: a remount changes that and keeps the device.
 */
function asListed(known: MountInfo, listed: MountInfo): MountInfo {
  const { readOnly: _, ...entry } = known;
  return listed.readOnly ? { ...entry, readOnly: true } : entry;
}

/**
 * What a filesystem keeps while it stays mounted: its type, block size and totals. A statfs of
 * another shape is of another filesystem (or the same one resized), and worth a device check.
 */
function shapeOf(s: StatsFsBase<bigint>): string {
  return `${s.type}:${s.bsize}:${s.blocks}:${s.files}`;
}

function readingOf(info: MountInfo, s: StatsFsBase<bigint>, now: () => number): Reading {
  // Node reports f_bsize, which equals the fragment size df uses on Linux, macOS and Windows.
  const bytes = (blocks: bigint) => Number(blocks * s.bsize);
  const used = bytes(s.blocks - s.bfree);
  const available = bytes(s.bavail);
  return {
    ok: true,
    sample: {
      ...info,
      size: bytes(s.blocks),
      used,
      available,
      freePercent: freePercentOf(used, available),
      ...(s.files > 0n
        ? {
            inodes: {
              total: Number(s.files),
              free: Number(s.ffree),
              freePercent: (Number(s.ffree) / Number(s.files)) * 100,
            },
          }
        : {}),
      at: now(),
    },
  };
}

function describeFsError(error: unknown, seen: boolean): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return seen ? 'mount point no longer exists' : 'never seen mounted: no such directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied reading the mount';
    case 'EIO':
    case 'ESTALE':
      return `input/output error (${code}): the device or network share is gone`;
    default:
      return code ? `cannot read the mount (${code})` : String(error);
  }
}
