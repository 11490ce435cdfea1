// The workloads bench judges a watcher by these rules; a wrong rule would report a broken watcher
// as sound (or the reverse), so they are checked on small, hand-made truths.
import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import type { Arrival } from '../../scripts/bench/alert-rig.js';
import type { Truth } from '../helpers/truth.js';
import { judgeAlerts, judgeClaims, type Claim } from '../../scripts/bench/workload-score.js';

const limits = { warningPercent: 20, criticalPercent: 10, confirmMs: 3000 };

/** A truth read at 10 Hz from free-space levels held for some seconds each: [[30, 2], [15, 5]]. */
function truthOf(steps: [free: number, seconds: number][]): Truth[] {
  const out: Truth[] = [];
  let at = 0;
  for (const [free, seconds] of steps)
    for (let i = 0; i < seconds * 10; i++, at += 100) out.push({ at, available: free, freePercent: free });
  return out;
}
const told = (at: number, from: string, to: string): Arrival => ({ at, from, to, severity: to });

describe('the workloads bench: judging alerts against the truth', () => {
  it(
    'counts a crossing longer than the confirmation as told, with its delay, and a shorter one as a blip',
    {
      timeout: 5000,
    },
    () => {
      // Warning from 2 s to 7 s (told at 5.4 s); a 1-second dip to critical at 4 s (announced).
      const truth = truthOf([
        [30, 2],
        [15, 2],
        [5, 1],
        [15, 2],
        [30, 3],
      ]);
      const score = judgeAlerts(
        truth,
        [told(4200, 'ok', 'critical'), told(5400, 'critical', 'warning')],
        limits,
      );
      assert.equal(score.warningCrossings, 1);
      assert.equal(score.criticalCrossings, 0);
      assert.equal(score.notified, 1);
      assert.deepEqual(score.latenciesMs, [2200]);
      assert.deepEqual(score.blipsAnnounced, ['critical 1.0 s at 4.0 s']);
    },
  );

  it(
    'reports a crossing nobody was told of as missed, and a silent blip as silent',
    { timeout: 5000 },
    () => {
      const truth = truthOf([
        [30, 1],
        [15, 2],
        [30, 1],
        [5, 5],
        [30, 2],
      ]);
      const score = judgeAlerts(truth, [], limits);
      assert.deepEqual(score.missed, ['warning at 4.0 s', 'critical at 4.0 s']);
      assert.equal(score.blips, 1);
      assert.deepEqual(score.blipsAnnounced, []);
    },
  );

  it('counts a crossing as told when the last message already said as much', { timeout: 5000 }, () => {
    // Critical held since 1 s; a second critical spell after a short rise above 10 % needs no message.
    const truth = truthOf([
      [30, 1],
      [5, 4],
      [12, 1],
      [5, 4],
      [30, 1],
    ]);
    const score = judgeAlerts(truth, [told(1100, 'ok', 'critical')], limits);
    assert.equal(score.criticalCrossings, 2);
    assert.equal(score.notified, 3); // the warning spell and both critical ones
    assert.deepEqual(score.missed, []);
    assert.deepEqual(score.latenciesMs, [100, 100]);
  });
});

describe('the workloads bench: judging forecasts', () => {
  const truth = truthOf([
    [30, 10],
    [5, 5],
  ]); // critical at 10 s
  const claim = (at: number, seconds: number): Claim => ({
    at,
    until: 'critical',
    seconds,
    source: 'metrics',
  });

  it('holds a claim true within ±50 %, false outside it or when its time ran out', { timeout: 5000 }, () => {
    const score = judgeClaims([claim(2000, 8), claim(2000, 3), claim(0, 2)], truth, 'critical', 10, 15_000);
    assert.equal(score.made, 3);
    assert.equal(score.judged, 3);
    assert.equal(score.cameTrue, 1);
  });

  it(
    'leaves out claims made after the event and does not judge those still running',
    { timeout: 5000 },
    () => {
      const neverCritical = truthOf([
        [30, 10],
        [15, 5],
      ]);
      const score = judgeClaims([claim(11_000, 0), claim(12_000, 60)], truth, 'critical', 10, 15_000);
      assert.equal(score.made, 0);
      const running = judgeClaims([claim(12_000, 60), claim(1000, 2)], neverCritical, 'critical', 10, 15_000);
      assert.deepEqual([running.made, running.judged, running.cameTrue], [2, 1, 0]);
    },
  );
});
