import { statfs } from 'node:fs/promises';
import { freePercentOf } from '../../shared/disk.js';

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
 * The truth about a disk's free space, read with statfs ten times a second (as `df` computes it:
 * available over used + available), to judge what a watcher announced against what happened.
 */
export class TruthSampler {
  readonly points: { at: number; free: number }[] = [];
  private timer?: NodeJS.Timeout;

  private constructor(private readonly dir: string) {}

  static async start(dir: string, everyMs = 100): Promise<TruthSampler> {
    const truth = new TruthSampler(dir);
    await truth.read();
    truth.timer = setInterval(() => void truth.read(), everyMs);
    return truth;
  }

  private async read(): Promise<void> {
    const t = await readTruth(this.dir).catch(() => null);
    if (t) this.points.push({ at: t.at, free: t.freePercent });
  }

  stop(): void {
    clearInterval(this.timer);
  }

  minFree(): number {
    return Math.min(...this.points.map((p) => p.free));
  }

  /** When free space was first seen below `percent` (epoch ms), if ever. */
  firstBelow(percent: number): number | undefined {
    return this.points.find((p) => p.free < percent)?.at;
  }

  /** The longest stretch (seconds) that free space stayed below `percent`, from reading to reading. */
  longestBelow(percent: number): number {
    let longest = 0;
    let since: number | undefined;
    for (const p of this.points) {
      if (p.free < percent) since ??= p.at;
      else if (since !== undefined) {
        longest = Math.max(longest, p.at - since);
        since = undefined;
      }
    }
    if (since !== undefined) longest = Math.max(longest, this.points.at(-1)!.at - since);
    return longest / 1000;
  }
}
