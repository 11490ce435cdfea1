import assert from 'node:assert/strict';
import { after, before, describe, it } from '../helpers/node-test.js';
import { openRuntime } from '../../core/runtime.js';
import { SampleStore } from '../../core/sample-store.js';
import { Watcher } from '../../core/watcher.js';
import { FORECAST, forecast } from '../../shared/forecast.js';
import { tempHome } from '../helpers/cli.js';
import { replay, type ReplayResult } from '../helpers/replay.js';
import { assertReported } from '../helpers/report.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';
import { TRACES, type Trace } from '../helpers/traces.js';

/** The trace's own rate of fill at `s` seconds, in percent a second (positive: filling). */
const rateAt = (trace: Trace, s: number) => trace.freeAt(s - 1) - trace.freeAt(s);

/** When free space first goes below `percent` at or after `from` seconds (to 0.1 s), if it does. */
function firstBelow(trace: Trace, percent: number, from: number): number | null {
  for (let s = from; s <= trace.durationSeconds; s += 0.1) if (trace.freeAt(s) < percent) return s;
  return null;
}

/**
 * What every forecast the views showed must be: a time only for a fill, never 0 s or past; no
 * time to a threshold the disk is already past; within 20 % of the true time to full wherever
 * the trace fills steadily and the forecast claims to know (and some time, where the fill lasts);
 * and no time 10 s after a fill stops.
 */
function checkForecasts(r: ReplayResult): void {
  for (const { at, forecast: f, state } of r.shown) {
    const times = [f.secondsToWarning, f.secondsToCritical, f.secondsToFull];
    if (f.status !== 'filling')
      assert.deepEqual(times, [null, null, null], `${at} s: a time while ${f.status}`);
    for (const t of times) assert.ok(t === null || t > 0, `${at} s: a time of ${t} s`);
    if (state !== 'ok') assert.equal(f.secondsToWarning, null, `${at} s: time to warning while in ${state}`);
    if (state === 'critical') assert.equal(f.secondsToCritical, null);
  }
  for (const [start, end] of r.trace.steady ?? []) {
    const during = r.shown.filter((s) => s.at > start && s.at < end && s.forecast.secondsToFull !== null);
    // A fill over within seconds (a small disk filled fast) ends before it has been followed
    // long enough for a time; one that lasts gets times.
    if (end - start >= (3 * FORECAST.trendMinMs) / 1000)
      assert.ok(during.length > 0, 'the forecast gave times during the steady fill');
    for (const { at, free, forecast: f } of during) {
      const truth = free / rateAt(r.trace, at);
      const error = Math.abs(f.secondsToFull! - truth) / truth;
      assert.ok(
        error <= 0.2,
        `${at} s: full in ${f.secondsToFull!.toFixed(0)} s, truly ${truth.toFixed(0)} s`,
      );
    }
    const after = r.shown.filter((s) => s.at >= end + 10 && s.at <= end + 20);
    for (const { at, forecast: f } of after)
      assert.equal(f.secondsToFull, null, `${at} s: the fill stopped at ${end.toFixed(0)} s`);
  }
}

describe('replayed disk traces: what on-call is told', { skip: await cannotMount }, () => {
  let pki: TestPki;
  let replayed = 0;
  before(async () => {
    pki = await makePki();
  });

  for (const trace of TRACES) {
    it(`${trace.name}: ${trace.expected.join(', ') || 'nothing'} (${trace.about})`, async () => {
      const r = await replay(trace, { pki });
      assert.deepEqual(
        r.heard.map((h) => h.kind),
        trace.expected,
        r.heard.map((h) => `${h.at.toFixed(1)} s ${h.message}`).join('\n'),
      );
      checkForecasts(r);
      for (const h of r.heard) {
        // Never rounded across a threshold ("20.0%" in a warning at 19.99 %).
        if (h.kind === 'warning') assert.doesNotMatch(h.message, / 20\.0% free/);
        if (h.kind === 'critical') assert.doesNotMatch(h.message, / 10\.0% free/);
        if (h.kind === 'clear')
          assert.doesNotMatch(h.info, /at this rate/i, 'an all-clear carries no forecast');
      }
      const predicted = r.transitions.find((t) => t.predicted);
      if (predicted) {
        // The lead time it claimed (from the same forecast the views showed, the first time they
        // showed it after the prediction: the claim may have been made at that very reading, the
        // first whose evidence reached that far) against the truth.
        const shown = r.shown.find((s) => s.at >= predicted.at)!;
        const claim = shown.forecast.secondsToCritical!;
        const truth = firstBelow(trace, 10, shown.at)! - shown.at;
        assert.ok(
          Math.abs(claim - truth) / truth <= 0.2,
          `claimed ${claim.toFixed(0)} s, truly ${truth.toFixed(0)} s`,
        );
        const warned = firstBelow(trace, 20, 0)!;
        assert.ok(predicted.at < warned, 'the predictive warning came before the threshold was crossed');
      }
      // A crossing is announced once it has held for the confirmation time (and half a second
      // more for the readings), unless a steady fill would take the disk to the next level within
      // that time: then at the reading that shows it. (A warning of bursts, which may come back
      // above the threshold between them, is timed only by its sequence above.)
      const confirmS = trace.settings?.confirmSeconds ?? 3;
      for (const [state, threshold, next] of [
        ['warning', 20, 10],
        ['critical', 10, 1],
      ] as const) {
        const told = r.transitions.find((t) => t.to === state);
        const crossed = firstBelow(trace, threshold, 0);
        if (!told || crossed === null) continue;
        const steady = trace.steady?.some(([from, to]) => from <= crossed && crossed <= to);
        if (state === 'warning' && !steady) continue;
        const outruns = steady && threshold - rateAt(trace, crossed) * confirmS <= next;
        const allowed = outruns ? 1 : confirmS + 0.5;
        assert.ok(
          told.at - crossed < allowed,
          `${state} ${(told.at - crossed).toFixed(1)} s after the crossing (allowed ${allowed} s)`,
        );
      }
      replayed++;
    });
  }

  after(() => {
    if (replayed === TRACES.length)
      assertReported('Disk traces replayed on a virtual clock', replayed, { traces: TRACES.length });
  });

  it('check quotes the forecast the watcher showed, from the points it saved', async () => {
    const disk = await Tmpfs.mount(32);
    let clock = Date.now() - 60_000;
    const runtime = openRuntime(await tempHome(), { now: () => clock });
    try {
      const mount = { mount: disk.dir, fs: 'tmpfs', type: 'tmpfs' };
      const watcher = new Watcher(runtime, { only: [mount], now: () => clock });
      await disk.setFreePercent(60);
      for (let i = 0; i <= 40; i++) {
        await disk.setFreePercent(60 - i * 0.5); // 0.5 % a second
        if (i === 0) await watcher.checkNow();
        else await watcher.monitor.readMounts([mount]);
        clock += 1000;
      }
      await watcher.checkNow(); // a full sample saves the points
      const shown = watcher.disks()[0]!.forecast;
      assert.equal(shown.status, 'filling');
      const saved = new SampleStore(runtime.dir).all()[disk.dir]!;
      assert.deepEqual(forecast(saved, { warningPercent: 20, criticalPercent: 10 }), shown);
    } finally {
      await runtime.close();
      await disk.dispose();
    }
  });
});
