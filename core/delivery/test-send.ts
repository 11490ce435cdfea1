import { channelFor } from '../../shared/channels/registry.js';
import { testEvent, type AlertEvent, type TestDisk } from '../../shared/event.js';
import type { Attempt, DeliveryRecord } from '../../shared/history.js';
import type { Integration } from '../../shared/integration.js';
import { attemptWithTemplate, type AttemptContext } from './attempt.js';
import { reasonOf, type DeliveryRecords } from './records.js';
import { askWithShortWaits } from './short-wait.js';
import { randomUUID } from '../builtins.js';

/**
 * "Send test": a synthetic event, sent now through the same render → send → classify path as
 * every alert, asked again after a short Retry-After as a save's check is (see SHORT_WAIT);
 * recorded in the history, never queued.
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
  const sent = await askWithShortWaits(() => attemptWithTemplate(event, integration, c));
  const { outcome, attempt } = sent.at(-1)!;
  const cleanup = outcome.kind === 'delivered' ? await resolveTest(event, integration, c) : null;
  return records.update(record, {
    attempts: [...record.attempts, ...sent.map((s) => s.attempt), ...(cleanup?.attempts ?? [])],
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
): Promise<{ attempts: Attempt[]; says: string } | null> {
  if (!channelFor(integration.type)?.tracksIncidents) return null;
  const event: AlertEvent = { ...test, from: 'warning', to: 'ok', at: c.now() };
  const sent = await askWithShortWaits(() => attemptWithTemplate(event, integration, c));
  const { outcome } = sent.at(-1)!;
  const says =
    outcome.kind === 'delivered'
      ? 'the test alert was resolved again'
      : `the test alert could not be resolved (${outcome.message}): resolve it at the receiver`;
  return {
    attempts: sent.map(({ attempt }) => ({
      ...attempt,
      note: [attempt.note, 'resolving the test'].filter(Boolean).join('; '),
    })),
    says,
  };
}
