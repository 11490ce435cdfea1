import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, settingsSchema } from '../../shared/settings.js';
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
});
