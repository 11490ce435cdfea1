import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePercentOf } from '../../shared/disk.js';

const run = promisify(execFile);

/** What statfs says of a disk, computed as the watcher and `df` do. */
export interface Truth {
  at: number;
  available: number;
  freePercent: number;
}

export async function readTruth(dir: string): Promise<Truth> {
  const s = await statfs(dir);
  const used = (s.blocks - s.bfree) * s.bsize;
  const available = s.bavail * s.bsize;
  return { at: Date.now(), available, freePercent: freePercentOf(used, available) };
}

/**
 * A fresh ext4 image loop-mounted under /tmp, the way a user's small disk behaves with real
 * programs (delayed allocation, journal, block groups), which a tmpfs filled with fallocate does
 * not. `dir` is the mount point; `scratch` a directory beside the image, off the disk, for inputs.
 */
export class LoopExt4 {
  private constructor(
    readonly root: string,
    readonly dir: string,
  ) {}

  static async mount(sizeMiB: number): Promise<LoopExt4> {
    const root = await mkdtemp(join(tmpdir(), 'headroom-bench-ext4-'));
    const image = join(root, 'img');
    const dir = join(root, 'mnt');
    await mkdir(dir);
    const disk = new LoopExt4(root, dir);
    try {
      await run('truncate', ['-s', `${sizeMiB}M`, image]);
      await run('mkfs.ext4', ['-q', '-F', '-m', '0', image]);
      await run('mount', ['-o', 'loop', image, dir]);
    } catch (error) {
      await disk.dispose();
      throw error;
    }
    return disk;
  }

  /** A file on the disk that holds it at `percent` free (fallocate: no data written, at once). */
  async ballastTo(percent: number): Promise<void> {
    const s = await statfs(this.dir);
    const usable = (s.blocks - s.bfree + s.bavail) * s.bsize;
    const bytes = Math.max(0, s.bavail * s.bsize - (usable * percent) / 100);
    const ballast = join(this.dir, `ballast-${Date.now()}`);
    await run('fallocate', ['-l', String(Math.floor(bytes / 4096) * 4096), ballast]);
  }

  /** Unmounts (lazily if something still holds it) and deletes the image; safe to call twice. */
  async dispose(): Promise<void> {
    await run('umount', [this.dir]).catch(() => run('umount', ['-l', this.dir]).catch(() => {}));
    await rm(this.root, { recursive: true, force: true });
  }
}
