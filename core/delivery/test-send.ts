import { redact, secretValues } from '../../shared/channels/channel.js';
import { channelFor } from '../../shared/channels/registry.js';
import { testEvent, type AlertEvent, type TestDisk } from '../../shared/event.js';
import { formatDuration } from '../../shared/format.js';
import type { Attempt, DeliveryRecord } from '../../shared/history.js';
import type { Integration } from '../../shared/integration.js';
import { attemptWithTemplate, sendScrubbed, type AttemptContext } from './attempt.js';
import { reasonOf, type DeliveryRecords } from './records.js';
import { askWithShortWaits } from './short-wait.js';
import { randomUUID } from '../builtins.js';

/**
 * The longest a Send test stays open for the receiver's own receivers to hear it (see
 * `Channel.testHold`): someone is waiting for its answer.
 */
const MAX_TEST_HOLD_MS = 60_000;
/** Past the receiver's wait, for its flush to find the test still open. */
const HOLD_MARGIN_MS = 2_000;

/**
 * "Send test": a synthetic event, sent now through the same render → send → classify path as
 * every alert, asked again after a short Retry-After as a save's check is (see SHORT_WAIT);
 * recorded in the history, never queued. A test held open past the receiver's group_wait (up to a
 * minute) says so through `onHold` as the wait begins, so whoever waits knows why.
 */
export async function sendTest(
  host: string,
  records: DeliveryRecords,
  c: AttemptContext,
  integration: Integration,
  disk?: TestDisk,
  onHold?: (says: string) => void,
): Promise<DeliveryRecord> {
  const event = testEvent(host, c.now(), randomUUID(), disk);
  const record = records.open(event, integration, event.at);
  const sent = await askWithShortWaits(() => attemptWithTemplate(event, integration, c));
  const { outcome, attempt } = sent.at(-1)!;
  const cleanup = outcome.kind === 'delivered' ? await resolveTest(event, integration, c, onHold) : null;
  return records.update(record, {
    attempts: [...record.attempts, ...sent.map((s) => s.attempt), ...(cleanup?.attempts ?? [])],
    outcome: outcome.kind === 'delivered' ? 'delivered' : 'failed',
    reason: [reasonOf(outcome, attempt), cleanup?.says].filter(Boolean).join('; ') || undefined,
    ...(outcome.kind === 'delivered' ? {} : { reasonCode: outcome.reason }),
  });
}

/**
 * A test opens an incident or alert where the receiver keeps them (PagerDuty, Opsgenie,
 * Alertmanager): its all-clear follows, through the same path, with the same key; at once, or
 * once the receiver's own receivers can have heard it (see `Channel.testHold`).
 */
async function resolveTest(
  test: AlertEvent,
  integration: Integration,
  c: AttemptContext,
  onHold?: (says: string) => void,
): Promise<{ attempts: Attempt[]; says: string } | null> {
  if (!channelFor(integration.type)?.traits?.pages) return null;
  const hold = await holdFor(integration, c);
  if (hold.ms > 0) {
    onHold?.(`delivered; it stays open ${formatDuration(hold.ms)}, past ${hold.past}, then is resolved`);
    await new Promise((wake) => setTimeout(wake, hold.ms));
  }
  const event: AlertEvent = { ...test, from: 'warning', to: 'ok', at: c.now() };
  const sent = await askWithShortWaits(() => attemptWithTemplate(event, integration, c));
  const { outcome } = sent.at(-1)!;
  const resolved =
    outcome.kind === 'delivered'
      ? 'the test alert was resolved again'
      : `the test alert could not be resolved (${outcome.message}): resolve it at the receiver`;
  return {
    attempts: sent.map(({ attempt }) => ({
      ...attempt,
      note: [attempt.note, 'resolving the test'].filter(Boolean).join('; '),
    })),
    says: [hold.says, resolved].filter(Boolean).join('; '),
  };
}

/**
 * How long the test stays open before its all-clear, and what the history says of it: past the
 * wait the receiver reports (the longest of its targets'), or not at all when that cannot be
 * known or is too long to wait, saying plainly that only the receiver itself was reached.
 */
async function holdFor(
  integration: Integration,
  c: AttemptContext,
): Promise<{ ms: number; says?: string; past?: string }> {
  const channel = channelFor(integration.type)!;
  if (!channel.testHold) return { ms: 0 };
  const secrets = secretValues(channel, integration.config);
  const configs = channel.targets?.of(integration.config).map((t) => t.config) ?? [integration.config];
  const holds = await Promise.all(
    configs.map(async (config) => {
      const ask = channel.testHold!(config);
      let hold: ReturnType<typeof ask.holdMs> = null;
      const sent = await sendScrubbed(c.transport, ask.request, ask.timeoutMs, secrets, (res) => {
        hold = ask.holdMs(res);
        return { kind: 'delivered' };
      });
      return { hold, failed: sent.outcome.kind === 'delivered' ? undefined : sent.outcome.message };
    }),
  );
  const known = holds.flatMap((h) => (h.hold ? [h.hold as { ms: number; what: string }] : []));
  const only = `only ${channel.label} itself was reached`;
  if (known.length === 0) {
    const why = holds.find((h) => h.failed)?.failed;
    return {
      ms: 0,
      says: redact(
        `${only}: how long it waits before telling its receivers could not be learnt${why ? ` (${why})` : ''}, so they may not have heard the test before it was resolved`,
        secrets,
      ),
    };
  }
  const longest = known.reduce((a, b) => (b.ms > a.ms ? b : a));
  if (longest.ms + HOLD_MARGIN_MS > MAX_TEST_HOLD_MS)
    return {
      ms: 0,
      says: `${only}: ${longest.what} is longer than a test waits (${formatDuration(MAX_TEST_HOLD_MS)}), so its receivers did not hear the test before it was resolved`,
    };
  const ms = longest.ms + HOLD_MARGIN_MS;
  return {
    ms,
    past: longest.what,
    says: `the test alert stayed open ${formatDuration(ms)}, past ${longest.what}, so that its receivers hear it`,
  };
}
