import type { MountState } from './disk.js';
import type { Forecast } from './forecast.js';

/**
 * How soon to re-read a mount between full samples. A threshold can be crossed no faster than
 * the disk can be written, so a mount's distance to its next threshold down, divided by a fast
 * disk's write speed, bounds when the crossing could come; a measured fill rate narrows it
 * further. A mount far from its thresholds and stable gets no extra reads at all. Pure.
 */
export const FAST_DETECTION = {
  /** Writes faster than a fast NVMe drive are not assumed (bytes/s). */
  worstCaseWriteBytesPerSec: 1024 ** 3,
  /** Re-read at least this often when a crossing is imminent. */
  minDelayMs: 100,
  /**
   * A disk in alert is re-read this often, so its all-clear arrives within half a second of the
   * space being freed (median; issue 15) — of its confirmation time, when one is set (issue 17) —
   * while a disk held in alert costs under 0.1 % of a core. On a small VM each wake-up costs
   * ~0.3 ms whatever it does (a bare Node with a 500 ms timer and a statfs: 0.07 %), so the
   * cadence sets the cost: 500 ms measured 0.13 %, 700 ms 0.08 % with a 284 ms median all-clear.
   */
  alertRecheckMs: 700,
  /**
   * A change awaiting confirmation is re-read this often until it is due: a run of short dips
   * (logrotate's copy every second) must show a gap to a reading, or it passes for one long dip.
   * It lasts `confirmSeconds` at most, so its cost does not add up.
   */
  pendingRecheckMs: 250,
  /**
   * A disk whose next re-read is due this soon has the alert path (undici) loaded ahead of its
   * crossing: its 0.1–0.5 s load no longer delays the first alert. Only this soon: at the
   * worst-case write speed almost every disk is re-read within the 5-minute interval, and an idle
   * watcher that loaded it for all of them held ~9 MB more for nothing.
   */
  warmWithinMs: 10_000,
};

export function nextReadDelay(
  reading: { freePercent: number; usable: number } | null,
  state: MountState,
  /** Asked for only where the state needs it: a disk in critical is re-read at a fixed cadence. */
  forecastOf: () => Forecast,
  t: { warningPercent: number; criticalPercent: number },
  fullIntervalMs: number,
): number | null {
  if (!reading || state === 'unreachable') return null;
  if (state === 'critical') return Math.min(FAST_DETECTION.alertRecheckMs, fullIntervalMs);
  // The next threshold below the current reading: warning from ok, critical from warning.
  const target = state === 'ok' ? t.warningPercent : t.criticalPercent;
  const marginBytes = Math.max(0, ((reading.freePercent - target) / 100) * reading.usable);
  let delay = (marginBytes / FAST_DETECTION.worstCaseWriteBytesPerSec) * 1000;
  const f = forecastOf();
  const toNext = state === 'ok' ? f.secondsToWarning : f.secondsToCritical;
  if (toNext !== null) delay = Math.min(delay, (toNext * 1000) / 4);
  if (state === 'warning') delay = Math.min(delay, FAST_DETECTION.alertRecheckMs);
  delay = Math.max(FAST_DETECTION.minDelayMs, delay);
  return delay >= fullIntervalMs ? null : Math.round(delay);
}
