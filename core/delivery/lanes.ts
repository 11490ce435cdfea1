import type { Deliverer } from './deliver.js';
import type { OutboxEntry } from './outbox.js';
import { monotonicMs } from '../builtins.js';

interface Lane {
  entries: OutboxEntry[];
  busy: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * One lane per integration: its deliveries go out in order, one at a time, and a slow or dead
 * endpoint holds up only its own lane. A retry waits in its lane until it is due.
 */
export class Lanes {
  private readonly lanes = new Map<string, Lane>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly idleWaiters: (() => void)[] = [];
  /**
   * When each retry is due, on the monotonic clock: a wall clock set back a day must not strand
   * a retry for a day, nor one set forward send it early. Absent: due now.
   */
  private readonly due = new Map<string, number>();
  /** The last `wake` (monotonic): an attempt in flight then is retried at once too. */
  private wokeAt = -Infinity;
  stopped = false;

  constructor(
    private readonly deliverer: Pick<Deliverer, 'run'>,
    private readonly now: () => number,
  ) {}

  /** Queues entries at the end of their lanes and starts the lanes that are free. */
  push(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) this.laneOf(entry.integrationId).entries.push(entry);
    for (const id of new Set(entries.map((e) => e.integrationId))) this.pump(id);
  }

  /** Takes an entry out of its lane: its delivery ended. */
  remove(entry: OutboxEntry): void {
    const lane = this.laneOf(entry.integrationId);
    lane.entries = lane.entries.filter((e) => e.id !== entry.id);
    this.due.delete(entry.id);
  }

  /** Whether this integration has deliveries pending. */
  busy(integrationId: string): boolean {
    return (this.lanes.get(integrationId)?.entries.length ?? 0) > 0;
  }

  /** Every retry due now rather than when planned: the network a sleep took away is likely back. */
  wake(): void {
    this.wokeAt = monotonicMs();
    this.due.clear();
    for (const id of this.lanes.keys()) this.pump(id);
  }

  /** Work that `stop` waits for besides the lanes' own (a re-post outside any lane). */
  track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Resolves when no delivery is pending (all delivered or failed for good). */
  idle(): Promise<void> {
    if (this.pendingCount() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  pendingCount(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.entries.length;
    return n;
  }

  /** Pending deliveries of each integration that has any. */
  pendingByIntegration(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const [id, lane] of this.lanes) if (lane.entries.length) counts.set(id, lane.entries.length);
    return counts;
  }

  /** Stops scheduling and waits for attempts in flight; what is pending stays in the outbox. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const lane of this.lanes.values()) clearTimeout(lane.timer);
    await Promise.all(this.inFlight);
  }

  private laneOf(integrationId: string): Lane {
    let lane = this.lanes.get(integrationId);
    if (!lane) this.lanes.set(integrationId, (lane = { entries: [], busy: false }));
    return lane;
  }

  private pump(integrationId: string): void {
    const lane = this.laneOf(integrationId);
    if (this.stopped || lane.busy) return;
    clearTimeout(lane.timer);
    const head = lane.entries[0];
    if (!head) {
      if (this.pendingCount() === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      return;
    }
    const wait = (this.due.get(head.id) ?? 0) - monotonicMs();
    if (wait > 0) {
      lane.timer = setTimeout(() => this.pump(integrationId), Math.min(wait, 2 ** 31 - 1));
      return;
    }
    lane.busy = true;
    const started = monotonicMs();
    const work = this.deliverer
      .run(head, () => this.remove(head))
      .then((retryAt) => {
        if (retryAt === null) this.remove(head);
        else if (this.wokeAt < started) this.due.set(head.id, monotonicMs() + (retryAt - this.now()));
      })
      .finally(() => {
        this.inFlight.delete(work);
        lane.busy = false;
        this.pump(integrationId);
      });
    this.inFlight.add(work);
  }
}
