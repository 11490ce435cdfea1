import type { TestDisk } from '../../shared/event.js';
import type { DeliveryRecord } from '../../shared/history.js';
import type { Transition } from '../../shared/hysteresis.js';
import type { Integration } from '../../shared/integration.js';
import {
  owedNotices,
  reminderNotices,
  transitionNotices,
  usageNotices,
  type Alert,
  type DiskSnapshot,
  type ToldOf,
} from '../../shared/notices.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../../shared/retry.js';
import type { UsageNote } from '../../shared/usage-note.js';
import type { TransitionContext } from '../monitor.js';
import type { AttemptContext, Threads } from './attempt.js';
import { Deliverer } from './deliver.js';
import type { HistoryLog } from './history-log.js';
import type { Holds } from './holds.js';
import type { IntegrationStore } from './integration-store.js';
import { Lanes } from './lanes.js';
import type { NotifiedStore } from './notified-store.js';
import type { Outbox } from './outbox.js';
import { DeliveryRecords } from './records.js';
import { refreshActive } from './refresh.js';
import { pickUpPending, retryFailed } from './requeue.js';
import { tellOfNow, tellTransition } from './tell.js';
import { sendTest } from './test-send.js';
import type { Transport } from './transport.js';

export interface DispatcherOptions {
  integrations: IntegrationStore;
  outbox: Outbox;
  history: HistoryLog;
  notified: NotifiedStore;
  transport: Transport;
  host: string;
  /** Whether a change must be held now (quiet hours, snooze, pause, flapping); what is held. */
  holds: Holds;
  /** A function where settings can change it while running (the deadline). */
  policy?: RetryPolicy | (() => RetryPolicy);
  /** Per attempt. */
  timeoutMs?: number;
  now?: () => number;
  random?: () => number;
  /** Every change of a delivery record, for the CLI's log lines and the GUI's live history. */
  onRecord?: (record: DeliveryRecord) => void;
  /** A re-sent active alert (see `refresh`) that did not go through. */
  onRefreshFailed?: (integration: Integration, message: string) => void;
  /** Where each alert's follow-ups go at the vendor (Slack threads, Discord forum posts). */
  threads?: Threads;
}

/**
 * The delivery side's parts, built once by the dispatcher below, in order (the stores it is
 * given, then the records, the attempt and the lanes). Each step (tell, refresh, requeue) takes the ones it
 * uses from this one object, instead of a bag of its own to keep in mind.
 */
export interface DeliveryParts {
  host: string;
  integrations: IntegrationStore;
  /** The integrations as configured now (read each time: an edit applies at once). */
  current: () => Integration[];
  /** What each integration was last told of each alert (see NotifiedStore). */
  told: ToldOf;
  /** Whether a change must be held now, and what is held (see Holds). */
  holds: Holds;
  outbox: Outbox;
  history: HistoryLog;
  notified: NotifiedStore;
  records: DeliveryRecords;
  lanes: Lanes;
  attempt: AttemptContext;
  now: () => number;
  /** A re-sent active alert (see refreshActive) that did not go through. */
  onRefreshFailed?: (integration: Integration, message: string) => void;
}

/**
 * The one place that sends. Every delivery is written to the outbox before its first attempt and
 * leaves it only when it ends, delivered or failed for good; in between it is retried with
 * backoff, in its integration's own lane (see Lanes, Deliverer).
 */
export class Dispatcher {
  /** Everything the steps below take their collaborators from (see DeliveryParts). */
  private readonly parts: DeliveryParts;

  constructor(o: DispatcherOptions) {
    const { host, holds, outbox, notified, history, integrations, onRefreshFailed } = o;
    const now = o.now ?? Date.now;
    const records = new DeliveryRecords(history, now);
    if (o.onRecord) records.onRecord(o.onRecord);
    const attempt: AttemptContext = {
      transport: o.transport,
      timeoutMs: o.timeoutMs ?? 10_000,
      now,
      threads: o.threads,
    };
    const policy = o.policy ?? DEFAULT_RETRY;
    const deliverer = new Deliverer({
      integrations,
      outbox,
      records,
      attempt,
      policy: typeof policy === 'function' ? policy : () => policy,
      random: o.random ?? Math.random,
    });
    const lanes = new Lanes(deliverer, now);
    this.parts = {
      host,
      integrations,
      current: () => integrations.load().integrations,
      told: (integrationId, key) => notified.told(integrationId, key),
      holds,
      outbox,
      history,
      notified,
      records,
      lanes,
      attempt,
      now,
      onRefreshFailed,
    };
  }

