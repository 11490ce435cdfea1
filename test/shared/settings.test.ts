import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { DEFAULT_SETTINGS, settingsInputSchema, settingsSchema } from '../../shared/settings.js';
import { parseWith } from '../../shared/validation.js';

describe('settings', () => {
  it('defaults to the sources: 20% warning, 10% critical, every 5 minutes', () => {
    assert.equal(DEFAULT_SETTINGS.warningPercent, 20);
    assert.equal(DEFAULT_SETTINGS.criticalPercent, 10);
    assert.equal(DEFAULT_SETTINGS.intervalSeconds, 300);
  });

  it('refuses a critical threshold at or above the warning threshold, naming the field', () => {
    const r = parseWith(settingsSchema, { warningPercent: 20, criticalPercent: 20 });
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.errors.map((e) => e.field), ['criticalPercent']);
    assert.match(!r.ok ? r.errors[0]!.message : '', /below warningPercent/);
  });

  it('refuses thresholds outside 0–100 and non-numbers, naming each field', () => {
    const r = parseWith(settingsSchema, { warningPercent: 120, criticalPercent: 'ten', intervalSeconds: 0 });
    assert.equal(r.ok, false);
    const fields = !r.ok ? r.errors.map((e) => e.field).sort() : [];
    assert.deepEqual(fields, ['criticalPercent', 'intervalSeconds', 'warningPercent']);
  });

  it('has an all-clear margin of 2 points and a 3 s confirmation by default; 0 switches both off', () => {
    assert.equal(DEFAULT_SETTINGS.clearMarginPercent, 2);
    assert.equal(DEFAULT_SETTINGS.confirmSeconds, 3);
    const off = parseWith(settingsInputSchema, { clearMarginPercent: 0, confirmSeconds: 0 });
    assert.ok(off.ok);
    assert.deepEqual(
      [
        DEFAULT_SETTINGS.flappingChanges,
        DEFAULT_SETTINGS.flappingWindowMinutes,
        DEFAULT_SETTINGS.flappingSettleMinutes,
      ],
      [4, 60, 5],
    );
  });

  it('loads a file saved with pagingAllClearMaxMinutes, which flappingSettleMinutes replaced', () => {
    const old = parseWith(settingsInputSchema, { pagingAllClearMaxMinutes: 5, flappingSettleMinutes: 30 });
    assert.ok(old.ok, JSON.stringify(old));
    assert.equal(old.value.flappingSettleMinutes, 30, 'its own values kept');
    assert.ok(!('pagingAllClearMaxMinutes' in old.value), 'the retired key dropped');
  });

  it('refuses a margin the alert could never clear past, globally and per mount, when saving', () => {
    const global = parseWith(settingsInputSchema, {
      warningPercent: 90,
      criticalPercent: 10,
      clearMarginPercent: 10,
    });
    assert.deepEqual(!global.ok && global.errors.map((e) => e.field), ['clearMarginPercent']);
    const mount = parseWith(settingsInputSchema, {
      mountOverrides: { '/srv': { warningPercent: 60, clearMarginPercent: 45 } },
    });
    assert.deepEqual(!mount.ok && mount.errors.map((e) => e.field), [
      'mountOverrides./srv.clearMarginPercent',
    ]);
    assert.ok(
      parseWith(settingsSchema, { warningPercent: 99, criticalPercent: 10 }).ok,
      'an old file still loads',
    );
  });

  it('refuses flapping and confirmation values out of range, naming each field', () => {
    const r = parseWith(settingsSchema, {
      flappingChanges: 0.5,
      flappingWindowMinutes: 0,
      confirmSeconds: -1,
      flappingSettleMinutes: 'soon',
    });
    assert.deepEqual(!r.ok && r.errors.map((e) => e.field).sort(), [
      'confirmSeconds',
      'flappingChanges',
      'flappingSettleMinutes',
      'flappingWindowMinutes',
    ]);
  });
});
