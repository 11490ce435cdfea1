import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { MountState, Reading } from '../../shared/disk.js';
import {
  criticalPredicted,
  DEFAULT_THRESHOLDS,
  evaluate,
  nextState,
  type MountRecord,
  type Transition,
} from '../../shared/hysteresis.js';

const info = { mount: '/data', fs: '/dev/sdb1', type: 'ext4' };
const free = (freePercent: number, at = 0): Reading => ({
  ok: true,
  sample: { ...info, size: 100, used: 100 - freePercent, available: freePercent, freePercent, at },
});
const gone: Reading = { ok: false, mount: info, reason: 'not mounted', at: 0 };

/** Runs readings through the machine as the monitor does; returns the transitions as "from→to". */
function run(readings: Reading[], start?: MountRecord): string[] {
  let record = start;
  const out: string[] = [];
  for (const r of readings) {
    const step = evaluate('/data', record, r, DEFAULT_THRESHOLDS);
    record = step.record;
    if (step.transition) out.push(`${step.transition.from}→${step.transition.to}`);
  }
  return out;
}

describe('hysteresis (20% warning, 10% critical, all-clear above 20%)', () => {
  it('warns when free space drops below 20%, and not at exactly 20%', () => {
    assert.equal(nextState('ok', free(20), DEFAULT_THRESHOLDS), 'ok');
    assert.equal(nextState('ok', free(19.99), DEFAULT_THRESHOLDS), 'warning');
  });

  it('goes critical below 10% from any state', () => {
    for (const prev of ['ok', 'warning', 'critical', 'unreachable'] as MountState[]) {
      assert.equal(nextState(prev, free(9.99), DEFAULT_THRESHOLDS), 'critical', `from ${prev}`);
    }
    assert.equal(nextState('ok', free(10), DEFAULT_THRESHOLDS), 'warning');
  });

  it('steps down from critical to warning when free space rises into 10–20%', () => {
    assert.equal(nextState('critical', free(10), DEFAULT_THRESHOLDS), 'warning');
    assert.equal(nextState('critical', free(15), DEFAULT_THRESHOLDS), 'warning');
    assert.equal(nextState('critical', free(20), DEFAULT_THRESHOLDS), 'warning');
  });

  it('sends the all-clear only once free space is above 20%, not at 20%', () => {
    assert.equal(nextState('warning', free(20), DEFAULT_THRESHOLDS), 'warning');
    assert.equal(nextState('warning', free(20.01), DEFAULT_THRESHOLDS), 'ok');
    assert.equal(nextState('critical', free(50), DEFAULT_THRESHOLDS), 'ok');
  });

  it('emits nothing while a state holds', () => {
    assert.deepEqual(run([free(50), free(40), free(15), free(12), free(18), free(19)]), ['ok→warning']);
  });

  it('announces a disk already low at start-up once, as a move from ok', () => {
    assert.deepEqual(run([free(5), free(5)]), ['ok→critical']);
    assert.deepEqual(run([free(50)]), []);
  });

  it('remembers a persisted state: no repeat after a restart, and the all-clear is still owed', () => {
    const persisted: MountRecord = { state: 'warning', since: 0 };
    assert.deepEqual(run([free(15)], persisted), []);
    assert.deepEqual(run([free(15), free(30)], persisted), ['warning→ok']);
  });

  it('reports a vanished mount as unreachable, and its return as a transition', () => {
    assert.deepEqual(run([free(50), gone, gone, free(50)]), ['ok→unreachable', 'unreachable→ok']);
    assert.deepEqual(run([free(15), gone, free(5)]), [
      'ok→warning',
      'warning→unreachable',
      'unreachable→critical',
    ]);
  });

  it('raises a predicted warning above the thresholds, and clears it when the forecast recovers', () => {
    assert.equal(nextState('ok', free(45), DEFAULT_THRESHOLDS, true), 'warning');
    assert.equal(nextState('warning', free(45), DEFAULT_THRESHOLDS, false), 'ok');
    assert.equal(nextState('ok', free(5), DEFAULT_THRESHOLDS, true), 'critical', 'a real crossing wins');
    const step = evaluate('/data', undefined, free(45), DEFAULT_THRESHOLDS, true);
    assert.equal(step.transition?.predicted, true);
    assert.equal(
      evaluate('/data', undefined, free(15), DEFAULT_THRESHOLDS, true).transition?.predicted,
      undefined,
      'below 20% it is an ordinary warning',
    );
  });

  it('predicts only when the forecast puts critical within the set minutes', () => {
    assert.equal(criticalPredicted(600, 30), true);
    assert.equal(criticalPredicted(3600, 30), false);
    assert.equal(criticalPredicted(600, null), false, 'off by default');
    assert.equal(criticalPredicted(null, 30), false, 'no forecast, no prediction');
    assert.equal(criticalPredicted(0, 30), false, 'already critical: the ordinary alert speaks');
  });

  it('follows custom thresholds', () => {
    const t = { warningPercent: 30, criticalPercent: 5 };
    assert.equal(nextState('ok', free(25), t), 'warning');
    assert.equal(nextState('warning', free(6), t), 'warning');
    assert.equal(nextState('warning', free(4), t), 'critical');
  });

  it('stamps the transition with the reading and its time', () => {
    const step = evaluate('/data', undefined, free(15, 1234), DEFAULT_THRESHOLDS);
    assert.deepEqual(step.record, { state: 'warning', since: 1234 });
    assert.equal(step.transition?.at, 1234);
    assert.equal(step.transition?.reading.ok && step.transition.reading.sample.freePercent, 15);
  });
});

