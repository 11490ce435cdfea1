import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { requests } from '../../shared/ipc/contract.js';
import { parseSnoozeFor, snoozeEnd } from '../../shared/quiet.js';
import { parseWith } from '../../shared/validation.js';

describe('how long a snooze lasts (one parser for the CLI and the API)', () => {
  it('takes the three choices, minutes, and Nm / Nh / Nd', () => {
    for (const [raw, expected] of [
      ['1h', '1h'],
      ['8h', '8h'],
      ['tomorrow', 'tomorrow'],
      ['90', 90],
      ['45m', 45],
      ['2h', 120],
      ['3d', 3 * 24 * 60],
      ['7d', 7 * 24 * 60],
      [' 2H ', 120],
    ] as const)
      assert.equal(parseSnoozeFor(raw), expected, raw);
  });

  it('refuses anything else, and anything outside 1 minute to 7 days', () => {
    for (const raw of ['', '0', '0m', '8d', '10081', '2.5h', '-1h', '2w', 'forever', '1h30m', 'h'])
      assert.equal(parseSnoozeFor(raw), null, raw);
  });

  it('`--for 2h` ends two hours from now', () => {
    const now = Date.UTC(2026, 10, 23, 12);
    assert.equal(snoozeEnd(parseSnoozeFor('2h')!, now), now + 2 * 3_600_000);
  });

  it('the API alerts.snooze takes the same values and names the field when refusing one', () => {
    const input = requests['alerts.snooze'].input;
    const ok = parseWith(input, { mount: '/', for: '2h' });
    assert.ok(ok.ok);
    assert.equal(ok.value.for, 120);
    const choice = parseWith(input, { mount: null, for: 'tomorrow' });
    assert.ok(choice.ok && choice.value.for === 'tomorrow');
    const bad = parseWith(input, { mount: '/', for: '9d' });
    assert.ok(!bad.ok);
    assert.equal(bad.errors[0]?.field, 'for');
    assert.match(bad.errors[0]!.message, /Nm, Nh or Nd/);
  });
});
