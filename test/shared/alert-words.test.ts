import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import fc from 'fast-check';
import { eventFromReading } from '../../shared/alert-facts.js';
import { details, title } from '../../shared/event.js';
import { NO_FORECAST, type Forecast } from '../../shared/forecast.js';
import {
  formatCount,
  formatDuration,
  formatPercent,
  groupDigits,
  roundPercent,
} from '../../shared/format.js';
import { recordFree, type DeliveryRecord } from '../../shared/history.js';
import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { sampleEvent } from '../helpers/events.js';

const filling: Forecast = {
  ...NO_FORECAST,
  status: 'filling',
  fillRateBytesPerSec: 2 * 1024 ** 2,
  uncertainty: 0.15,
  secondsToWarning: null,
  secondsToCritical: 360,
  secondsToFull: 900,
  trendSince: 0,
  points: 120,
  fit: 0.99,
};

describe('percentages in messages', () => {
  it('never round across a threshold: 19.99 % is "19.99%", 19.999 % "< 20%", never "20.0%"', () => {
    const limits = [20, 10, 22];
    assert.equal(formatPercent(19.99, limits), '19.99%');
    assert.equal(formatPercent(19.999, limits), '< 20%');
    assert.equal(formatPercent(9.99, limits), '9.99%');
    assert.equal(formatPercent(20.04, limits), '20.04%');
    assert.equal(formatPercent(22.001, limits), '> 22%');
    assert.equal(formatPercent(20, limits), '20.0%', 'exactly at it is at it');
    assert.equal(formatPercent(15.04, limits), '15.0%', 'away from thresholds, one decimal');
  });

  it('in whole percents (the tray menu) too: 19.6 % is "< 20%", 19.4 % "19%"', () => {
    assert.equal(formatPercent(19.6, [20, 10], [0]), '< 20%');
    assert.equal(formatPercent(19.4, [20, 10], [0]), '19%');
    assert.equal(formatPercent(20.3, [20, 10], [0]), '> 20%');
  });

  it('in the delivery history, with the limits the record kept, or none rounded onto a whole number', () => {
    const record = (freePercent: number, more: Partial<DeliveryRecord['event']> = {}) =>
      ({ host: 'h', mount: '/', from: 'ok', to: 'warning', at: 0, freePercent, ...more }) as const;
    assert.equal(recordFree(record(19.99, { limits: [20, 10, 22] })), '19.99%');
    assert.equal(recordFree(record(9.999, { limits: [20, 10, 22] })), '< 10%');
    assert.equal(recordFree(record(12, { kind: 'inodes', limits: [20, 10] })), '12.0% of inodes');
    assert.equal(recordFree(record(19.99)), '19.99%', 'a record written before limits were kept');
  });

  it('stay on the side of every threshold the figure is on (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 1, max: 99 }), (p, t) => {
        const shown = formatPercent(p, [t]);
        const m = /^([<>]) (\d+(?:\.\d+)?)%$/.exec(shown);
        if (m) assert.equal(m[1] === '<', p < t);
        else {
          const v = Number(shown.slice(0, -1));
          if (p < t) assert.ok(v < t, `${p} shown as ${shown}`);
          if (p > t) assert.ok(v > t, `${p} shown as ${shown}`);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('in JSON too: two decimals, never rounded onto a whole number the figure is not', () => {
    assert.equal(roundPercent(15.0412), 15.04);
    assert.equal(roundPercent(19.999), 19.999);
    assert.equal(roundPercent(19.9999999), 19.9999999);
    assert.equal(roundPercent(20), 20);
  });

  it('in titles: a warning at 19.99 % and a critical at 9.99 %', () => {
    const usable = 100 * 1024 ** 3;
    const at = (p: number, to: 'warning' | 'critical') =>
      title(sampleEvent({ to, from: 'ok', freePercent: p, available: (usable * p) / 100, usable }));
    assert.match(at(19.99, 'warning'), /has 19\.99% free$/);
    assert.match(at(9.99, 'critical'), /has 9\.99% free$/);
  });
});

describe('counts in messages', () => {
  it('group thousands as English does, whatever the number (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double({ noNaN: true })), (n) => {
        assert.equal(groupDigits(n), n.toLocaleString('en'));
      }),
    );
    assert.equal(formatCount(200_000, 'file'), '200,000 files');
    assert.equal(formatCount(1, 'file'), '1 file');
  });
});

