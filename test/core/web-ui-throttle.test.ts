import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { FREE_FAILURES, LoginThrottle, MAX_WAIT_MS } from '../../core/web-ui-throttle.js';

/** The login throttle on a clock the test moves. */
function throttle() {
  let now = 1_000_000;
  const t = new LoginThrottle(() => now);
  const wrong = (client = '198.51.100.7') => {
    assert.equal(t.begin(client), 0, 'may try now');
    return t.settle(client, false);
  };
  return { t, wrong, pass: (ms: number) => (now += ms) };
}

describe('how long a client that gives wrong passwords waits', () => {
  it('lets the first tries through, then doubles the wait from 1 s up to 15 minutes', () => {
    const { t, wrong, pass } = throttle();
    for (let n = 1; n < FREE_FAILURES; n++) assert.deepEqual(wrong(), { failures: n, waitMs: 0, refused: 0 });
    const waits: number[] = [];
    for (let n = FREE_FAILURES; n < FREE_FAILURES + 14; n++) {
      const { waitMs } = wrong();
      waits.push(waitMs);
      assert.equal(
        t.begin('198.51.100.7'),
        waitMs,
        'a try before the wait is over is refused, with the time left',
      );
      pass(waitMs);
    }
    assert.deepEqual(waits.slice(0, 5), [1_000, 2_000, 4_000, 8_000, 16_000]);
    assert.equal(Math.max(...waits), MAX_WAIT_MS);
    assert.equal(wrong().refused, 1, 'the try refused during the last wait is told with the next failure');
  });

  it('counts tries refused while waiting into the next logged failure, and clears all on a right password', () => {
    const { t, wrong, pass } = throttle();
    for (let n = 0; n < FREE_FAILURES; n++) wrong();
    t.begin('198.51.100.7');
    t.begin('198.51.100.7');
    pass(1_000);
    assert.equal(wrong().refused, 2);
    pass(2_000);
    assert.equal(t.begin('198.51.100.7'), 0);
    t.settle('198.51.100.7', true);
    assert.equal(wrong().failures, 1, 'starts afresh');
  });

  it('checks one try at a time per client, and holds no one else up', () => {
    const { t } = throttle();
    assert.equal(t.begin('198.51.100.7'), 0);
    assert.ok(t.begin('198.51.100.7') > 0, 'a second try while the first is checked is refused');
    assert.equal(t.begin('203.0.113.9'), 0, 'another client is not');
  });

  it('forgets a client an hour after its last failure', () => {
    const { wrong, pass } = throttle();
    for (let n = 0; n < FREE_FAILURES + 2; n++) {
      wrong();
      pass(MAX_WAIT_MS);
    }
    pass(60 * 60_000);
    assert.equal(wrong().failures, 1);
  });
});
