import { randomUUID } from 'node:crypto';
import { channelFor } from '../../../shared/channels/registry.js';
import type { Outcome } from '../../../shared/delivery.js';
import { eventFromReading } from '../../../shared/alert-facts.js';
import { testEvent, type AlertEvent, type TestDisk } from '../../../shared/event.js';
import type { Attempt, DeliveryRecord } from '../../../shared/history.js';
import { subjectKey, type AlertKind, type MountState, type Reading } from '../../../shared/disk.js';
import type { Forecast } from '../../../shared/forecast.js';
import type { MountRecord, Transition } from '../../../shared/hysteresis.js';
import { describeFlapping, FLAPPING, type Hold } from '../../../shared/quiet.js';
import { renderTemplate } from '../../../shared/template.js';
import { watchesMount, type Integration } from '../../../shared/integration.js';
import type { Settings } from '../../../shared/settings.js';
import { formatTime } from '../../../shared/format.js';
import type { UsageNote } from '../../../shared/usage.js';
import { DEFAULT_RETRY, formatDuration, nextAttempt, type RetryPolicy } from '../../../shared/retry.js';
import { route } from '../../../shared/notices.js';
import type { TransitionContext } from '../monitor.js';
import { attemptDelivery, newDeliveryRecord, type Threads } from './attempt.js';
import { HeldAlerts } from './held.js';
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
  /** Whether a change must be held now (quiet hours, snooze, pause, flapping), and until when. */
  holdFor?: (
    integration: Integration,
    alert: { mount: string; kind: AlertKind; to: MountState; from: MountState },
  ) => Hold | null;
  /** A hold ended: the owner reconciles with its latest readings, which sends the net changes. */
  onRelease?: () => void;
  /** Where each alert's follow-ups go at the vendor (Slack threads, Discord forum posts). */
  threads?: Threads;
  /** The mount's forecast now, for what is sent outside a transition (reminders, catch-ups). */
  forecastFor?: (mount: string) => Forecast | undefined;
}

/** One thing to tell one integration. */
interface Notice {
  integration: Integration;
  reading: Reading;
  kind: AlertKind;
  change: { from: MountState; to: MountState };
  at: number;
  since?: number;
  forecast?: Forecast;
  predicted?: boolean;
  reminder?: boolean;
  usage?: UsageNote;
}

const KINDS: readonly AlertKind[] = ['space', 'inodes'];
const mountOf = (r: Reading) => (r.ok ? r.sample.mount : r.mount.mount);

