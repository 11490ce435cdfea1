import type { DeliveryRecord } from '../../shared/history.js';

/** The outcomes a delivery ends with, each a `headroom_deliveries_total` series. */
export const FINAL_OUTCOMES = ['delivered', 'failed', 'held', 'unknown'] as const;
type FinalOutcome = (typeof FINAL_OUTCOMES)[number];

/**
 * Upper bounds, in seconds, of the attempt duration histogram: loopback answers in milliseconds,
 * a vendor across the internet in a few hundred, and an attempt is cut off at 10 s.
 */
export const ATTEMPT_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export interface IntegrationCounts {
  outcomes: Record<FinalOutcome, number>;
  /** Attempts ≤ each bucket's bound (not yet cumulative), and all of them. */
  buckets: number[];
  attempts: number;
  secondsSum: number;
}

/**
 * Counts, per integration, the deliveries that ended and how long each attempt took, from the
 * dispatcher's record updates. Counters start at zero with the process, as Prometheus expects of
 * counters (`rate()` handles the reset). "Send test" deliveries are left out: they say nothing
 * about the alerts.
 */
export class DeliveryMetrics {
  private readonly counts = new Map<string, IntegrationCounts>();
  /** Attempts already counted of each delivery still in progress. */
  private readonly seen = new Map<string, number>();
  /** Bumped at every change: the page is rebuilt only when it moved. */
  version = 0;

  constructor(private readonly since: number = Date.now()) {}

  observe(r: DeliveryRecord): void {
    if (r.test) return;
    const c = this.of(r.integrationId);
    const already = this.seen.get(r.id) ?? 0;
    for (const attempt of r.attempts.slice(already)) {
      // A delivery a previous run left in the outbox carries that run's attempts: not ours.
      if (attempt.at < this.since) continue;
      const seconds = attempt.latencyMs / 1000;
      const bucket = ATTEMPT_BUCKETS.findIndex((le) => seconds <= le);
      if (bucket >= 0) c.buckets[bucket]!++;
      c.attempts++;
      c.secondsSum += seconds;
    }
    if ((FINAL_OUTCOMES as readonly string[]).includes(r.outcome)) {
      c.outcomes[r.outcome as FinalOutcome]++;
      this.seen.delete(r.id);
    } else this.seen.set(r.id, r.attempts.length);
    this.version++;
  }

  /** An integration's counts (zeros for one that has had no delivery yet). */
  of(integrationId: string): IntegrationCounts {
    let c = this.counts.get(integrationId);
    if (!c) {
      c = {
        outcomes: { delivered: 0, failed: 0, held: 0, unknown: 0 },
        buckets: ATTEMPT_BUCKETS.map(() => 0),
        attempts: 0,
        secondsSum: 0,
      };
      this.counts.set(integrationId, c);
    }
    return c;
  }

  /** Integrations that had deliveries this run (some may have been removed since). */
  ids(): string[] {
    return [...this.counts.keys()];
  }
}