describe('hysteresis properties (any sequence of readings)', () => {
  const reading = fc.oneof(
    { weight: 9, arbitrary: fc.double({ min: 0, max: 100, noNaN: true }).map((p) => free(p)) },
    { weight: 1, arbitrary: fc.constant(gone) },
  );
  const thresholds = fc
    .tuple(fc.integer({ min: 1, max: 98 }), fc.integer({ min: 1, max: 98 }))
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => ({ warningPercent: Math.max(a, b), criticalPercent: Math.min(a, b) }));

  function transitions(readings: Reading[], t: typeof DEFAULT_THRESHOLDS): Transition[] {
    let record: MountRecord | undefined;
    const out: Transition[] = [];
    for (const r of readings) {
      const step = evaluate('/data', record, r, t);
      record = step.record;
      if (step.transition) out.push(step.transition);
    }
    return out;
  }

  it('never sends two identical notifications in a row, and each starts where the last ended', () => {
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 60 }), thresholds, (readings, t) => {
        const ts = transitions(readings, t);
        for (const [i, tr] of ts.entries()) {
          assert.notEqual(tr.from, tr.to);
          if (i > 0) {
            assert.equal(tr.from, ts[i - 1]!.to);
            assert.notEqual(tr.to, ts[i - 1]!.to);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never sends an all-clear without an earlier alert', () => {
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 60 }), thresholds, (readings, t) => {
        const ts = transitions(readings, t);
        if (ts[0]) assert.equal(ts[0].from, 'ok');
        const firstClear = ts.findIndex((tr) => tr.to === 'ok');
        if (firstClear >= 0) assert.ok(ts.slice(0, firstClear).some((tr) => tr.to !== 'ok'));
      }),
      { numRuns: 2000 },
    );
  });

  it('a reading below the critical threshold always leaves the mount critical', () => {
    fc.assert(
      fc.property(fc.array(reading, { maxLength: 30 }), thresholds, (readings, t) => {
        let record: MountRecord | undefined;
        for (const r of readings) {
          record = evaluate('/data', record, r, t).record;
          if (r.ok && r.sample.freePercent < t.criticalPercent) assert.equal(record.state, 'critical');
          if (r.ok && r.sample.freePercent > t.warningPercent) assert.equal(record.state, 'ok');
          if (!r.ok) assert.equal(record.state, 'unreachable');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
