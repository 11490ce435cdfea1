import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import fc from 'fast-check';
import { classifyStatus, classifyTransportError, parseRetryAfter } from '../../shared/http-outcome.js';
import { DEFAULT_RETRY, MAX_RETRY_AFTER_MS, nextAttempt } from '../../shared/retry.js';

const H = 3600_000;

describe('retry policy', () => {
  it('backs off exponentially with jitter, capped at 10 minutes', () => {
    const delays = [1, 2, 3, 4, 12].map((n) => {
      const d = nextAttempt(DEFAULT_RETRY, n, 0, 0, undefined, 1);
      return 'retryAt' in d ? d.retryAt : -1;
    });
    assert.deepEqual(delays, [2_000, 4_000, 8_000, 16_000, 600_000]);
  });

  it('never retries sooner than half the backoff, nor later than the backoff', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, random) => {
          const d = nextAttempt(DEFAULT_RETRY, n, 0, 0, undefined, random);
          const backoff = Math.min(600_000, 2_000 * 2 ** (n - 1));
          assert.ok('retryAt' in d && d.retryAt >= backoff / 2 && d.retryAt <= backoff);
        },
      ),
    );
  });

  it("waits at least as long as the receiver's Retry-After", () => {
    const d = nextAttempt(DEFAULT_RETRY, 1, 0, 0, 90_000, 0);
    assert.deepEqual(d, { retryAt: 90_000 });
  });

  it('tries a last time at the deadline, then gives up saying after how long', () => {
    assert.deepEqual(nextAttempt(DEFAULT_RETRY, 30, 0, 24 * H - 60_000, undefined, 0.5), { retryAt: 24 * H });
    const end = nextAttempt(DEFAULT_RETRY, 31, 0, 24 * H, undefined, 0.5);
    assert.deepEqual(end, { giveUp: 'gave up after 24 h and 31 attempts' });
  });

  it('clamps Retry-After to an hour and to the deadline, so an absurd one never costs the alert its tries', () => {
    assert.equal(MAX_RETRY_AFTER_MS, H);
    assert.deepEqual(nextAttempt(DEFAULT_RETRY, 1, 0, 0, 1_000_000_000_000, 0), { retryAt: H });
    assert.deepEqual(nextAttempt(DEFAULT_RETRY, 1, 0, 0, 3 * H, 0), { retryAt: H }, 'three hours asked');
    assert.deepEqual(
      nextAttempt(DEFAULT_RETRY, 1, 0, 23.75 * H, 3 * H, 0),
      { retryAt: 24 * H },
      'less than an hour of the deadline left: at the deadline',
    );
    assert.deepEqual(
      nextAttempt(DEFAULT_RETRY, 1, 0, 23.5 * H, 2 * H, 0.5),
      { retryAt: 24 * H },
      'a wait past the deadline: one last try at the deadline',
    );
  });
});

describe('classification by HTTP status', () => {
  const res = (status: number, headers: Record<string, string> = {}, body = '') =>
    classifyStatus({ status, headers, body }, 0);

  it('delivers on 2xx, retries 408/429/5xx, fails other 4xx with the reason', () => {
    assert.equal(res(200).kind, 'delivered');
    assert.equal(res(204).kind, 'delivered');
    for (const s of [408, 429, 500, 502, 503]) assert.equal(res(s).kind, 'retry', String(s));
    assert.deepEqual(res(401), {
      kind: 'failed',
      reason: 'authError',
      message: 'the receiver refused the credentials (HTTP 401)',
    });
    assert.deepEqual(res(404, {}, 'no such hook'), {
      kind: 'failed',
      reason: 'clientError',
      message: 'the receiver rejected the request (HTTP 404): no such hook',
    });
  });

  it('reads Retry-After in seconds or as an HTTP date', () => {
    const r = res(429, { 'retry-after': '7' });
    assert.equal(r.kind === 'retry' && r.retryAfterMs, 7000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 0), 60_000);
    assert.equal(parseRetryAfter('soon', 0), undefined);
  });

  it('retries transport failures, naming what happened', () => {
    assert.equal(classifyTransportError('TimeoutError', 'aborted').kind, 'retry');
    const tls = classifyTransportError(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'unable to verify the first certificate',
    );
    assert.equal(tls.kind === 'retry' && tls.reason, 'tlsError');
    assert.match(tls.kind === 'retry' ? tls.message : '', /certificate is not trusted/);
    const early = classifyTransportError('CERT_NOT_YET_VALID', 'certificate is not yet valid');
    assert.match(early.kind === 'retry' ? early.message : '', /not valid yet; check both machines' clocks/);
    const closed = classifyTransportError('UND_ERR_SOCKET', 'other side closed');
    assert.match(closed.kind === 'retry' ? closed.message : '', /rejected client certificate/);
    assert.match(
      (classifyTransportError('ENOTFOUND', 'x') as { message: string }).message,
      /did not resolve/,
    );
  });
});