describe('forecasts in messages', () => {
  it('a predictive warning states the lead time from the current rate, with its uncertainty', () => {
    const e = sampleEvent({
      to: 'warning',
      from: 'ok',
      freePercent: 31.5,
      predicted: true,
      forecast: filling,
    });
    assert.equal(
      title(e),
      'Disk warning: /data on host-1 will be critical in 5–7 min at the current rate (31.5% free, filling at 2.00 MiB/s)',
    );
    assert.match(details(e), /At this rate, full in 13–18 min\./);
  });

  it('an all-clear carries no forecast, from the event on', () => {
    const reading = {
      ok: true as const,
      sample: {
        mount: '/data',
        fs: '/dev/sdb1',
        type: 'ext4',
        size: 100,
        used: 60,
        available: 40,
        freePercent: 40,
        at: 0,
      },
    };
    const e = eventFromReading({
      id: 'x',
      host: 'h',
      reading,
      kind: 'space',
      change: { from: 'critical', to: 'ok' },
      at: 0,
      states: {},
      settings: DEFAULT_SETTINGS,
      forecast: filling,
    });
    assert.equal(e.forecast, undefined);
    assert.doesNotMatch(details(e), /rate|full in/);
  });

  it('a reminder says "not getting worse" only when the trend shows it, and no time it does not have', () => {
    const reminder = (f: Forecast) =>
      details(sampleEvent({ from: 'critical', to: 'critical', reminder: true, forecast: f }));
    assert.match(reminder({ ...NO_FORECAST, status: 'stable', fillRateBytesPerSec: 0 }), /Not getting worse/);
    assert.match(reminder({ ...NO_FORECAST, status: 'fluctuating' }), /Fluctuating at the moment/);
    const unknown = reminder(NO_FORECAST);
    assert.doesNotMatch(unknown, /Not getting worse|full in/);
    assert.match(reminder({ ...filling, secondsToCritical: null }), /At this rate, full in 13–18 min/);
  });

  it('a warning on a cycling or bursty disk names the pattern instead of a deadline', () => {
    const warning = (f: Forecast) => details(sampleEvent({ from: 'ok', to: 'warning', forecast: f }));
    const cycle = { dipPercent: 3.04, periodSeconds: 60 };
    const cycling = warning({ ...NO_FORECAST, status: 'cycling', fillRateBytesPerSec: 0, cycle });
    assert.match(cycling, /Cycling: dips to about 3\.0% every 60 s\./);
    const bursts = warning({ ...NO_FORECAST, status: 'bursts', fillRateBytesPerSec: 1e6 });
    assert.match(bursts, /Filling in bursts\./);
    for (const text of [cycling, bursts]) assert.doesNotMatch(text, /full in|critical in/i);
  });
});

describe('durations', () => {
  it('read the same everywhere: seconds, minutes, tenths of an hour below 10 h, hours, days', () => {
    const cases: [number, string][] = [
      [0, '0 s'],
      [200, '1 s'],
      [45_000, '45 s'],
      [89_000, '89 s'],
      [12 * 60_000, '12 min'],
      [90 * 60_000, '1.5 h'],
      [2 * 3600_000, '2 h'],
      [14.4 * 3600_000, '14 h'],
      [3 * 86400_000, '3 days'],
    ];
    for (const [ms, words] of cases) assert.equal(formatDuration(ms), words);
  });
});
