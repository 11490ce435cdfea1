import { rm } from 'node:fs/promises';
import type { TestPki } from '../../test/helpers/tls.js';
import { alertRig, sleep } from './alert-rig.js';
import { median } from './stats.js';

/**
 * All-clear latency: a 64 MB tmpfs jumps into warning (15% free) or critical (5%) under `headroom
 * watch` with a webhook integration; once that alert has arrived, the ballast is deleted and the
 * delay runs from the completed unlink to the arrival of the all-clear (`to: ok`). With
 * `confirmSeconds=0`: what is timed is how soon a re-read sees the freed space, not the 3 s a
 * change waits by default to be confirmed (issue 17), which would add exactly that.
 */
export async function allClearBench(pki: TestPki, trials: number) {
  const rig = await alertRig(pki, 64, ['confirmSeconds=0']);
  const intoAlert: number[] = [];
  const fromWarning: number[] = [];
  const fromCritical: number[] = [];
  try {
    for (const [level, free, into] of [
      ['warning', 15, fromWarning],
      ['critical', 5, fromCritical],
    ] as const) {
      // A watcher sends four changes within the hour before it holds the next as flapping. A
      // cycle is two, or three when the watcher reads the disk on its way through warning
      // (fallocate fills a tmpfs page by page).
      const cycle = level === 'critical' ? 3 : 2;
      for (let t = 0; t < 2 * trials; t++) {
        if (!rig.watcher || rig.watcher.transitions().length + cycle > 4) await rig.restart();
        await rig.disk.setFreePercent(free);
        const crossed = Date.now();
        intoAlert.push((await rig.arrivalOf({ to: level }, crossed)) - crossed);
        // Freed at a random moment of the re-read cadence (700 ms in alert), not in step with it.
        await sleep(500 + Math.random() * 700);
        await rm(rig.disk.ballast);
        const freed = Date.now();
        into.push((await rig.arrivalOf({ to: 'ok' }, freed)) - freed);
        await sleep(300);
      }
    }
  } finally {
    await rig.dispose();
  }
  return {
    intoAlertMedianMs: median(intoAlert),
    fromWarningMedianMs: median(fromWarning),
    fromCriticalMedianMs: median(fromCritical),
    fromWarning,
    fromCritical,
  };
}
