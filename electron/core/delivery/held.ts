import type { Hold } from '../../../shared/quiet.js';

interface HeldAlert {
  reason: Hold['reason'];
  since: number;
  changes: number;
  until: number;
}

/**
 * Alerts whose changes are being held (quiet hours, snooze, pause, flapping), per integration:
 * how many changes were held since when, and when to look again. In memory: after a restart the
 * dispatcher's reconcile finds what is owed from the notified store, without the count.
 */
export class HeldAlerts {
  private readonly held = new Map<string, HeldAlert>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly now: () => number) {}

  /** Notes one more held change (`counted`), or just that the hold still applies. */
  hold(integrationId: string, key: string, hold: Hold, counted: boolean): void {
    const id = `${integrationId}\n${key}`;
    const prev = this.held.get(id);
    this.held.set(id, {
      reason: hold.reason,
      since: prev?.since ?? this.now(),
      changes: (prev?.changes ?? 0) + (counted ? 1 : 0),
      until: hold.until,
    });
  }

  /** What was held for this alert, now that its net change goes out; forgets it. */
  take(integrationId: string, key: string): { reason: string; since: number; changes: number } | undefined {
    const id = `${integrationId}\n${key}`;
    const h = this.held.get(id);
    this.held.delete(id);
    return h && h.changes > 0 ? { reason: h.reason, since: h.since, changes: h.changes } : undefined;
  }

  get size(): number {
    return this.held.size;
  }

  /** Calls `release` when the earliest hold ends (and again after that, while any is left). */
  schedule(release: () => void): void {
    clearTimeout(this.timer);
    if (this.held.size === 0) return;
    const next = Math.min(...[...this.held.values()].map((h) => h.until));
    const wait = Math.min(Math.max(0, next - this.now()), 2 ** 31 - 1);
    this.timer = setTimeout(release, wait);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
