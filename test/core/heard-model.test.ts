import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { compareChanges } from '../helpers/heard.js';

// The crash loop's judge of what a receiver heard against what the disk did: it must count a
// restart's summary that re-tells an earlier start's summary (which may or may not have arrived)
// as telling, and a true repeat as one too many.
describe('the crash loop model: what a receiver heard, against the changes', () => {
  const expected = ['ok→warning', 'warning→critical', 'critical→ok', 'ok→warning'];

  it('takes a summary that overlaps the one before it (sent while it was in flight) as no extra', () => {
    const heard = { changes: ['ok→warning', 'warning→ok', 'warning→warning'], covers: [1, 2, 3] };
    assert.deepEqual(compareChanges(expected, heard), { delivered: 4, lost: 0, extra: 0 });
    const afterOne = { changes: ['ok→warning', 'warning→critical', 'warning→warning'], covers: [1, 1, 3] };
    assert.deepEqual(compareChanges(expected, afterOne), { delivered: 4, lost: 0, extra: 0 });
  });

  it('still counts a repeat as extra and a change never told as lost', () => {
    const twice = {
      changes: ['ok→warning', 'warning→ok', 'warning→warning', 'warning→warning'],
      covers: [1, 2, 3, 3],
    };
    assert.equal(compareChanges(expected, twice).extra, 1);
    const short = { changes: ['ok→warning', 'warning→critical'], covers: [1, 1] };
    assert.deepEqual(compareChanges(expected, short), { delivered: 2, lost: 2, extra: 0 });
  });

  it('takes changes a restart left unsent as no net change as told by silence, only as many as the history says', () => {
    // cc24: the webhook's critical→ok, ok→warning, warning→critical were unsent at a restart and
    // came back to critical, what it last heard: the history holds them as "no net change".
    const runs = [...Array(5)].flatMap(() => ['ok→warning', 'warning→critical', 'critical→ok']);
    const heard = {
      changes: [
        'ok→warning',
        'warning→critical',
        'critical→ok',
        'ok→warning',
        'ok→critical',
        'critical→ok',
        'ok→critical',
        'critical→warning',
        'warning→critical',
        'critical→ok',
      ],
      covers: [1, 1, 1, 1, 2, 1, 2, 2, 1, 1],
    };
    assert.equal(compareChanges(runs, heard).lost, 2, 'without the history: lost (as cc24 reported)');
    assert.deepEqual(compareChanges(runs, heard, 3), { delivered: 15, lost: 0, extra: 0 });
    assert.ok(compareChanges(runs, heard, 2).lost > 0, 'a run of three needs three');
    // Silence never stands for a change that moved the disk (ok→warning alone).
    const short = { changes: ['ok→warning', 'warning→critical', 'critical→ok'], covers: [1, 1, 1] };
    assert.equal(compareChanges(expected, short, 5).lost, 1);
  });
});
