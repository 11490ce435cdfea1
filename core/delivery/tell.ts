import { alertFacts, eventFor, type AlertFacts } from '../../shared/alert-facts.js';
import { subjectKey } from '../../shared/disk.js';
import type { Transition } from '../../shared/hysteresis.js';
import type { Integration } from '../../shared/integration.js';
import { alertsOf, type Alert, type DiskSnapshot, type Notice } from '../../shared/notices.js';
import type { UsageNote } from '../../shared/usage-note.js';
import type { TransitionContext } from '../monitor.js';
import type { OutboxEntry } from './outbox.js';
import type { DeliveryParts } from './dispatcher.js';
import { randomUUID } from '../builtins.js';

/** One alert's facts, built once, and the integrations that are to hear of it. */
interface Telling {
  facts: AlertFacts;
  key: string;
  notices: Notice[];
}

export type TellOptions = Pick<
  DeliveryParts,
  'host' | 'current' | 'holds' | 'outbox' | 'records' | 'notified' | 'lanes' | 'now'
>;

/** A transition, to the integrations `notices` names: its facts built once, for all of them. */
export function tellTransition(
  o: TellOptions,
  t: Transition,
  context: TransitionContext,
  notices: Notice[],
): void {
  const facts = alertFacts({
    host: o.host,
    reading: t.reading,
    kind: t.kind,
    at: t.at,
    since: context.previous?.since,
    states: context.states,
    settings: context.settings,
    forecast: context.forecast,
    predicted: t.predicted,
  });
  tell(o, [{ facts, key: subjectKey(t.mount, t.kind), notices }], true);
}

/**
 * The alerts of the disks as they are now, outside a transition (a catch-up, a reminder, a usage
 * note), each to the integrations `noticesOf` picks: each alert's facts built once.
 */
export function tellOfNow(
  o: TellOptions,
  disks: DiskSnapshot,
  noticesOf: (integrations: Integration[], alert: Alert) => Notice[],
  extra: { reminder?: boolean; usage?: UsageNote } = {},
): void {
  const integrations = o.current();
  const at = o.now();
  const tellings = alertsOf(disks.readings, disks.states).map((alert) => {
    const notices = noticesOf(integrations, alert);
    const facts = alertFacts({
      host: o.host,
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
  });
  tell(o, tellings, false);
}

/**
 * Writes each integration's event to the outbox, records it, notes what each was told, then
 * starts sending. A change that must be held is not sent: with `fresh` (a transition) the
 * history says so; a reminder or a usage note that would be held is dropped.
 */
function tell(o: TellOptions, tellings: readonly Telling[], fresh: boolean): void {
  const { holds, outbox, records } = o;
  const queued: OutboxEntry[] = [];
  for (const { facts, key, notices } of tellings) {
    for (const { integration, change } of notices) {
      const hold = holds.holdFor(integration, { mount: facts.mount, kind: facts.kind, ...change }, !fresh);
      if (hold && (facts.reminder || facts.usage)) continue;
      if (hold && !hold.cycling) {
        holds.hold(integration.id, key, hold, fresh);
        if (fresh) records.held(eventFor(facts, randomUUID(), change), integration, hold);
        continue;
      }
      // Held as flapping, but the integration is first told, once, that the alert is cycling.
      const event = hold?.cycling
        ? eventFor(
            facts,
            randomUUID(),
            { from: change.from, to: hold.cycling.to },
            holds.announce(integration.id, key, { ...hold, cycling: hold.cycling }),
          )
        : eventFor(facts, randomUUID(), change, holds.take(integration.id, key));
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
