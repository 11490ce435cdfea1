import type { DeliveryRecord } from '../../shared/history.js';
import type { DeliveryParts } from './dispatcher.js';
import { resumeAfterStop } from './restart.js';

export type RequeueOptions = Pick<
  DeliveryParts,
  'outbox' | 'history' | 'records' | 'notified' | 'integrations' | 'lanes' | 'now'
>;

/**
 * Picks up what a previous run left in the outbox and sends it at once: whatever it was waiting
 * for (a backoff, a network that was down) may well be over after a restart. What it was in the
 * middle of sending, and several changes of one alert, are settled first (see resumeAfterStop).
 */
export function pickUpPending(o: RequeueOptions): void {
  const pending = o.outbox.list();
  if (pending.length === 0) return;
  const known = new Map(o.history.list().map((r) => [r.id, r]));
  for (const entry of pending) {
    const record = known.get(entry.id);
    if (record) o.records.adopt(record);
  }
  o.notified.countAsTold(pending);
  o.lanes.push(resumeAfterStop(o, pending));
}

/**
 * "Retry" on a failed delivery: the same event (same id, so receivers can de-duplicate) goes
 * back into its integration's lane with a fresh deadline. Undefined if it is not kept any more.
 */
export function retryFailed(o: RequeueOptions, id: string): DeliveryRecord | undefined {
  const entry = o.outbox.takeBack(id);
  if (!entry) return undefined;
  const now = o.now();
  Object.assign(entry, {
    seq: o.outbox.nextSeq(now),
    createdAt: now,
    attempts: 0,
    nextAttemptAt: now,
  });
  o.outbox.put(entry);
  const updated = o.records.retried(entry, o.integrations.get(entry.integrationId));
  o.lanes.push([entry]);
  return updated;
}
