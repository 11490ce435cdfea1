import { runCli } from '../../test/helpers/cli.js';
import type { TestPki } from '../../test/helpers/tls.js';
import { alertRig, sleep } from './alert-rig.js';
import { median } from './stats.js';

/**
 * Crossing → delivered: a tmpfs filled at a steady rate (or in one jump) past 20% and 10% free
 * while `headroom watch` runs with default settings and a webhook integration; the delay runs
 * from the moment the write that crossed a threshold completed to the receiver's arrival stamp.
 * Jumps: from a calm 50% to 15% (warning) with the default confirmation and with
 * `confirmSeconds=0`, and to 8% (critical) with the disk filling on after it, with the default:
 * a jump is confirmed like any crossing that is not a steady fill. Without `confirmedJumps`, the
 * two jumps that wait out the confirmation are left out (the usage section's rerun: ~10 s less).
 */
export async function crossingBench(pki: TestPki, trials: number, { confirmedJumps = true } = {}) {
  const rig = await alertRig(pki, 128);
  const { disk } = rig;

  // The warning is the run's first alert, the critical its second: a cost paid by a first delivery
  // only (a module loaded, a scan forked beside the send) shows in the first and hides in a median
  // of both, as it did (113 ms for both here, 233–347 ms for a first warning measured outside).
  const steadyWarning: number[] = [];
  const steadyCritical: number[] = [];
  const jump: number[] = [];
  const jumpUnconfirmed: number[] = [];
  const jumpCritical: number[] = [];
  const confirm = async (seconds: number) => {
    const set = await runCli(['settings', 'set', `confirmSeconds=${seconds}`], rig.home);
    if (set.code !== 0) throw new Error(set.stderr);
  };
  try {
    for (let t = 0; t < trials; t++) {
      await rig.restartCalm();
      // ~8 MB/s: 0.4 MB every 50 ms.
      const crossed: Record<string, number> = {};
      let free = await disk.freePercent();
      while (free > 8) {
        await disk.grow(0.4 * 1024 * 1024);
        free = await disk.freePercent();
        const now = Date.now();
        if (free < 20 && !crossed.warning) crossed.warning = now;
        if (free < 10 && !crossed.critical) crossed.critical = now;
        await sleep(50);
      }
      steadyWarning.push((await rig.arrivalOf({ severity: 'warning' }, crossed.warning!)) - crossed.warning!);
      steadyCritical.push(
        (await rig.arrivalOf({ severity: 'critical' }, crossed.critical!)) - crossed.critical!,
      );

      // A sudden jump from a calm disk straight to 15% free: confirmed for confirmSeconds (3 s)…
      const jumps: [number, number[]][] = [[0, jumpUnconfirmed]];
      if (confirmedJumps) jumps.unshift([3, jump]);
      for (const [seconds, into] of jumps) {
        await confirm(seconds);
        await rig.restartCalm();
        await disk.setFreePercent(15);
        const at = Date.now();
        into.push((await rig.arrivalOf({ severity: 'warning' }, at)) - at);
      }
      await confirm(3);
      if (!confirmedJumps) continue;

      // …and so is a jump straight into critical, the disk still filling after it.
      await rig.restartCalm();
      await disk.setFreePercent(8);
      const at = Date.now();
      let filling = true;
      const fill = (async () => {
        while (filling) {
          await disk.grow(64 * 1024);
          await sleep(100);
        }
      })();
      try {
        jumpCritical.push((await rig.arrivalOf({ severity: 'critical' }, at)) - at);
      } finally {
        filling = false;
        await fill;
      }
    }
  } finally {
    await rig.dispose();
  }
  return {
    steadyWarningMedianMs: median(steadyWarning),
    steadyWarning,
    steadyCriticalMedianMs: median(steadyCritical),
    steadyCritical,
    jumpMedianMs: median(jump),
    jump,
    jumpUnconfirmedMedianMs: median(jumpUnconfirmed),
    jumpUnconfirmed,
    jumpCriticalMedianMs: median(jumpCritical),
    jumpCritical,
  };
}
