import { statfs } from 'node:fs/promises';

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
    const s = await statfs(this.dir).catch(() => null);
    if (s) this.points.push({ at: Date.now(), free: (s.bavail / (s.blocks - s.bfree + s.bavail)) * 100 });
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
