import { keyframes, type Trace } from './traces.js';

/**
 * Fills of the shapes issue 28 recorded with real programs on a 256 MiB loop-mounted ext4, for the
 * forecast: what it may claim, and what it must name instead. Free space in percent, as the
 * replay traces (test/helpers/traces.ts); no expected notifications — what is announced is the
 * alert's business, these say what the forecast knows.
 */
export type FillTrace = Omit<Trace, 'expected'>;

/**
 * logrotate with copytruncate and compress: a log grows at 2 MB/s for 20 s (40 MB, 15 % of the
 * disk), is copied (free space dips by the log's size for 0.6 s), truncated, and the copy is
 * compressed and the previous archive removed — back where it began. Every 21 s, 8 times.
 */
export const LOGROTATE: FillTrace & { periodSeconds: number; dipPercent: number } = (() => {
  const frames: [number, number][] = [[0, 40]];
  const period = 21;
  for (let t = 10, i = 0; i < 8; i++, t += period)
    frames.push([t, 40], [t + 20, 25.1], [t + 20.2, 10.2], [t + 20.6, 10.2], [t + 20.6, 25.1], [t + 21, 40]);
  return {
    name: 'logrotate copytruncate',
    about:
      'a log growing at 2 MB/s on a 256 MiB disk from 40 % free, copied, truncated and compressed every 21 s',
    durationSeconds: 10 + 8 * period + 20,
    freeAt: keyframes(frames),
    periodSeconds: period,
    dipPercent: 10.2,
  };
})();

/** The second rotation: from then on the cycle has shown itself twice. */
export const LOGROTATE_SECOND_ROTATION = 10 + 21 + 20.6;

/**
 * `git clone` after `git clone` into a 256 MiB disk at 39 % free: each writes 10 MB (4 %) in 3 s,
 * then 3 s go by before the next one writes (resolving, starting up); nine of them, stopping at
 * 3 % free — where the issue saw "full in 4–7 s" that never came.
 */
export const GIT_CLONES: FillTrace & { clones: [number, number] } = (() => {
  const frames: [number, number][] = [[0, 39]];
  let t = 20;
  let free = 39;
  for (let i = 0; i < 9; i++, t += 6) frames.push([t, free], [t + 3, (free -= 4)]);
  return {
    name: 'git clones',
    about: 'nine clones of 10 MB, each written in 3 s with 3 s between them, from 39 % to 3 % free',
    durationSeconds: t + 60,
    freeAt: keyframes([...frames, [t + 60, free]]),
    clones: [20, t - 3],
  };
})();

/**
 * SQLite inserts in a loop of small transactions: a steady fill of ~1 MB/s that slows by 15 % as
 * the B-tree deepens, with the rollback journal (128 KB) there for part of each second — from
 * 60 % free until 3 %.
 */
export const SQLITE_INSERTS: FillTrace = (() => {
  const start = 10;
  const r0 = 0.4; // percent a second
  const k = 0.15 / 160;
  const fill = (u: number) => r0 * (u - (k * u * u) / 2);
  let end = 0;
  while (60 - fill(end) > 3) end += 0.1;
  const journal = (s: number) => (s % 1 < 0.3 ? 0.05 : 0);
  return {
    name: 'SQLite inserts',
    about: 'inserts at ~1 MB/s slowing by 15 %, a 128 KB journal coming and going, from 60 % to 3 % free',
    durationSeconds: start + end + 30,
    freeAt: (s) =>
      s < start ? 60 : 60 - fill(Math.min(s - start, end)) - (s < start + end ? journal(s) : 0),
    steady: [[start, start + end]],
  };
})();
