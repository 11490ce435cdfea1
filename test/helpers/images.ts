import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Why AppImage-style mounts cannot be made here (Debian: `squashfuse squashfs-tools`), or false. */
export const cannotMountImages: Promise<string | false> = (async () => {
  for (const tool of ['squashfuse', 'mksquashfs'])
    if (
      !(await run('which', [tool]).then(
        () => true,
        () => false,
      ))
    )
      return `needs ${tool} (apt-get install squashfuse squashfs-tools)`;
  return false;
})();

/** Unmounts `dir` if it is mounted (lazily if busy), then removes `base`. */
async function release(dir: string, base: string): Promise<void> {
  await run('umount', [dir]).catch(() => run('umount', ['-l', dir]).catch(() => {}));
  await rm(base, { recursive: true, force: true });
}

/**
 * A real ext4 image, loop-mounted under /tmp: a disk as a USB stick or another job's scratch
 * mount is, which discovery finds (a tmpfs it skips). `-m 0`: no blocks reserved for root.
 */
export class LoopDisk {
  private constructor(
    private readonly base: string,
    readonly dir: string,
  ) {}

  static async create(sizeMiB = 32): Promise<LoopDisk> {
    const base = await mkdtemp(join(tmpdir(), 'headroom-t28-loop-'));
    const disk = new LoopDisk(base, join(base, 'mnt'));
    try {
      await mkdir(disk.dir);
      await run('truncate', ['-s', `${sizeMiB}M`, disk.image]);
      await run('mkfs.ext4', ['-q', '-F', '-m', '0', disk.image]);
      return disk;
    } catch (error) {
      await disk.dispose();
      throw error;
    }
  }

  /**
   * A disk filled to `usedPercent`, then mounted afresh with `options` (`loop,ro`: read-only from
   * the start), its removal registered with `closeLater` before anything can fail.
   */
  static async filled(
    usedPercent: number,
    closeLater: (close: () => Promise<void>) => void,
    options = 'loop',
  ): Promise<LoopDisk> {
    const d = await LoopDisk.create(32);
    closeLater(() => d.dispose());
    await d.mount();
    await d.fillTo(usedPercent);
    await d.unmount();
    await d.mount(options);
    return d;
  }

  get image(): string {
    return join(this.base, 'disk.img');
  }

  async mount(options = 'loop'): Promise<void> {
    await run('mount', ['-o', options, this.image, this.dir]);
  }

  /** The same filesystem, read-only from now on (the device stays: a remount, not a new mount). */
  async remountReadOnly(): Promise<void> {
    await run('mount', ['-o', 'remount,ro', this.dir]);
  }

  async unmount(): Promise<void> {
    await run('umount', [this.dir]);
  }

  /** One more ballast file, so that `percent` of the disk is left free (fallocate: at once, no data). */
  async leaveFree(percent: number): Promise<void> {
    const s = await statfs(this.dir);
    const usable = (s.blocks - s.bfree + s.bavail) * s.bsize;
    const bytes = Math.max(0, s.bavail * s.bsize - (usable * percent) / 100);
    const ballast = join(this.dir, `ballast-${Date.now()}`);
    await run('fallocate', ['-l', String(Math.floor(bytes / 4096) * 4096), ballast]);
  }

  /** Writes a ballast so that `percent` of what users can fill is used. */
  async fillTo(percent: number): Promise<void> {
    const s = await statfs(this.dir);
    const usable = (s.blocks - s.bfree + s.bavail) * s.bsize;
    const used = (s.blocks - s.bfree) * s.bsize;
    const bytes = Math.floor((usable * percent) / 100 - used);
    await run('fallocate', ['-l', String(Math.floor(bytes / s.bsize) * s.bsize), join(this.dir, 'ballast')]);
  }

  dispose(): Promise<void> {
    return release(this.dir, this.base);
  }
}

/**
 * A read-only FUSE image mounted as an AppImage mounts itself: `X.AppImage <dir> fuse.X.AppImage
 * ro,…`, 0 bytes available.
 */
export class AppImageMount {
  private constructor(
    private readonly base: string,
    readonly dir: string,
  ) {}

  static async mount(): Promise<AppImageMount> {
    const base = await mkdtemp(join(tmpdir(), 'headroom-t28-appimage-'));
    const image = new AppImageMount(base, join(base, '.mount_Xy1'));
    try {
      await mkdir(join(base, 'src'));
      await mkdir(image.dir);
      await writeFile(join(base, 'src', 'AppRun'), '#!/bin/sh\n');
      await run('mksquashfs', [join(base, 'src'), join(base, 'img'), '-quiet', '-no-progress']);
      const options = 'ro,fsname=X.AppImage,subtype=X.AppImage';
      await run('squashfuse', ['-o', options, join(base, 'img'), image.dir]);
      return image;
    } catch (error) {
      await image.dispose();
      throw error;
    }
  }

  dispose(): Promise<void> {
    return release(this.dir, this.base);
  }
}
