import { channelFor } from '../../shared/channels/registry.js';
import { subjectKey } from '../../shared/disk.js';
import type { AlertEvent } from '../../shared/event.js';
import type { Attempt } from '../../shared/history.js';
import type { Integration } from '../../shared/integration.js';
import type { IntegrationStore } from './integration-store.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import { deliveryRecord, type DeliveryRecords } from './records.js';

export interface RestartOptions {
  outbox: Outbox;
  records: DeliveryRecords;
  integrations: Pick<IntegrationStore, 'get'>;
}

/** What a summary's `held` says of the changes a stopped process left unsent (see `heldNote`). */
export const NOT_SENT_BEFORE_RESTART = 'not sent before a restart';

/**
 * What a previous run left in the outbox, made ready to send (in the same order): each alert's
 * unsent changes to one integration summed up in one message (see `sumUp`), and a delivery it
 * was in the middle of sending when it stopped settled (see `resendOnce`).
 */
export function resumeAfterStop(o: RestartOptions, pending: readonly OutboxEntry[]): OutboxEntry[] {
  const groups = new Map<string, OutboxEntry[]>();
  for (const e of pending) {
    const key = `${e.integrationId}\n${e.event.test ? e.id : subjectKey(e.event.mount, e.event.kind)}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const dropped = new Set<OutboxEntry>();
  for (const group of groups.values()) {
    // Only the head of an integration's lane is ever being sent, so only a group's first entry.
    const head = group[0]!;
    const interrupted = head.sendingSince !== undefined;
    if (interrupted) noteInterrupted(o, head);
    const gone =
      group.length > 1 ? sumUp(o, group, interrupted) : interrupted && !resendOnce(o, head) ? group : [];
    for (const e of gone) dropped.add(e);
  }
  return pending.filter((e) => !dropped.has(e));
}

/** The attempt a stop cut short, in the entry's history: the receiver may have the message. */
function noteInterrupted(o: RestartOptions, entry: OutboxEntry): void {
  const interrupted: Attempt = {
    at: entry.sendingSince!,
    result: 'retry',
    reason: 'interrupted',
    message: 'Headroom was stopped before the receiver answered: it may have the message',
    latencyMs: 0,
  };
  delete entry.sendingSince;
  o.outbox.clearSending(entry);
  o.records.amend(entry, o.integrations.get(entry.integrationId), (r) => ({
    attempts: [...r.attempts, interrupted],
  }));
}

/**
 * A delivery the process was sending when it stopped: the receiver may have it. A receiver that
 * drops repeats (`Traits.deduplicates`) simply gets it again. Any other (a chat) shows a repeat
 * as a second message, so it gets it once more at most, marked as a possible repeat; stopped
 * again while sending that, it is not sent a third time and its outcome is `unknown` — in the
 * history, with Retry to send it again by hand. Whether to send it (again).
 */
function resendOnce(o: RestartOptions, entry: OutboxEntry): boolean {
  const integration = o.integrations.get(entry.integrationId);
  const channel = integration ? channelFor(integration.type) : undefined;
  if (!channel || channel.traits?.deduplicates) return true;
  if (entry.event.possibleRepeat) {
    o.records.amend(entry, integration, {
      outcome: 'unknown',
      reason:
        `possibly delivered: Headroom was stopped twice while sending it, and ${channel.label} shows ` +
        'every repeat, so it is not sent a third time; Retry sends it again',
      reasonCode: 'interrupted',
      nextAttemptAt: undefined,
    });
    o.outbox.retire(entry);
    return false;
  }
  entry.event.possibleRepeat = true;
  o.outbox.put(entry);
  o.records.amend(entry, integration, {
    reason: 'Headroom was stopped while sending it: sent once more, marked as a possible repeat',
  });
  return true;
}

/**
 * Several unsent changes of one alert to one integration (a process that stopped while a slow
 * receiver held them up) go out as one message of the net change, the way a hold's release sums
 * up what it held (`AlertEvent.held`): the latest one, from the state the integration was told
 * before the first, saying how many changes since when. No net change sends nothing — unless the
 * first may have arrived (`headSent`, or a summary of an earlier start is among them): then the
 * integration may have been told otherwise. A
 * summary is a new message, never a repeat. The entries summed up are `held` in the history; they
 * are what this returns.
 */
function sumUp(o: RestartOptions, group: OutboxEntry[], headSent: boolean): OutboxEntry[] {
  const last = group.at(-1)!;
  const earlier = group.slice(0, -1);
  const integration = o.integrations.get(last.integrationId);
  const { from, since, changes } = netChange(group);
  if (changes === 0) {
    // Reminders or usage notes only: the latest says all they did.
    settle(o, earlier, integration, 'held: a later message of this alert went out instead');
    return earlier;
  }
  // A summary an earlier start made is here unsent: it may sum up a delivery that was in flight
  // then (its head), so what the integration was told is not known for sure either.
  const unsure = headSent || group.some((e) => e.event.held?.reason === NOT_SENT_BEFORE_RESTART);
  if (from === last.event.to && !unsure) {
    settle(o, group, integration, `held: ${NOT_SENT_BEFORE_RESTART}; no net change, so nothing is sent`);
    return group;
  }
  const held = { reason: NOT_SENT_BEFORE_RESTART, since, changes };
  const { possibleRepeat: _repeat, ...event } = withoutReminder(last.event);
  last.event = { ...event, from, held };
  // The summary is on the disk before the entries it sums up leave: a stop in between finds them
  // again beside it, already counted (see netChange).
  o.outbox.put(last);
  const record = deliveryRecord(last.event, integration ?? unnamed(last), last.createdAt);
  o.records.amend(last, integration, { event: record.event, reason: `sums up ${changes} unsent changes` });
  settle(o, earlier, integration, `held: ${NOT_SENT_BEFORE_RESTART}; summed up in a later message`);
  return earlier;
}

/** From which state, since when and by how many changes the alert moved over these entries. */
function netChange(group: readonly OutboxEntry[]): {
  from: AlertEvent['from'];
  since: number;
  changes: number;
} {
  const last = group.at(-1)!.event;
  // A summary from a start cut short already counts the entries left beside it.
  if (last.held?.reason === NOT_SENT_BEFORE_RESTART)
    return { from: last.from, since: last.held.since, changes: last.held.changes };
  let changes = 0;
  let since = Infinity;
  for (const { event } of group) {
    const held = event.held && !event.held.cycling ? event.held : undefined;
    changes += held ? held.changes : event.from !== event.to ? 1 : 0;
    since = Math.min(since, held?.since ?? event.at);
  }
  return { from: group[0]!.event.from, since, changes };
}

function withoutReminder(event: AlertEvent): AlertEvent {
  const { reminder: _reminder, startedAt: _startedAt, ...rest } = event;
  return rest;
}

/** Entries that will not be sent: out of the outbox, `held` with the reason in the history. */
function settle(
  o: RestartOptions,
  entries: readonly OutboxEntry[],
  integration: Integration | undefined,
  reason: string,
): void {
  for (const e of entries) {
    o.records.amend(e, integration, {
      outcome: 'held',
      reason,
      reasonCode: undefined,
      nextAttemptAt: undefined,
    });
    o.outbox.remove(e);
  }
}

function unnamed(e: OutboxEntry) {
  return { id: e.integrationId, name: e.integrationId, type: '?' };
}