  /** Adds a listener for every change of a delivery record (besides `options.onRecord`). */
  onRecord(listener: (record: DeliveryRecord) => void): void {
    this.parts.records.onRecord(listener);
  }

  /** Sends at once what a previous run left in the outbox (see pickUpPending). */
  start(): void {
    pickUpPending(this.parts);
  }

  /**
   * Sends every pending delivery now rather than at its next retry: after the machine woke from
   * sleep, the network it lacked is likely back.
   */
  sendPendingNow(): void {
    this.parts.lanes.wake();
  }

  /**
   * Queues a transition for every integration that should hear of it: its facts once, each
   * integration's event in the outbox before any is sent. When this returns the entries survive
   * a killed process, so the caller may persist the disk's new state; the outbox folder's fsync,
   * which makes them survive a power cut too, finishes in the background (see Outbox.put). If
   * the data directory cannot be written, they go out from memory only.
   */
  enqueue(t: Transition, context: TransitionContext): void {
    const notices = transitionNotices(this.parts.current(), t, this.parts.told);
    tellTransition(this.parts, t, context, notices);
  }

  /**
   * Tells every integration whatever it missed: after alerts were paused or held, or after an
   * integration's filter changed. What it was last told is compared with what it should see now.
   */
  reconcile(disks: DiskSnapshot): void {
    const { told } = this.parts;
    tellOfNow(this.parts, disks, (integrations, alert) => {
      const { notices, settled } = owedNotices(integrations, alert, told);
      for (const integration of settled) {
        // Told it was cycling, and it settled in the state told: the last word says it settled.
        const last = told(integration.id, alert.key)?.state;
        if (this.parts.holds.settledAfterCycling(integration.id, alert.key) && last)
          notices.push({ integration, change: { from: last, to: last } });
      }
      return notices;
    });
  }

  /**
   * A hold's end (Holds' release) tells every integration what it is owed now, of the disks as
   * the watcher last read them: the one consumer of that event.
   */
  reconcileOnRelease(disks: () => DiskSnapshot): void {
    this.parts.holds.onRelease(() => this.reconcile(disks()));
  }

  /** Reminders of a warning or critical that still holds, to the integrations that asked for them. */
  remind(disks: DiskSnapshot): void {
    const { lanes, told } = this.parts;
    if (lanes.stopped) return;
    const now = this.parts.now();
    const noticesOf = (integrations: Integration[], alert: Alert) =>
      reminderNotices(integrations, alert, told, now);
    tellOfNow(this.parts, disks, noticesOf, { reminder: true });
  }

  /**
   * What grew on a disk, as its current alert again with the usage lines (see usageNotices). It
   * follows the alert and never holds it up (the scan runs on its own thread); held, it is
   * dropped like a reminder.
   */
  tellUsage(usage: UsageNote, disks: DiskSnapshot): void {
    if (this.parts.lanes.stopped) return;
    tellOfNow(
      this.parts,
      disks,
      (integrations, alert) => usageNotices(integrations, alert, this.parts.told),
      {
        usage,
      },
    );
  }

  /** Re-posts active alerts where receivers forget them (see refreshActive). */
  refresh(disks: DiskSnapshot): void {
    if (this.parts.lanes.stopped) return;
    refreshActive(this.parts, disks);
  }

  /** "Retry" on a failed delivery (see retryFailed). Undefined if it is not kept any more. */
  retry(id: string): DeliveryRecord | undefined {
    return retryFailed(this.parts, id);
  }

  /** "Send test": one attempt, now, through the same path as every alert; recorded. */
  sendTest(
    integration: Integration,
    disk?: TestDisk,
    onHold?: (says: string) => void,
  ): Promise<DeliveryRecord> {
    return sendTest(this.parts.host, this.parts.records, this.parts.attempt, integration, disk, onHold);
  }

  /** Resolves when no delivery is pending (all delivered or failed for good). */
  idle(): Promise<void> {
    return this.parts.lanes.idle();
  }

  pendingCount(): number {
    return this.parts.lanes.pendingCount();
  }

  /** Pending deliveries of each integration that has any. */
  pendingByIntegration(): Map<string, number> {
    return this.parts.lanes.pendingByIntegration();
  }

  /** Stops scheduling and waits for attempts in flight; what is pending stays in the outbox. */
  async stop(): Promise<void> {
    this.parts.holds.stop();
    this.parts.notified.flush();
    await this.parts.lanes.stop();
  }
}
