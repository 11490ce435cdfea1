import { channelFor } from '../../shared/channels/registry.js';
import { testEvent, type AlertEvent, type TestDisk } from '../../shared/event.js';
import type { Attempt, DeliveryRecord } from '../../shared/history.js';
import type { Integration } from '../../shared/integration.js';
import { attemptWithTemplate, type AttemptContext } from './attempt.js';
import { reasonOf, type DeliveryRecords } from './records.js';
import { randomUUID } from '../builtins.js';

/**
 * "Send test": a synthetic event, one attempt, now, through the same render → send → classify
 * path as every alert; recorded in the history, never queued.
 */
export async function sendTest(
  host: string,
  records: DeliveryRecords,
  c: AttemptContext,
  integration: Integration,
  disk?: TestDisk,
): Promise<DeliveryRecord> {
  const event = testEvent(host, c.now(), randomUUID(), disk);
  const record = records.open(event, integration, event.at);
  const { outcome, attempt } = await attemptWithTemplate(event, integration, c);
  const cleanup = outcome.kind === 'delivered' ? await resolveTest(event, integration, c) : null;
  return records.update(record, {
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
async function resolveTest(
  test: AlertEvent,
  integration: Integration,
  c: AttemptContext,
): Promise<{ attempt: Attempt; says: string } | null> {
  if (!channelFor(integration.type)?.tracksIncidents) return null;
  const event: AlertEvent = { ...test, from: 'warning', to: 'ok', at: c.now() };
  const { outcome, attempt } = await attemptWithTemplate(event, integration, c);
  const says =
    outcome.kind === 'delivered'
      ? 'the test alert was resolved again'
      : `the test alert could not be resolved (${outcome.message}): resolve it at the receiver`;
  return {
    attempt: { ...attempt, note: [attempt.note, 'resolving the test'].filter(Boolean).join('; ') },
    says,
  };
}
