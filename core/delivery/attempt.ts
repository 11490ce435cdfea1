import { redact, secretValues } from '../../shared/channels/channel.js';
import { channelFor } from '../../shared/channels/registry.js';
import { localShortage, type Outcome } from '../../shared/http-outcome.js';
import type { AlertEvent } from '../../shared/event.js';
import type { Attempt } from '../../shared/history.js';
import type { Integration } from '../../shared/integration.js';
import { attemptOf, type Sent } from './attempt/classify.js';
import { sendFollowUps, type SendStep } from './attempt/follow-ups.js';
import { sendScrubbed } from './attempt/send.js';
import { notedAttempt, templated } from './attempt/template.js';
import { deliverThreaded, type Delivered, type Threads } from './attempt/thread.js';
import { deliverToTargets } from './attempt/targets.js';
import type { Transport } from './transport.js';

export { sendScrubbed };
export type { Threads };

/**
 * One attempt at delivering an event, as a pipeline of stages, each a file of its own under
 * attempt/: thread or targets (where it goes) → render → send → classify → follow-ups, as an
 * `Attempt` for the history. The template stage comes before, in `attemptWithTemplate`.
 */
export async function attemptDelivery(
  event: AlertEvent,
  integration: Integration,
  transport: Transport,
  timeoutMs: number,
  now: () => number,
  threads?: Threads,
  heard?: Set<string>,
): Promise<{ outcome: Outcome; attempt: Attempt }> {
  const channel = channelFor(integration.type)!;
  const at = now();
  const config = integration.config;
  const secrets = secretValues(channel, config);
  const send: SendStep = (request, classify) =>
    sendScrubbed(transport, request, timeoutMs, secrets, classify);
  // One delivery of an event to one receiver: its request, then the channel's follow-ups.
  const deliver = async (e: AlertEvent, to = config): Promise<Delivered> => {
    const request = await channel.render(e, to);
    const first = await send(request, (res) => channel.classify(res, e, to, now()));
    return { first, sent: await sendFollowUps(channel.followUp, e, to, { request, sent: first }, send, now) };
  };
  const targets = channel.targets?.of(config) ?? [];
  let sent: Pick<Sent, 'outcome' | 'status' | 'latencyMs'>;
  try {
    sent =
      targets.length > 1
        ? await deliverToTargets(
            event,
            channel,
            config,
            targets,
            secrets,
            heard,
            async (to) => (await deliver(event, to)).sent,
          )
        : await deliverThreaded(event, channel, config, integration.id, threads, deliver);
  } catch (error) {
    const message = redact(`could not build the request: ${(error as Error).message}`, secrets);
    // Out of files or memory while building it (loading jose, say) passes: try again later.
    const outcome = localShortage((error as NodeJS.ErrnoException).code) ?? {
      kind: 'failed' as const,
      reason: 'configError' as const,
      message,
    };
    sent = { outcome, latencyMs: 0 };
  }
  return { outcome: sent.outcome, attempt: attemptOf(at, sent) };
}

/** What every attempt needs besides the event and the integration. */
export interface AttemptContext {
  transport: Transport;
  /** Per attempt. */
  timeoutMs: number;
  now: () => number;
  threads?: Threads;
}

/** One attempt with the integration's own message template (the template stage, then the rest). */
export async function attemptWithTemplate(
  event: AlertEvent,
  integration: Integration,
  c: AttemptContext,
  /** The targets that took this delivery in earlier attempts (see `Targets.every`); added to. */
  heard?: Set<string>,
): Promise<{ outcome: Outcome; attempt: Attempt }> {
  const { event: rendered, note } = templated(event, integration.template);
  const result = await attemptDelivery(
    rendered,
    integration,
    c.transport,
    c.timeoutMs,
    c.now,
    c.threads,
    heard,
  );
  return { ...result, attempt: notedAttempt(result.attempt, note) };
}
