import type { Outcome } from '../../shared/http-outcome.js';
import { ALERT_KINDS, DEFAULT_KIND } from '../../shared/alert-kinds.js';
import { limitsOf, type AlertEvent } from '../../shared/event.js';
import type { Attempt, DeliveryRecord } from '../../shared/history.js';
import type { Integration } from '../../shared/integration.js';
import { formatTime } from '../../shared/format.js';
import { describeFlapping, FLAPPING, type Hold } from '../../shared/quiet.js';
import type { HistoryLog } from './history-log.js';
import type { OutboxEntry } from './outbox.js';

type Named = Pick<Integration, 'id' | 'name' | 'type'>;

/** A new delivery's history record, before its first attempt: what the event says, as sent. */
export function deliveryRecord(event: AlertEvent, integration: Named, createdAt: number): DeliveryRecord {
  return {
    id: event.id,
    integrationId: integration.id,
    integrationName: integration.name,
    channel: integration.type,
    ...(event.test ? { test: true } : {}),
    event: {
      host: event.host,
      mount: event.mount,
      // Without kind, a record is of the default kind (as records from before kinds were).
      ...(event.kind !== DEFAULT_KIND ? { kind: event.kind } : {}),
      ...(event.reminder ? { reminder: true } : {}),
      from: event.from,
      to: event.to,
      freePercent: ALERT_KINDS[event.kind].free(event),
      limits: limitsOf(event, event.kind),
      at: event.at,
    },
    outcome: 'pending',
    attempts: [],
    createdAt,
    updatedAt: createdAt,
  };
}

/** A record's reason: why it failed (or when it is tried next), and what its last attempt noted. */
export function reasonOf(outcome: Outcome, last: Attempt | undefined): string | undefined {
  const parts = [outcome.kind === 'delivered' ? undefined : outcome.message, last?.note];
  return parts.filter(Boolean).join('; ') || undefined;
}

/**
 * The history records of deliveries: each change appended to the history log and told to the
 * listeners (the CLI's log lines, the GUI's live history); the records of pending deliveries are
 * kept in memory until they end.
 */
export class DeliveryRecords {
  private readonly pending = new Map<string, DeliveryRecord>();
  private readonly listeners: ((record: DeliveryRecord) => void)[] = [];

  constructor(
    private readonly history: HistoryLog,
    private readonly now: () => number,
  ) {}

  onRecord(listener: (record: DeliveryRecord) => void): void {
    this.listeners.push(listener);
  }

  /** A pending delivery's record as the history last had it (after a restart). */
  adopt(record: DeliveryRecord): void {
    this.pending.set(record.id, record);
  }

  /** The record of a pending delivery, or undefined if it is not pending here. */
  pendingOf(id: string): DeliveryRecord | undefined {
    return this.pending.get(id);
  }

  /** The record of a pending delivery, else the one in the history. */
  find(id: string): DeliveryRecord | undefined {
    return this.pending.get(id) ?? this.history.get(id);
  }

  /** Records a new delivery of `event` to `integration`, pending. */
  open(event: AlertEvent, integration: Named, createdAt: number): DeliveryRecord {
    return this.update(deliveryRecord(event, integration, createdAt), {});
  }

  /**
   * A failed delivery sent again by hand: its record is pending again (rebuilt from the event if
   * the history lost it).
   */
  retried(entry: OutboxEntry, integration: Named | undefined): DeliveryRecord {
    return this.amend(entry, integration, {
      outcome: 'pending',
      reason: 'retried by hand',
      reasonCode: undefined,
      nextAttemptAt: entry.createdAt,
      delayedUntil: undefined,
    });
  }

  /**
   * Changes the record of an outbox entry (rebuilt from its event if the history lost it); with
   * `changes` as a function, from the record as it is.
   */
  amend(
    entry: OutboxEntry,
    integration: Named | undefined,
    changes: Partial<DeliveryRecord> | ((record: DeliveryRecord) => Partial<DeliveryRecord>),
  ): DeliveryRecord {
    const record =
      this.find(entry.id) ??
      deliveryRecord(
        entry.event,
        integration ?? { id: entry.integrationId, name: entry.integrationId, type: '?' },
        entry.createdAt,
      );
    return this.update(record, typeof changes === 'function' ? changes(record) : changes);
  }

  /** A held change, in the history with its reason: final, nothing is sent for it. */
  held(event: AlertEvent, integration: Named, hold: Hold): void {
    this.update(deliveryRecord(event, integration, this.now()), {
      outcome: 'held',
      reason: describeHold(hold),
    });
  }

  /** The end of a delivery, delivered or failed for good, with its attempts. */
  finish(id: string, outcome: Outcome, attempts?: Attempt[]): void {
    const record = this.pending.get(id);
    if (record)
      this.update(record, {
        ...(attempts ? { attempts } : {}),
        outcome: outcome.kind === 'delivered' ? 'delivered' : 'failed',
        reason: reasonOf(outcome, attempts?.at(-1)),
        reasonCode: outcome.kind === 'delivered' ? undefined : outcome.reason,
        nextAttemptAt: undefined,
        delayedUntil: undefined,
      });
  }

  update(record: DeliveryRecord, changes: Partial<DeliveryRecord>): DeliveryRecord {
    const next = { ...record, ...changes, updatedAt: this.now() };
    for (const key of Object.keys(next) as (keyof DeliveryRecord)[])
      if (next[key] === undefined) delete next[key];
    // Only what is still to be sent stays in memory: an ended one (a test, a held change) is not kept.
    if (next.outcome === 'pending' || next.outcome === 'retrying') this.pending.set(next.id, next);
    else this.pending.delete(next.id);
    this.history.append(next);
    for (const listener of this.listeners) listener(next);
    return next;
  }
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
