import { randomUUID } from 'node:crypto';
import { channelFor } from '../../../shared/channels/registry.js';
import type { Outcome } from '../../../shared/delivery.js';
import { eventFromReading, testEvent } from '../../../shared/event.js';
import type { DeliveryRecord } from '../../../shared/history.js';
import type { MountState, Reading } from '../../../shared/disk.js';
import type { Forecast } from '../../../shared/forecast.js';
import type { MountRecord, Transition } from '../../../shared/hysteresis.js';
import { watchesMount, type Integration } from '../../../shared/integration.js';
import type { Settings } from '../../../shared/settings.js';
import { DEFAULT_RETRY, formatDuration, nextAttempt, type RetryPolicy } from '../../../shared/retry.js';
import { route } from '../../../shared/routing.js';
import type { TransitionContext } from '../monitor.js';
import { attemptDelivery, newDeliveryRecord } from './attempt.js';
import type { HistoryLog } from './history-log.js';
import type { IntegrationStore } from './integration-store.js';
import type { NotifiedStore } from './notified-store.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import type { Transport } from './transport.js';

export interface DispatcherOptions {
  integrations: IntegrationStore;
  outbox: Outbox;
  history: HistoryLog;
  notified: NotifiedStore;
  transport: Transport;
  host: string;
  policy?: RetryPolicy;
  /** Per attempt. */
  timeoutMs?: number;
  now?: () => number;
  random?: () => number;
  /** Every change of a delivery record, for the CLI's log lines and the GUI's live history. */
  onRecord?: (record: DeliveryRecord) => void;
  /** A re-sent active alert (see `refresh`) that did not go through. */
  onRefreshFailed?: (integration: Integration, message: string) => void;
}

/** One thing to tell one integration. */
interface Notice {
  integration: Integration;
  reading: Reading;
  change: { from: MountState; to: MountState };
  at: number;
  since?: number;
  forecast?: Forecast;
  predicted?: boolean;
}

interface Lane {
  entries: OutboxEntry[];
  busy: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * The one place that sends. Every delivery is written to the outbox before its first attempt and
 * leaves it only when it ends, delivered or failed for good; in between it is retried with
 * backoff. Each integration has its own lane: deliveries to it go out in order, and a slow or dead
 * endpoint holds up only its own lane.
 */
export class Dispatcher {
  private readonly lanes = new Map<string, Lane>();
  private readonly records = new Map<string, DeliveryRecord>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly idleWaiters: (() => void)[] = [];
  private stopped = false;
  private readonly recordListeners: ((record: DeliveryRecord) => void)[] = [];
  private readonly o: Required<Omit<DispatcherOptions, 'onRecord' | 'onRefreshFailed'>> &
    Pick<DispatcherOptions, 'onRecord' | 'onRefreshFailed'>;

  constructor(options: DispatcherOptions) {
    this.o = {
      policy: DEFAULT_RETRY,
      timeoutMs: 10_000,
      now: Date.now,
      random: Math.random,
      ...options,
    };
  }

  /** Adds a listener for every change of a delivery record (besides `options.onRecord`). */
  onRecord(listener: (record: DeliveryRecord) => void): void {
    this.recordListeners.push(listener);
  }

  /** Picks up what a previous run left in the outbox. */
  start(): void {
    const pending = this.o.outbox.list();
    if (pending.length === 0) return;
    const known = new Map(this.o.history.list().map((r) => [r.id, r]));
    for (const entry of pending) {
      const record = known.get(entry.id);
      if (record) this.records.set(entry.id, record);
      this.laneOf(entry.integrationId).entries.push(entry);
    }
    for (const id of this.lanes.keys()) this.pump(id);
  }

  /**
   * Queues a transition for every integration that should hear of it. Returns once the outbox
   * holds them durably: the caller may then persist the disk's new state.
   */
  enqueue(t: Transition, context: TransitionContext): void {
    const notices = this.o.integrations
      .load()
      .integrations.map((integration) => ({
        integration,
        reading: t.reading,
        change: route(integration, t, this.o.notified.lastSent(integration.id, t.mount)),
        at: t.at,
        since: context.previous?.since,
        forecast: context.forecast,
        predicted: t.predicted,
      }))
      .filter((n) => n.change !== null);
    this.tell(notices as Notice[], context.states, context.settings);
  }

  /**
   * Tells every integration whatever it missed: after alerts were paused, or after an
   * integration's filter changed. What it was last told is compared with what it should see now.
   */
  reconcile(readings: readonly Reading[], states: Record<string, MountRecord>, settings: Settings): void {
    const notices: Notice[] = [];
    for (const integration of this.o.integrations.load().integrations) {
      for (const reading of readings) {
        const mount = reading.ok ? reading.sample.mount : reading.mount.mount;
        const state = states[mount];
        if (!state) continue;
        const change = route(
          integration,
          { mount, to: state.state },
          this.o.notified.lastSent(integration.id, mount),
        );
        if (change) notices.push({ integration, reading, change, at: this.o.now(), since: state.since });
      }
    }
    this.tell(notices, states, settings);
  }

