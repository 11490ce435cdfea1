import { execFile } from 'node:child_process';
import { closeSync, constants, ftruncateSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm, stat, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Why tests that mount filesystems cannot run here, or false when they can (root with mount
 * rights). Tests pass this as `skip` so the reason is printed; CI machines are root and run them.
 */
export const cannotMount: Promise<string | false> = (async () => {
  if (process.platform !== 'linux') return `needs Linux tmpfs (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'needs root to mount a tmpfs';
  const dir = await mkdtemp(join(tmpdir(), 'headroom-probe-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    await run('umount', [dir]);
    return false;
  } catch (error) {
    return `mount -t tmpfs failed: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
})();

/**
 * Grows the file `fd` from `from` to `to` bytes with zeros: tmpfs allocates the pages at once,
 * as fallocate would, and statfs sees it. One write call: the level moves within one turn of
 * the event loop.
 */
export function writeZeros(fd: number, from: number, to: number): void {
  // One buffer of zeros, grown when needed and written over and over: a replay grows its ballast
  // ~40,000 times, and a new zeroed buffer each time was mostly garbage collection.
  if (zeroes.length < to - from) zeroes = Buffer.alloc(to - from);
  for (let at = from; at < to;) at += writeSync(fd, zeroes, 0, to - at, at);
}
let zeroes = Buffer.alloc(0);

/** A real tmpfs of `sizeMiB`, filled by one ballast file to whatever free space a test needs. */
/** statfs's f_type of a tmpfs (linux/magic.h). */
const TMPFS_MAGIC = 0x01021994;

export class Tmpfs {
  private constructor(
    readonly dir: string,
    private readonly options: string,
  ) {}

  static async mount(sizeMiB = 20, extraOptions = ''): Promise<Tmpfs> {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-disk-'));
    const options = `size=${sizeMiB}m${extraOptions ? `,${extraOptions}` : ''}`;
    const fs = new Tmpfs(dir, options);
    await fs.remount();
    return fs;
  }

  /** A tmpfs at `dir`, which exists (a name with characters that need escaping, say). */
  static async mountAt(dir: string, sizeMiB = 20): Promise<Tmpfs> {
    const fs = new Tmpfs(dir, `size=${sizeMiB}m`);
    await fs.remount();
    return fs;
  }

  async remount(): Promise<void> {
    await run('mount', ['-t', 'tmpfs', '-o', this.options, 'tmpfs', this.dir]);
  }

  async unmount(): Promise<void> {
    await run('umount', [this.dir]);
  }

  /** Unmounts if still mounted and removes the mount point. */
  async dispose(): Promise<void> {
    // A process killed with -9 leaves its usage scanner to notice a moment later, inside the disk:
    // detach the mount then (lazily) rather than fail, or delete what is still mounted.
    await run('umount', [this.dir]).catch(() => run('umount', ['-l', this.dir]).catch(() => {}));
    await rm(this.dir, { recursive: true, force: true });
  }

  get ballast(): string {
    return join(this.dir, 'ballast');
  }

  /**
   * Grows or shrinks the ballast in place so free space is `percent` of the disk. Never deletes
   * first: a watcher sampling mid-way must not see a moment of empty disk.
   *
   * `inProcess`: no process started (a test that flips a disk hundreds of times would spend most
   * of its time starting fallocate): zeros written, and ftruncate. Only for a test whose watcher
   * samples between changes, never during one: a write of megabytes takes longer than fallocate,
   * and a watcher in another process reading meanwhile could see a level between the two.
   */
  async setFreePercent(percent: number, { inProcess = false } = {}): Promise<void> {
    const s = await this.ownStatfs();
    const total = s.blocks * s.bsize;
    const currentUsed = (s.blocks - s.bfree) * s.bsize;
    const ballast = await stat(this.ballast).then(
      (f) => f.blocks * 512,
      () => 0,
    );
    const otherUsed = currentUsed - ballast;
    const page = s.bsize;
    const target = Math.max(0, Math.round((total * (1 - percent / 100) - otherUsed) / page) * page);
    if (!inProcess) {
      if (target >= ballast) await run('fallocate', ['-l', String(target), this.ballast]);
      else await run('truncate', ['-s', String(target), this.ballast]);
      return;
    }
    const fd = openSync(this.ballast, constants.O_RDWR | constants.O_CREAT, 0o644);
    try {
      if (target < ballast) ftruncateSync(fd, target);
      else writeZeros(fd, ballast, target);
    } finally {
      closeSync(fd);
    }
  }

  /** Fills every last block (dd stops at ENOSPC); `empty()` undoes it. */
  async fill(): Promise<void> {
    await this.ownStatfs();
    await run('dd', ['if=/dev/zero', `of=${join(this.dir, 'filler')}`, 'bs=4k']).catch(() => {});
  }

  async empty(): Promise<void> {
    await rm(join(this.dir, 'filler'), { force: true });
  }

  /** Grows the ballast by `bytes`: one step of a steady fill. */
  async grow(bytes: number): Promise<void> {
    await this.ownStatfs();
    const current = await stat(this.ballast).then(
      (f) => f.size,
      () => 0,
    );
    await run('fallocate', ['-l', String(Math.round((current + bytes) / 4096) * 4096), this.ballast]);
  }

  /**
   * statfs of the tmpfs, refusing to go on once it is not mounted any more: the folder left
   * behind is on the disk under it, and filling "to 5 % free" there once asked fallocate for
   * 200 GB of the machine's own disk (a test that timed out while a helper kept going).
   */
  private async ownStatfs() {
    const s = await statfs(this.dir);
    if (s.type !== TMPFS_MAGIC)
      throw new Error(
        `${this.dir} is not a tmpfs any more (unmounted?): nothing is written to the disk under it`,
      );
    return s;
  }

  async freePercent(): Promise<number> {
    const s = await statfs(this.dir);
    return (s.bavail / (s.blocks - s.bfree + s.bavail)) * 100;
  }
}
