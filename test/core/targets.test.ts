import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { combineTargets, type TargetResult } from '../../core/delivery/targets.js';

const delivered = (name: string): TargetResult => ({
  name,
  outcome: { kind: 'delivered' },
  status: 200,
  latencyMs: 5,
});
const retry = (name: string, retryAfterMs?: number): TargetResult => ({
  name,
  outcome: {
    kind: 'retry',
    reason: 'serverError',
    message: 'HTTP 503',
    ...(retryAfterMs ? { retryAfterMs } : {}),
  },
  status: 503,
  latencyMs: 9,
});
const failed = (name: string): TargetResult => ({
  name,
  outcome: { kind: 'failed', reason: 'authError', message: 'HTTP 401' },
  status: 401,
  latencyMs: 2,
});

describe('one outcome for a delivery to several peers', () => {
  it('is delivered when one peer accepted it, naming each peer, and takes the slowest latency', () => {
    const r = combineTargets([retry('a'), delivered('b'), failed('c')]);
    assert.deepEqual(r, {
      outcome: {
        kind: 'delivered',
        note: 'accepted by 1 of 3 peers, not retried on the others (a: not delivered: HTTP 503; b: delivered (HTTP 200); c: failed: HTTP 401)',
      },
      status: 200,
      latencyMs: 9,
    });
  });

  it('is retried when none accepted and one may yet, after the soonest Retry-After if all gave one', () => {
    const r = combineTargets([retry('a', 5000), failed('b'), retry('c', 2000)]);
    assert.equal(r.outcome.kind, 'retry');
    assert.equal(r.outcome.kind === 'retry' && r.outcome.retryAfterMs, 2000);
    assert.match(
      r.outcome.kind === 'retry' ? r.outcome.message : '',
      /^no peer accepted it \(a: not delivered/,
    );
    const backoff = combineTargets([retry('a', 5000), retry('b')]);
    assert.equal(
      backoff.outcome.kind === 'retry' && backoff.outcome.retryAfterMs,
      undefined,
      'the usual backoff',
    );
  });

  it('fails when every peer refused it for good', () => {
    const r = combineTargets([failed('a'), failed('b')]);
    assert.equal(r.outcome.kind, 'failed');
    assert.equal(r.outcome.kind === 'failed' && r.outcome.reason, 'authError');
  });
});
