import type { Outcome } from '../../shared/http-outcome.js';

/** One target's part of a delivery (see `Channel.targets`). */
export interface TargetResult {
  name: string;
  outcome: Outcome;
  status?: number;
  latencyMs: number;
}

/**
 * One outcome for a delivery made to several targets at once (an Alertmanager cluster's peers):
 *
 * - **delivered** when at least one target accepted it. Those that did not are not retried by this
 *   delivery: a dead peer must not hold up the integration's lane (its later alerts and resolves)
 *   for the peers that are up. Prometheus does the same (it logs the failed peer and moves on).
 * - otherwise **retry**, to every target again, when any target's answer may pass (the soonest
 *   `Retry-After` of them is honoured);
 * - otherwise **failed**.
 *
 * Either way the note or message names each target's outcome, for the history.
 */
export function combineTargets(results: readonly TargetResult[]): {
  outcome: Outcome;
  status?: number;
  latencyMs: number;
} {
  const latencyMs = Math.max(0, ...results.map((r) => r.latencyMs)); // sent in parallel
  const said = results.map((r) => `${r.name}: ${describe(r)}`).join('; ');
  const accepted = results.find((r) => r.outcome.kind === 'delivered');
  if (accepted) {
    const missed = results.length - results.filter((r) => r.outcome.kind === 'delivered').length;
    const summary = missed
      ? `accepted by ${results.length - missed} of ${results.length} peers, not retried on the others`
      : `accepted by all ${results.length} peers`;
    return {
      outcome: { kind: 'delivered', note: `${summary} (${said})` },
      status: accepted.status,
      latencyMs,
    };
  }
  const retries = results.flatMap((r) => (r.outcome.kind === 'retry' ? [r.outcome] : []));
  const first = results[0]!.outcome as Exclude<Outcome, { kind: 'delivered' }>;
  const status = results.find((r) => r.status !== undefined)?.status;
  if (retries.length) {
    const waits = retries.flatMap((r) => (r.retryAfterMs === undefined ? [] : [r.retryAfterMs]));
    return {
      outcome: {
        kind: 'retry',
        reason: retries[0]!.reason,
        message: `no peer accepted it (${said})`,
        ...(waits.length === retries.length ? { retryAfterMs: Math.min(...waits) } : {}),
      },
      ...(status === undefined ? {} : { status }),
      latencyMs,
    };
  }
  return {
    outcome: { kind: 'failed', reason: first.reason, message: `no peer accepted it (${said})` },
    ...(status === undefined ? {} : { status }),
    latencyMs,
  };
}

function describe(r: TargetResult): string {
  const o = r.outcome;
  if (o.kind === 'delivered')
    return `delivered${r.status === undefined ? '' : ` (HTTP ${r.status})`}${o.note ? `, ${o.note}` : ''}`;
  return `${o.kind === 'retry' ? 'not delivered' : 'failed'}: ${o.message}`;
}
