import { alertFacts, eventFor, type AlertFacts } from '../../shared/alert-facts.js';
import { subjectKey } from '../../shared/disk.js';
import type { Alert, DiskSnapshot, Notice } from '../../shared/notices.js';
import type { UsageNote } from '../../shared/usage.js';
import type { Holds } from './holds.js';
import type { Lanes } from './lanes.js';
import type { NotifiedStore } from './notified-store.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import type { DeliveryRecords } from './records.js';
import { randomUUID } from '../builtins.js';

/** One alert's facts, built once, and the integrations that are to hear of it. */
export interface Telling {
  facts: AlertFacts;
  key: string;
  notices: Notice[];
}

/** An alert of now, outside a transition (a catch-up, a reminder, a usage note): its facts as the disks are now. */
export function tellingOf(
  host: string,
  at: number,
  alert: Alert,
  disks: DiskSnapshot,
  notices: Notice[],
  extra: { reminder?: boolean; usage?: UsageNote } = {},
): Telling {
  const facts = alertFacts({
    host,
    reading: alert.reading,
    kind: alert.kind,
    at,
    since: alert.record.since,
    states: disks.states,
    settings: disks.settings,
    forecast: disks.forecastFor?.(alert.mount),
    ...extra,
  });
  return { facts, key: alert.key, notices };
}

export interface TellOptions {
  holds: Holds;
  outbox: Outbox;
  records: DeliveryRecords;
  notified: NotifiedStore;
  lanes: Lanes;
  now: () => number;
}

/**
 * Writes each integration's event to the outbox, records it, notes what each was told, then
 * starts sending. A change that must be held is not sent: with `fresh` (a transition) the
 * history says so; a reminder or a usage note that would be held is dropped.
 */
export function tell(o: TellOptions, tellings: readonly Telling[], fresh: boolean): void {
  const { holds, outbox, records } = o;
  const queued: OutboxEntry[] = [];
  for (const { facts, key, notices } of tellings) {
    for (const { integration, change } of notices) {
      const hold = holds.holdFor(integration, { mount: facts.mount, kind: facts.kind, ...change });
      if (hold) {
        if (facts.reminder || facts.usage) continue;
        holds.hold(integration.id, key, hold, fresh);
        if (fresh) records.held(eventFor(facts, randomUUID(), change), integration, hold);
        continue;
      }
      const event = eventFor(facts, randomUUID(), change, holds.take(integration.id, key));
      const now = o.now();
      const entry: OutboxEntry = {
        id: event.id,
        seq: outbox.nextSeq(now),
        integrationId: integration.id,
        event,
        createdAt: now,
        attempts: 0,
        nextAttemptAt: now,
      };
      outbox.put(entry);
      records.open(event, integration, now);
      queued.push(entry);
    }
  }
  const at = o.now();
  o.notified.record(
    queued.map(({ integrationId, event }) => ({
      integrationId,
      key: subjectKey(event.mount, event.kind),
      state: event.to,
      at,
    })),
  );
  o.lanes.push(queued);
  if (!o.lanes.stopped) holds.schedule();
}