  /** Writes each notice to the outbox (durably), records it, then starts sending. */
  private tell(notices: Notice[], states: Record<string, MountRecord>, settings: Settings): void {
    const queued: OutboxEntry[] = [];
    for (const { integration, reading, change, at, since, forecast, predicted } of notices) {
      const event = eventFromReading({
        id: randomUUID(),
        host: this.o.host,
        reading,
        change,
        at,
        since,
        states,
        settings,
        forecast,
        predicted,
      });
      const now = this.o.now();
      const entry: OutboxEntry = {
        id: event.id,
        seq: this.o.outbox.nextSeq(now),
        integrationId: integration.id,
        event,
        createdAt: now,
        attempts: 0,
        nextAttemptAt: now,
      };
      this.o.outbox.put(entry);
      this.update(newDeliveryRecord(entry, integration), {});
      queued.push(entry);
    }
    this.o.notified.record(
      notices.map((n) => ({
        integrationId: n.integration.id,
        mount: n.reading.ok ? n.reading.sample.mount : n.reading.mount.mount,
        state: n.change.to,
      })),
    );
    for (const entry of queued) {
      this.laneOf(entry.integrationId).entries.push(entry);
      this.pump(entry.integrationId);
    }
  }

  /**
   * Re-sends every active alert to channels whose receivers forget alerts that are not repeated
   * (Alertmanager), once per sample. Best effort and unrecorded: a lost one is sent again at the
   * next sample. An integration with a change still pending is skipped, so a refresh never
   * overtakes a resolve.
   */
  refresh(readings: readonly Reading[], states: Record<string, MountRecord>, settings: Settings): void {
    if (this.stopped) return;
    for (const integration of this.o.integrations.load().integrations) {
      const channel = channelFor(integration.type);
      if (!channel?.refreshActive || !integration.enabled || this.laneOf(integration.id).entries.length > 0)
        continue;
      for (const reading of readings) {
        const mount = reading.ok ? reading.sample.mount : reading.mount.mount;
        const told = this.o.notified.lastSent(integration.id, mount);
        if (!told || told === 'ok' || !watchesMount(integration, mount)) continue;
        const event = eventFromReading({
          id: randomUUID(),
          host: this.o.host,
          reading,
          change: { from: told, to: told },
          at: this.o.now(),
          since: states[mount]?.since,
          states,
          settings,
        });
        const entry = {
          id: event.id,
          seq: '',
          integrationId: integration.id,
          event,
          createdAt: event.at,
          attempts: 0,
          nextAttemptAt: 0,
        };
        const work = this.attemptOnce(entry, integration).then(({ outcome }) => {
          if (outcome.kind !== 'delivered') this.o.onRefreshFailed?.(integration, outcome.message);
        });
        this.inFlight.add(work);
        void work.finally(() => this.inFlight.delete(work));
      }
    }
  }

  /**
   * "Retry" on a failed delivery: the same event (same id, so receivers can de-duplicate) goes
   * back into its integration's lane with a fresh deadline. Undefined if it is not kept any more.
   */
  retry(id: string): DeliveryRecord | undefined {
    const entry = this.o.outbox.takeBack(id);
    if (!entry) return undefined;
    const now = this.o.now();
    Object.assign(entry, {
      seq: this.o.outbox.nextSeq(now),
      createdAt: now,
      attempts: 0,
      nextAttemptAt: now,
    });
    this.o.outbox.put(entry);
    const record = this.records.get(id) ?? this.o.history.get(id);
    const updated = this.update(record ?? { ...this.newRecordFromEntry(entry), attempts: [] }, {
      outcome: 'pending',
      reason: 'retried by hand',
      reasonCode: undefined,
      nextAttemptAt: now,
    });
    this.laneOf(entry.integrationId).entries.push(entry);
    this.pump(entry.integrationId);
    return updated;
  }