/** Every alert of this reading's disk that has a state, with its key. */
function alertsOf(reading: Reading, states: Record<string, MountRecord>) {
  const mount = mountOf(reading);
  return KINDS.map((kind) => ({ mount, kind, key: subjectKey(mount, kind) })).filter((a) => states[a.key]);
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
  private readonly held: HeldAlerts;
  /**
   * When each retry is due, on the monotonic clock: a wall clock set back a day must not strand
   * a retry for a day, nor one set forward send it early. Absent: due now.
   */
  private readonly due = new Map<string, number>();
  /** The last `sendPendingNow` (monotonic): an attempt in flight then is retried at once too. */
  private wokeAt = -Infinity;
  private readonly o: Required<
    Omit<
      DispatcherOptions,
      'onRecord' | 'onRefreshFailed' | 'holdFor' | 'onRelease' | 'threads' | 'forecastFor'
    >
  > &
    Pick<
      DispatcherOptions,
      'onRecord' | 'onRefreshFailed' | 'holdFor' | 'onRelease' | 'threads' | 'forecastFor'
    >;

  constructor(options: DispatcherOptions) {
    this.o = {
      policy: DEFAULT_RETRY,
      timeoutMs: 10_000,
      now: Date.now,
      random: Math.random,
      ...options,
    };
    this.held = new HeldAlerts(this.o.now);
  }

  /** Adds a listener for every change of a delivery record (besides `options.onRecord`). */
  onRecord(listener: (record: DeliveryRecord) => void): void {
    this.recordListeners.push(listener);
  }

  /**
   * Picks up what a previous run left in the outbox and sends it at once: whatever it was waiting
   * for (a backoff, a network that was down) may well be over after a restart.
   */
  start(): void {
    const pending = this.o.outbox.list();
    if (pending.length === 0) return;
    const known = new Map(this.o.history.list().map((r) => [r.id, r]));
    for (const entry of pending) {
      const record = known.get(entry.id);
      if (record) this.records.set(entry.id, record);
      this.laneOf(entry.integrationId).entries.push(entry);
    }
    this.countAsTold(pending);
    for (const id of this.lanes.keys()) this.pump(id);
  }

  /**
   * A delivery in the outbox is as good as told: the note of it (written a moment after the
   * outbox) may have died with the process, and without it the all-clear would not be owed.
   * An entry older than the note (a failed one retried by hand) does not override it.
   */
  private countAsTold(entries: OutboxEntry[]): void {
    this.o.notified.record(
      entries
        .map(({ integrationId, event }) => ({
          integrationId,
          key: subjectKey(event.mount, event.kind),
          state: event.to,
          at: event.at,
        }))
        .filter((c) => (this.o.notified.told(c.integrationId, c.key)?.at ?? -Infinity) < c.at),
    );
  }

  /**
   * Sends every pending delivery now rather than at its next retry: after the machine woke from
   * sleep, the network it lacked is likely back.
   */
  sendPendingNow(): void {
    this.wokeAt = performance.now();
    this.due.clear();
    for (const id of this.lanes.keys()) this.pump(id);
  }

  /**
   * Queues a transition for every integration that should hear of it. Returns once the outbox
   * holds them durably: the caller may then persist the disk's new state.
   */
  enqueue(t: Transition, context: TransitionContext): void {
    const key = subjectKey(t.mount, t.kind);
    const notices = this.o.integrations
      .load()
      .integrations.map((integration) => ({
        integration,
        reading: t.reading,
        kind: t.kind,
        change: route(integration, t, this.o.notified.lastSent(integration.id, key)),
        at: t.at,
        since: context.previous?.since,
        forecast: context.forecast,
        predicted: t.predicted,
      }))
      .filter((n) => n.change !== null);
    this.tell(notices as Notice[], context.states, context.settings, true);
  }

  /** Whether some alert is being held: its owner should reconcile after each sample. */
  holding(): boolean {
    return this.held.size > 0;
  }

  /**
   * Tells every integration whatever it missed: after alerts were paused, or after an
   * integration's filter changed. What it was last told is compared with what it should see now.
   */
  reconcile(readings: readonly Reading[], states: Record<string, MountRecord>, settings: Settings): void {
    const notices: Notice[] = [];
    for (const integration of this.o.integrations.load().integrations) {
      for (const reading of readings) {
        for (const { mount, kind, key } of alertsOf(reading, states)) {
          const state = states[key]!;
          const change = route(
            integration,
            { mount, to: state.state },
            this.o.notified.lastSent(integration.id, key),
          );
          if (change)
            notices.push({ integration, reading, kind, change, at: this.o.now(), since: state.since });
          // A held change that is no longer one (a warning over before it was sent) is dropped:
          // its all-clear is not owed either.
          else this.held.take(integration.id, key);
        }
      }
    }
    this.tell(notices, states, settings, false);
  }

  /**
   * Reminders: an integration that asked for them hears again of a warning or critical it was
   * told of, every so many hours while that state holds (and is not held).
   */
  remind(readings: readonly Reading[], states: Record<string, MountRecord>, settings: Settings): void {
    if (this.stopped) return;
    const now = this.o.now();
    const notices: Notice[] = [];
    for (const integration of this.o.integrations.load().integrations) {
      const { warningHours, criticalHours } = integration.reminders;
      if (!integration.enabled || (warningHours === null && criticalHours === null)) continue;
      for (const reading of readings) {
        for (const { mount, kind, key } of alertsOf(reading, states)) {
          const told = this.o.notified.told(integration.id, key);
          const state = states[key]!;
          if (!told || (told.state !== 'warning' && told.state !== 'critical')) continue;
          if (route(integration, { mount, to: state.state }, told.state)) continue; // a change is owed
          const hours = told.state === 'critical' ? criticalHours : warningHours;
          const last = told.at || state.since;
          if (hours === null || now - last < hours * 3_600_000) continue;
          const change = { from: told.state, to: told.state };
          notices.push({ integration, reading, kind, change, at: now, since: state.since, reminder: true });
        }
      }
    }
    this.tell(notices, states, settings, false);
  }

  /**
   * What grew on a disk, for the integrations that opted in (`includeUsage`) and were told of its
   * current warning or critical: that alert again, with the usage lines. It follows the alert and
   * never holds it up (the scan runs on its own thread); held, it is dropped like a reminder.
   */
  tellUsage(
    reading: Reading,
    states: Record<string, MountRecord>,
    settings: Settings,
    usage: UsageNote,
  ): void {
    if (this.stopped) return;
    const mount = mountOf(reading);
    const key = subjectKey(mount, 'space');
    const state = states[key];
    if (!state || (state.state !== 'warning' && state.state !== 'critical')) return;
    const notices: Notice[] = [];
    for (const integration of this.o.integrations.load().integrations) {
      if (!integration.enabled || !integration.includeUsage || !watchesMount(integration, mount)) continue;
      const told = this.o.notified.told(integration.id, key);
      // Not told of this state (its filter hides it, or it is held): there is no alert to add to.
      if (told?.state !== state.state) continue;
      const change = { from: state.state, to: state.state };
      notices.push({
        integration,
        reading,
        kind: 'space',
        change,
        at: this.o.now(),
        since: state.since,
        usage,
      });
    }
    this.tell(notices, states, settings, false);
  }

  /**
   * Writes each notice to the outbox (durably), records it, then starts sending. A notice that
   * must be held is not sent: with `recordHolds` (a fresh transition) the history says so.
   */
  private tell(
    notices: Notice[],
    states: Record<string, MountRecord>,
    settings: Settings,
    recordHolds: boolean,
  ): void {
    const queued: OutboxEntry[] = [];
    const told: Notice[] = [];
    for (const notice of notices) {
      const { integration, reading, kind, change, at, since, forecast, predicted, reminder, usage } = notice;
      const key = subjectKey(mountOf(reading), kind);
      const hold =
        this.o.holdFor?.(integration, { mount: mountOf(reading), kind, to: change.to, from: change.from }) ??
        null;
      const eventOf = (held?: AlertEvent['held']) =>
        eventFromReading({
          id: randomUUID(),
          host: this.o.host,
          reading,
          kind,
          change,
          at,
          since,
          states,
          settings,
          forecast: forecast ?? this.o.forecastFor?.(mountOf(reading)),
          predicted,
          reminder,
          held,
          usage,
        });
      if (hold) {
        if (reminder || usage) continue;
        this.held.hold(integration.id, key, hold, recordHolds);
        if (recordHolds) this.recordHeld(eventOf(), integration, hold);
        continue;
      }
      const event = eventOf(this.held.take(integration.id, key));
      told.push(notice);
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
      told.map((n) => ({
        integrationId: n.integration.id,
        key: subjectKey(mountOf(n.reading), n.kind),
        state: n.change.to,
        at: this.o.now(),
      })),
    );
    for (const entry of queued) {
      this.laneOf(entry.integrationId).entries.push(entry);
      this.pump(entry.integrationId);
    }
    if (!this.stopped) this.held.schedule(() => this.o.onRelease?.());
  }

  /** A held change, in the history with its reason: final, nothing is sent for it. */
  private recordHeld(event: AlertEvent, integration: Integration, hold: Hold): void {
    const now = this.o.now();
    const entry = {
      id: event.id,
      seq: '',
      integrationId: integration.id,
      event,
      createdAt: now,
    } as OutboxEntry;
    this.update(newDeliveryRecord(entry, integration), { outcome: 'held', reason: describeHold(hold) });
    this.records.delete(event.id);
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
        for (const { mount, kind, key } of alertsOf(reading, states)) {
          const told = this.o.notified.lastSent(integration.id, key);
          if (!told || told === 'ok' || !watchesMount(integration, mount)) continue;
          const event = eventFromReading({
            id: randomUUID(),
            host: this.o.host,
            reading,
            kind,
            change: { from: told, to: told },
            at: this.o.now(),
            since: states[key]?.since,
            states,
            settings,
            forecast: this.o.forecastFor?.(mount),
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
  async sendTest(integration: Integration, disk?: TestDisk): Promise<DeliveryRecord> {
    const now = this.o.now();
    const entry: OutboxEntry = {
      id: randomUUID(),
      seq: this.o.outbox.nextSeq(now),
      integrationId: integration.id,
      event: testEvent(this.o.host, now, randomUUID(), disk),
      createdAt: now,
      attempts: 0,
      nextAttemptAt: now,
    };
    entry.event.id = entry.id;
    const record = this.update(newDeliveryRecord(entry, integration), {});
    const { outcome, attempt } = await this.attemptOnce(entry, integration);
    const cleanup = outcome.kind === 'delivered' ? await this.resolveTest(entry, integration) : null;
    return this.update(record, {
      attempts: [...record.attempts, attempt, ...(cleanup ? [cleanup.attempt] : [])],
      outcome: outcome.kind === 'delivered' ? 'delivered' : 'failed',
      reason: [reasonOf(outcome, attempt), cleanup?.says].filter(Boolean).join('; ') || undefined,
      ...(outcome.kind === 'delivered' ? {} : { reasonCode: outcome.reason }),
    });
  }

  /**
   * A test opens an incident or alert where the receiver keeps them (PagerDuty, Opsgenie,
   * Alertmanager): its all-clear follows at once, through the same path, with the same key.
   */
  private async resolveTest(entry: OutboxEntry, integration: Integration) {
    if (!channelFor(integration.type)?.tracksIncidents) return null;
    const event: AlertEvent = { ...entry.event, from: 'warning', to: 'ok', at: this.o.now() };
    const { outcome, attempt } = await this.attemptOnce({ ...entry, event }, integration);
    const says =
      outcome.kind === 'delivered'
        ? 'the test alert was resolved again'
        : `the test alert could not be resolved (${outcome.message}): resolve it at the receiver`;
    return {
      attempt: { ...attempt, note: [attempt.note, 'resolving the test'].filter(Boolean).join('; ') },
      says,
    };
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
    this.held.stop();
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
    const wait = (this.due.get(head.id) ?? 0) - performance.now();
    if (wait > 0) {
      lane.timer = setTimeout(() => this.pump(integrationId), Math.min(wait, 2 ** 31 - 1));
      return;
    }
    lane.busy = true;
    const work = this.deliver(head)
      .catch((error) =>
        this.end(head, {
          kind: 'failed',
          reason: 'internalError',
          message: `internal error in Headroom: ${(error as Error).message}`,
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
    const started = performance.now();
    const { outcome, attempt } = await this.attemptOnce(entry, integration);
    const record = this.recordOf(entry, integration);
    const attempts = [...record.attempts, attempt];
    entry.attempts++;
    if (outcome.kind !== 'retry') return this.end(entry, outcome, attempts);
    const decision =
      outcome.maxAttempts !== undefined && entry.attempts >= outcome.maxAttempts
        ? { giveUp: `gave up after ${entry.attempts} attempts with the same answer` }
        : nextAttempt(
            typeof this.o.policy === 'function' ? this.o.policy() : this.o.policy,
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
    if (this.wokeAt < started) this.due.set(entry.id, performance.now() + (decision.retryAt - this.o.now()));
    this.o.outbox.put(entry);
    this.update(record, {
      attempts,
      outcome: 'retrying',
      reason: reasonOf(
        {
          ...outcome,
          message: `${outcome.message}; next try in ${formatDuration(decision.retryAt - this.o.now())}`,
        },
        attempts.at(-1),
      ),
      reasonCode: outcome.reason,
      nextAttemptAt: decision.retryAt,
    });
  }

  /**
   * A template that cannot be rendered does not stop the alert: it goes out with Headroom's own
   * message, and the attempt's note (then the record's reason) says so.
   */
  private async attemptOnce(entry: OutboxEntry, integration: Integration) {
    const { event, problem } = renderTemplate(entry.event, integration.template);
    const { transport, timeoutMs, now, threads } = this.o;
    const result = await attemptDelivery(event, integration, transport, timeoutMs, now, threads);
    if (!problem) return result;
    const note = `the message template could not be rendered (${problem}), so Headroom's own message was used`;
    const notes = [note, result.attempt.note].filter(Boolean).join('; ');
    return { ...result, attempt: { ...result.attempt, note: notes } };
  }

  /** The history first: a crash before the outbox entry goes only sends it again. */
  private end(entry: OutboxEntry, outcome: Outcome, attempts?: DeliveryRecord['attempts']): void {
    const lane = this.laneOf(entry.integrationId);
    lane.entries = lane.entries.filter((e) => e.id !== entry.id);
    this.due.delete(entry.id);
    const record = this.records.get(entry.id);
    if (record) {
      this.update(record, {
        ...(attempts ? { attempts } : {}),
        outcome: outcome.kind === 'delivered' ? 'delivered' : 'failed',
        reason: reasonOf(outcome, attempts?.at(-1)),
        reasonCode: outcome.kind === 'delivered' ? undefined : outcome.reason,
        nextAttemptAt: undefined,
      });
    }
    this.records.delete(entry.id);
    if (outcome.kind === 'failed') this.o.outbox.retire(entry);
    else this.o.outbox.remove(entry);
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

/** A record's reason: why it failed (or when it is tried next), and what its last attempt noted. */
function reasonOf(outcome: Outcome, last: Attempt | undefined): string | undefined {
  const parts = [outcome.kind === 'delivered' ? undefined : outcome.message, last?.note];
  return parts.filter(Boolean).join('; ') || undefined;
}

function describeHold(h: Hold): string {
  const until = formatTime(h.until, { seconds: false });
  switch (h.reason) {
    case 'quiet hours':
      return `held: quiet hours until ${until}; sent then if still relevant`;
    case 'snoozed':
      return `held: snoozed until ${until}; sent then if still relevant`;
    case 'paused':
      return 'held: alerts are paused; sent on resume if still relevant';
    case 'flapping':
      return `held: flapping (${h.detail ?? describeFlapping(FLAPPING)})`;
  }
}
