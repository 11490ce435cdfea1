import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import fc from 'fast-check';
import {
  cameBackFromCritical,
  cyclingOf,
  flappingUntil,
  FLAPPING,
  quietUntil,
  snoozeEnd,
  snoozedUntil,
} from '../../shared/quiet.js';
import { settingsSchema } from '../../shared/settings.js';
import { effectiveThresholds, thresholdsFor } from '../../shared/thresholds.js';
import { parseWith } from '../../shared/validation.js';

// Local time: the schedule is the machine's. TZ is fixed for the test run below.
const local = (y: number, mo: number, d: number, h: number, mi = 0) =>
  new Date(y, mo - 1, d, h, mi).getTime();
const GIB = 1024 ** 3;

describe('quiet hours (local time, injected clock)', () => {
  const night = { days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, start: '22:00', end: '07:00' };
  const q = { ...night, days: [...night.days], critical: 'send' as const };

  it('holds from start to end across midnight, and names when it ends', () => {
    // 2026-11-23 is a Monday.
    assert.equal(quietUntil(q, local(2026, 11, 23, 21, 59)), null);
    assert.equal(quietUntil(q, local(2026, 11, 23, 22, 0)), local(2026, 11, 24, 7, 0));
    assert.equal(quietUntil(q, local(2026, 11, 24, 6, 59)), local(2026, 11, 24, 7, 0), 'after midnight');
    assert.equal(quietUntil(q, local(2026, 11, 24, 7, 0)), null, 'the end is not quiet');
  });

  it('follows the days: a period belongs to the day it starts on', () => {
    // Friday night's period runs into Saturday morning; Saturday night has none.
    assert.equal(quietUntil(q, local(2026, 11, 28, 3, 0)), local(2026, 11, 28, 7, 0));
    assert.equal(quietUntil(q, local(2026, 11, 28, 23, 0)), null);
    assert.equal(quietUntil(q, local(2026, 11, 30, 3, 0)), null, 'Sunday night is not listed');
  });

  it('a daytime period and a whole-day one', () => {
    const day = { days: ['sat' as const], start: '09:00', end: '17:00', critical: 'hold' as const };
    assert.equal(quietUntil(day, local(2026, 11, 28, 12, 0)), local(2026, 11, 28, 17, 0));
    assert.equal(quietUntil(day, local(2026, 11, 28, 18, 0)), null);
    const allDay = { days: ['sun' as const], start: '00:00', end: '00:00', critical: 'send' as const };
    assert.equal(quietUntil(allDay, local(2026, 11, 29, 13, 0)), local(2026, 11, 30, 0, 0));
  });

  it('any instant inside a period ends no later than a day after it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 24 * 60 }), (minutes) => {
        const now = local(2026, 1, 1, 0) + minutes * 60_000;
        const until = quietUntil(q, now);
        if (until !== null) assert.ok(until > now && until - now <= 24 * 3_600_000);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('snooze', () => {
  const now = local(2026, 11, 23, 15, 30);
  it('1 h, 8 h, and until 08:00 tomorrow', () => {
    assert.equal(snoozeEnd('1h', now), now + 3_600_000);
    assert.equal(snoozeEnd('8h', now), now + 8 * 3_600_000);
    assert.equal(snoozeEnd('tomorrow', now), local(2026, 11, 24, 8, 0));
    assert.equal(snoozeEnd(30, now), now + 30 * 60_000);
  });
  it('until tomorrow 08:00 is the coming morning when snoozed after midnight, the next one after 04:00', () => {
    assert.equal(snoozeEnd('tomorrow', local(2026, 11, 30, 0, 25)), local(2026, 11, 30, 8, 0));
    assert.equal(snoozeEnd('tomorrow', local(2026, 11, 30, 3, 59)), local(2026, 11, 30, 8, 0));
    assert.equal(snoozeEnd('tomorrow', local(2026, 11, 30, 4, 0)), local(2026, 11, 31, 8, 0));
    assert.equal(snoozeEnd('tomorrow', local(2026, 11, 30, 23, 59)), local(2026, 11, 31, 8, 0));
  });
  it('holds a snoozed disk, or every disk while all are snoozed, and ends on time', () => {
    const s = { all: null, mounts: { '/data': now + 1000 } };
    assert.equal(snoozedUntil(s, '/data', now), now + 1000);
    assert.equal(snoozedUntil(s, '/home', now), null);
    assert.equal(snoozedUntil(s, '/data', now + 1000), null);
    assert.equal(snoozedUntil({ all: now + 5000, mounts: {} }, '/home', now), now + 5000);
  });
});

describe('flapping', () => {
  it(`is more than ${FLAPPING.changes} changes in an hour, held until 5 min without one`, () => {
    const t0 = 1_000_000_000;
    const changes = [0, 5, 10, 15].map((m) => t0 + m * 60_000);
    assert.equal(flappingUntil(changes, t0 + 15 * 60_000), null, 'four changes are not flapping');
    const five = [...changes, t0 + 20 * 60_000];
    assert.equal(flappingUntil(five, t0 + 20 * 60_000), t0 + 25 * 60_000);
    assert.equal(flappingUntil(five, t0 + 25 * 60_000), null, 'settled');
    assert.equal(flappingUntil(five, t0 + 90 * 60_000), null, 'changes older than an hour do not count');
  });

  it('names what a cycle went between, leaving out a state it only passed through', () => {
    const t0 = 1_000_000_000;
    const s = (n: number) => t0 + n * 1000;
    const changes = [
      { at: s(0), from: 'ok', to: 'critical' },
      { at: s(20), from: 'critical', to: 'ok' },
      { at: s(60), from: 'ok', to: 'warning' },
      { at: s(60.5), from: 'warning', to: 'unreachable' }, // half a second: passed through
      { at: s(61), from: 'unreachable', to: 'ok' },
    ] as const;
    assert.deepEqual(cyclingOf(changes, s(130), FLAPPING, 3000), {
      states: ['ok', 'critical'],
      changes: 5,
      minutes: 3,
    });
    assert.deepEqual(cyclingOf(changes, s(130), FLAPPING, 0).states, [
      'ok',
      'unreachable',
      'warning',
      'critical',
    ]);
    assert.ok(cameBackFromCritical(changes, s(130)));
    assert.ok(!cameBackFromCritical(changes.slice(0, 1), s(130)), 'a first critical is not a cycle');
  });
});

describe('absolute and per-mount thresholds', () => {
  const settings = (over: Record<string, unknown>) => settingsSchema.parse(over);

  it('"20 % or 4 GiB, whichever is smaller": a large disk warns below 4 GiB, a small one below 20 %', () => {
    const s = settings({ warningGiB: 4, criticalGiB: 2 });
    const big = effectiveThresholds(thresholdsFor(s, '/'), 'space', 4096 * GIB);
    assert.equal(big.warningPercent, (4 / 4096) * 100);
    assert.equal(big.criticalPercent, (2 / 4096) * 100);
    const small = effectiveThresholds(thresholdsFor(s, '/'), 'space', 10 * GIB);
    assert.deepEqual(small, { warningPercent: 20, criticalPercent: 10, clearMarginPercent: 2 });
    assert.deepEqual(
      effectiveThresholds(thresholdsFor(s, '/'), 'inodes', 4096 * GIB),
      { warningPercent: 20, criticalPercent: 10, clearMarginPercent: 2 },
      'inodes go by the percentages alone',
    );
  });

  it('is off by default, so the documented 20 % / 10 % hold', () => {
    const s = settings({});
    assert.deepEqual(effectiveThresholds(thresholdsFor(s, '/'), 'space', 4096 * GIB), {
      warningPercent: 20,
      criticalPercent: 10,
      clearMarginPercent: 2,
    });
  });

  it('overrides one mount, and refuses an override that inverts the thresholds, naming it', () => {
    const s = settings({ mountOverrides: { '/': { warningPercent: 30, criticalPercent: 15 } } });
    assert.equal(thresholdsFor(s, '/').warningPercent, 30);
    assert.equal(thresholdsFor(s, '/home').warningPercent, 20);
    const bad = parseWith(settingsSchema, { mountOverrides: { '/srv': { criticalPercent: 25 } } });
    assert.ok(!bad.ok);
    assert.equal(bad.errors[0]!.field, 'mountOverrides./srv.criticalPercent');
    assert.match(bad.errors[0]!.message, /criticalPercent \(25\) must be below warningPercent \(20\)/);
    const gib = parseWith(settingsSchema, { warningGiB: 2, criticalGiB: 4 });
    assert.ok(!gib.ok && gib.errors[0]!.field === 'criticalGiB');
  });
});
