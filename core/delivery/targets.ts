import type { Outcome } from '../../shared/http-outcome.js';

/** One target's part of a delivery (see `Channel.targets`). */
export interface TargetResult {
  name: string;
  outcome: Outcome;
  status?: number;
  latencyMs: number;
  /** Below HTTP: the error's code (ECONNREFUSED…). */
  code?: string;
}

/**
 * One outcome for a delivery made to several targets at once (an Alertmanager cluster's peers):
 *
 * - **delivered** when at least one target accepted it. Those that did not are not retried by this
 *   delivery: a dead peer must not hold up the integration's lane (its later alerts and resolves)
 *   for the peers that are up. Prometheus does the same (it logs the failed peer and moves on).
 *   Unless `every` target must hear it (an Alertmanager resolve: each peer holds its own copy of
 *   the alert): then it is **retry**, to the targets that missed it and may yet take it, until
 *   `every.until` (when their copy has ended by itself). A target where nothing listens is not
 *   owed it: an Alertmanager that starts again holds no alerts.
 * - otherwise **retry**, to every target again, when any target's answer may pass (the soonest
 *   `Retry-After` of them is honoured);
 * - otherwise **failed**.
 *
 * Either way the note or message names each target's outcome, for the history.
 */
export function combineTargets(
  results: readonly TargetResult[],
  /** Every target must hear it; `heardBefore` of them did in earlier attempts (not in `results`). */
  every?: { until: number; heardBefore: number },
): {
  outcome: Outcome;
  status?: number;
  latencyMs: number;
} {
  const latencyMs = Math.max(0, ...results.map((r) => r.latencyMs)); // sent in parallel
  const said = results.map((r) => `${r.name}: ${describe(r)}`).join('; ');
  const before = every?.heardBefore ?? 0;
  const total = results.length + before;
  const took = results.filter((r) => r.outcome.kind === 'delivered').length + before;
  const statusOf = (rs: readonly TargetResult[]) => {
    const status = rs.find((r) => r.status !== undefined)?.status;
    return status === undefined ? {} : { status };
  };
  const owed =
    every && took > 0 ? results.filter((r) => r.outcome.kind === 'retry' && r.code !== 'ECONNREFUSED') : [];
  if (owed.length) {
    const message = `heard by ${took} of ${total} peers; tried again on the others until each hears it (${said})`;
    return { outcome: retryOf(owed, message, every!.until), ...statusOf(owed), latencyMs };
  }
  if (took > 0) {
    const summary =
      took < total
        ? `accepted by ${took} of ${total} peers, not retried on the others`
        : `accepted by all ${total} peers`;
    return {
      outcome: { kind: 'delivered', note: `${summary} (${said})` },
      ...statusOf(results.filter((r) => r.outcome.kind === 'delivered')),
      latencyMs,
    };
  }
  const retries = results.filter((r) => r.outcome.kind === 'retry');
  const first = results[0]!.outcome as Exclude<Outcome, { kind: 'delivered' }>;
  const message = `no peer accepted it (${said})`;
  return {
    outcome: retries.length ? retryOf(retries, message) : { kind: 'failed', reason: first.reason, message },
    ...statusOf(results),
    latencyMs,
  };
}

/** A retry on these targets' answers: the soonest Retry-After, when each of them gave one. */
function retryOf(retries: readonly TargetResult[], message: string, enoughAt?: number): Outcome {
  const outcomes = retries.map((r) => r.outcome as Extract<Outcome, { kind: 'retry' }>);
  const waits = outcomes.flatMap((r) => (r.retryAfterMs === undefined ? [] : [r.retryAfterMs]));
  return {
    kind: 'retry',
    reason: outcomes[0]!.reason,
    message,
    ...(enoughAt === undefined ? {} : { enoughAt }),
    ...(waits.length === outcomes.length ? { retryAfterMs: Math.min(...waits) } : {}),
  };
}

function describe(r: TargetResult): string {
  const o = r.outcome;
  if (o.kind === 'delivered')
    return `delivered${r.status === undefined ? '' : ` (HTTP ${r.status})`}${o.note ? `, ${o.note}` : ''}`;
  return `${o.kind === 'retry' ? 'not delivered' : 'failed'}: ${o.message}`;
}
