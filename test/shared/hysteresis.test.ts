import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import fc from 'fast-check';
import type { MountState, Reading } from '../../shared/disk.js';
import { NO_FORECAST } from '../../shared/forecast.js';
import {
  DEFAULT_THRESHOLDS,
  evaluate,
  nextState,
  predictiveAlert,
  type Judgement,
  type MountRecord,
  type Pending,
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
    const raise = { predict: { raise: true, hold: true } };
    const step = evaluate('/data', undefined, free(45), DEFAULT_THRESHOLDS, raise);
    assert.equal(step.transition?.predicted, true);
    assert.equal(
      evaluate('/data', undefined, free(15), DEFAULT_THRESHOLDS, raise).transition?.predicted,
      undefined,
      'below 20% it is an ordinary warning',
    );
  });

  it('predicts only with evidence, and keeps a predicted warning until the fill has eased', () => {
    const f = { ...NO_FORECAST, status: 'filling' as const, secondsToCritical: 600, sustained: true };
    assert.deepEqual(predictiveAlert(f, 30), { raise: true, hold: true });
    assert.deepEqual(predictiveAlert(f, null), { raise: false, hold: false }, 'off by default');
    assert.equal(predictiveAlert({ ...f, sustained: false }, 30).raise, false, 'not enough evidence');
    assert.equal(predictiveAlert({ ...f, secondsToCritical: 3600 }, 30).raise, false);
    assert.equal(predictiveAlert({ ...f, secondsToCritical: 2000 }, 30).hold, true, 'within 1.5× holds');
    assert.equal(predictiveAlert({ ...f, secondsToCritical: 3000 }, 30).hold, false);
    assert.equal(predictiveAlert({ ...f, status: 'stable' }, 30).hold, false, 'a stopped fill clears');
    assert.equal(predictiveAlert({ ...f, status: 'fluctuating' }, 30).hold, true, 'a wobble does not');
    assert.equal(predictiveAlert({ ...f, status: 'bursts' }, 30).hold, true, 'nor does a fill that pauses');
    assert.equal(
      predictiveAlert({ ...f, status: 'cycling' }, 30).hold,
      false,
      'a cycle that comes back does',
    );
    assert.equal(predictiveAlert(NO_FORECAST, 30).raise, false, 'no forecast, no prediction');
    // A warning raised by the forecast is held, then cleared once the hold goes.
    const raised = evaluate('/data', undefined, free(45), DEFAULT_THRESHOLDS, {
      predict: { raise: true, hold: true },
    });
    const held = evaluate('/data', raised.record, free(44), DEFAULT_THRESHOLDS, {
      predict: { raise: false, hold: true },
    });
    assert.equal(held.transition, undefined);
    const cleared = evaluate('/data', held.record, free(44), DEFAULT_THRESHOLDS, {
      predict: { raise: false, hold: false },
    });
    assert.equal(cleared.transition?.to, 'ok');
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

describe('all-clear margin', () => {
  const t = { ...DEFAULT_THRESHOLDS, clearMarginPercent: 2 };
  it('clears a warning only above warning + margin (22 %), and steps a critical down only from 12 %', () => {
    assert.equal(nextState('warning', free(21.9), t), 'warning');
    assert.equal(nextState('warning', free(22), t), 'warning');
    assert.equal(nextState('warning', free(22.01), t), 'ok');
    assert.equal(nextState('ok', free(21), t), 'ok', 'ok stays ok above the threshold');
    assert.equal(nextState('critical', free(11.9), t), 'critical');
    assert.equal(nextState('critical', free(12), t), 'warning');
    assert.equal(nextState('critical', free(21), t), 'warning', 'from critical, not clear yet');
    assert.equal(nextState('critical', free(30), t), 'ok');
  });

  it('hovering at 19.7–20.3 % is one warning, never an all-clear; 0 keeps clearing above 20 %', () => {
    const hover = Array.from({ length: 40 }, (_, i) => free(i % 2 ? 20.3 : 19.7));
    const run2 = (th: typeof t) => {
      let record: MountRecord | undefined;
      const out: string[] = [];
      for (const r of hover) {
        const step = evaluate('/data', record, r, th);
        record = step.record;
        if (step.transition) out.push(step.transition.to);
      }
      return out;
    };
    assert.deepEqual(run2(t), ['warning']);
    assert.equal(run2({ ...t, clearMarginPercent: 0 }).length, 40);
  });

  it('applies to inodes too', () => {
    const inodes = (p: number): Reading => ({
      ok: true,
      sample: {
        ...info,
        size: 100,
        used: 0,
        available: 100,
        freePercent: 100,
        at: 0,
        inodes: { total: 100, free: p, freePercent: p },
      },
    });
    assert.equal(nextState('warning', inodes(21), t, false, 'inodes'), 'warning');
    assert.equal(nextState('warning', inodes(23), t, false, 'inodes'), 'ok');
  });

  it('never clears an alert at or below warning + margin (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { maxLength: 60 }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (levels, margin) => {
          const th = { ...DEFAULT_THRESHOLDS, clearMarginPercent: margin };
          let record: MountRecord | undefined;
          for (const p of levels) {
            const was = record?.state ?? 'ok';
            record = evaluate('/data', record, free(p), th).record;
            if (was !== 'ok' && record.state === 'ok') assert.ok(p > 20 + margin);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('confirmation', () => {
  const at = (p: number, s: number) => free(p, s * 1000);
  /** Readings every `step` seconds through `levels`, with confirmation: the transitions, "to@s". */
  function confirmed(levels: [number, number][], j: Judgement = {}, confirmMs = 3000): string[] {
    let record: MountRecord | undefined;
    let pending: Pending | undefined;
    const out: string[] = [];
    for (const [p, s] of levels) {
      const step = evaluate('/data', record, at(p, s), DEFAULT_THRESHOLDS, { confirmMs, pending, ...j });
      record = step.record;
      pending = step.pending;
      if (step.transition) out.push(`${step.transition.to}@${s}`);
    }
    return out;
  }
  const every = (from: number, to: number, p: number, step = 0.5): [number, number][] =>
    Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => [p, from + i * step]);

  it('announces nothing for a blip shorter than the confirmation: a 2-second dip to 12 %', () => {
    assert.deepEqual(confirmed([...every(0, 10, 25), ...every(10.5, 12, 12), ...every(12.5, 20, 25)]), []);
  });

  it('announces a change that lasts, once, when it has lasted the confirmation time', () => {
    assert.deepEqual(confirmed([...every(0, 5, 25), ...every(5.5, 20, 15)]), ['warning@8.5']);
    assert.deepEqual(confirmed([...every(0, 5, 15), ...every(5.5, 20, 30)]), ['warning@3', 'ok@8.5']);
    assert.deepEqual(confirmed([...every(0, 5, 25), ...every(5.5, 20, 15)], {}, 0), ['warning@5.5']);
  });

  it('announces a warning that deepens to critical once, when critical itself has lasted the confirmation', () => {
    assert.deepEqual(confirmed([...every(0, 5, 25), ...every(5.5, 7, 15), ...every(7.5, 20, 5)]), [
      'critical@10.5',
    ]);
  });

  it('never announces a critical that did not last: a warning with a dip to 5 % at its confirmation', () => {
    // Warning from 5.5 s (due at 8.5 s); a copy takes the disk to 5 % from 8 to 9 s, then is deleted.
    const levels = [...every(0, 5, 25), ...every(5.5, 7.5, 15), ...every(8, 9, 5), ...every(9.5, 20, 15)];
    assert.deepEqual(confirmed(levels), ['warning@9.5']);
    // Two steps back up likewise: a critical disk is all clear only once it has been clear 3 s; what
    // held the whole time (out of critical) is said when the readings show it.
    const up = [...every(0, 5, 5), ...every(5.5, 7.5, 30), ...every(8, 9, 15), ...every(9.5, 20, 30)];
    assert.deepEqual(confirmed(up), ['critical@3', 'warning@8.5', 'ok@12.5']);
    assert.deepEqual(confirmed([...every(0, 5, 5), ...every(5.5, 20, 30)]), ['critical@3', 'ok@8.5']);
  });

  it('keeps a dip into critical silent like one into warning: a 1.7-second copy to 5 % free', () => {
    assert.deepEqual(confirmed([...every(0, 5, 25), ...every(5.5, 7, 5), ...every(7.5, 20, 25)]), []);
    assert.deepEqual(confirmed([...every(0, 5, 25), ...every(5.5, 20, 5)]), ['critical@8.5']);
  });

  it('announces at once a disk at 1 % free or less, and a crossing a steady fill would take past the next level during the confirmation', () => {
    assert.deepEqual(confirmed([...every(0, 5, 25), [1, 5.5]]), ['critical@5.5']);
    assert.deepEqual(confirmed([...every(0, 5, 25), [1.5, 5.5]]), [], 'above 1 % a critical waits');
    // 15 % free, 2 points a second: critical (10 %) within the 3 s a confirmation would wait.
    assert.deepEqual(confirmed([...every(0, 5, 25), [15, 5.5]], { steadyFillRate: 2 }), ['warning@5.5']);
    // 8 % free, 3 points a second: full (1 % or less) within those 3 s.
    assert.deepEqual(confirmed([...every(0, 5, 25), [8, 5.5]], { steadyFillRate: 3 }), ['critical@5.5']);
    assert.deepEqual(
      confirmed([...every(0, 5, 15), [30, 5.5]], { steadyFillRate: 5 }),
      ['warning@0'],
      'an all-clear always waits',
    );
  });

  it('confirms a crossing of a slower steady fill like any other: sort -T filling for seconds, then deleting its files', () => {
    // 1 point a second: 19.5 % would still be above critical when the confirmation ends.
    const dip = [...every(0, 5, 25), ...every(5.5, 6.5, 19.5), ...every(7, 20, 25)];
    assert.deepEqual(confirmed(dip, { steadyFillRate: 1 }), []);
    assert.deepEqual(confirmed([...every(0, 5, 25), ...every(5.5, 20, 19.5)], { steadyFillRate: 1 }), [
      'warning@8.5',
    ]);
    // In critical at 1 point a second, 8 % is not full within the confirmation: it waits too.
    assert.deepEqual(
      confirmed([...every(0, 5, 25), ...every(5.5, 6.5, 8), ...every(7, 20, 25)], { steadyFillRate: 1 }),
      [],
    );
  });

  it('an unreachable disk and its return are not held for confirmation', () => {
    const step = evaluate('/data', { state: 'ok', since: 0 }, gone, DEFAULT_THRESHOLDS, { confirmMs: 3000 });
    assert.equal(step.transition?.to, 'unreachable');
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