  /** "Send test": one attempt, now, through the same render → send → classify path; recorded. */
  async sendTest(integration: Integration): Promise<DeliveryRecord> {
    const now = this.o.now();
    const entry: OutboxEntry = {
      id: randomUUID(),
      seq: this.o.outbox.nextSeq(now),
      integrationId: integration.id,
      event: testEvent(this.o.host, now, randomUUID()),
      createdAt: now,
      attempts: 0,
      nextAttemptAt: now,
    };
    entry.event.id = entry.id;
    const record = this.update(newDeliveryRecord(entry, integration), {});
    const { outcome, attempt } = await this.attemptOnce(entry, integration);
    return this.update(record, {
      attempts: [...record.attempts, attempt],
      outcome: outcome.kind === 'delivered' ? 'delivered' : 'failed',
      ...(outcome.kind === 'delivered' ? {} : { reason: outcome.message, reasonCode: outcome.reason }),
    });
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

  /** Stops scheduling and waits for attempts in flight; what is pending stays in the outbox. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.o.notified.flush();
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
    const wait = head.nextAttemptAt - this.o.now();
    if (wait > 0) {
      lane.timer = setTimeout(() => this.pump(integrationId), Math.min(wait, 2 ** 31 - 1));
      return;
    }
    lane.busy = true;
    const work = this.deliver(head)
      .catch((error) =>
        this.end(head, {
          kind: 'failed',
          reason: 'configError',
          message: `internal error: ${(error as Error).message}`,
        }),
      )
      .finally(() => {
        this.inFlight.delete(work);
        lane.busy = false;
        this.pump(integrationId);
      });
    this.inFlight.add(work);
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    const integration = this.o.integrations.get(entry.integrationId);
    if (!integration)
      return this.end(entry, {
        kind: 'failed',
        reason: 'configError',
        message: 'the integration was removed or cannot be loaded',
      });
    if (!integration.enabled)
      return this.end(entry, {
        kind: 'failed',
        reason: 'configError',
        message: 'the integration was disabled',
      });
    const { outcome, attempt } = await this.attemptOnce(entry, integration);
    const record = this.recordOf(entry, integration);
    const attempts = [...record.attempts, attempt];
    entry.attempts++;
    if (outcome.kind !== 'retry') return this.end(entry, outcome, attempts);
    const decision =
      outcome.maxAttempts !== undefined && entry.attempts >= outcome.maxAttempts
        ? { giveUp: `gave up after ${entry.attempts} attempts with the same answer` }
        : nextAttempt(
            this.o.policy,
            entry.attempts,
            entry.createdAt,
            this.o.now(),
            outcome.retryAfterMs,
            this.o.random(),
          );
    if ('giveUp' in decision) {
      return this.end(
        entry,
        {
          kind: 'failed',
          reason: outcome.reason,
          message: `${decision.giveUp}; last error: ${outcome.message}`,
        },
        attempts,
      );
    }
    entry.nextAttemptAt = decision.retryAt;
    this.o.outbox.put(entry);
    this.update(record, {
      attempts,
      outcome: 'retrying',
      reason: `${outcome.message}; next try in ${formatDuration(decision.retryAt - this.o.now())}`,
      reasonCode: outcome.reason,
      nextAttemptAt: decision.retryAt,
    });
  }

  private attemptOnce(entry: OutboxEntry, integration: Integration) {
    return attemptDelivery(entry.event, integration, this.o.transport, this.o.timeoutMs, this.o.now);
  }

  private end(entry: OutboxEntry, outcome: Outcome, attempts?: DeliveryRecord['attempts']): void {
    if (outcome.kind === 'failed') this.o.outbox.retire(entry);
    else this.o.outbox.remove(entry);
    const lane = this.laneOf(entry.integrationId);
    lane.entries = lane.entries.filter((e) => e.id !== entry.id);
    const record = this.records.get(entry.id);
    if (record) {
      this.update(record, {
        ...(attempts ? { attempts } : {}),
        outcome: outcome.kind === 'delivered' ? 'delivered' : 'failed',
        reason: outcome.kind === 'delivered' ? undefined : outcome.message,
        reasonCode: outcome.kind === 'delivered' ? undefined : outcome.reason,
        nextAttemptAt: undefined,
      });
    }
    this.records.delete(entry.id);
  }

  private newRecordFromEntry(entry: OutboxEntry): DeliveryRecord {
    const integration = this.o.integrations.get(entry.integrationId);
    return newDeliveryRecord(
      entry,
      integration ?? { id: entry.integrationId, name: entry.integrationId, type: '?' },
    );
  }

  /** The record of a pending delivery: from memory, or rebuilt if the history lost it. */
  private recordOf(entry: OutboxEntry, integration: Integration): DeliveryRecord {
    return this.records.get(entry.id) ?? this.update(newDeliveryRecord(entry, integration), {});
  }

  private update(record: DeliveryRecord, changes: Partial<DeliveryRecord>): DeliveryRecord {
    const next = { ...record, ...changes, updatedAt: this.o.now() };
    for (const key of Object.keys(next) as (keyof DeliveryRecord)[])
      if (next[key] === undefined) delete next[key];
    this.records.set(next.id, next);
    this.o.history.append(next);
    this.o.onRecord?.(next);
    for (const listener of this.recordListeners) listener(next);
    return next;
  }
}
