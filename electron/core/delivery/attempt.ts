import { redact, requestSecrets, secretValues } from '../../../shared/channels/channel.js';
import { channelFor } from '../../../shared/channels/registry.js';
import {
  classifyTransportError,
  localShortage,
  type HttpRequest,
  type HttpResponse,
  type Outcome,
} from '../../../shared/delivery.js';
import type { AlertEvent } from '../../../shared/event.js';
import type { Attempt, DeliveryRecord } from '../../../shared/history.js';
import type { Integration } from '../../../shared/integration.js';
import type { OutboxEntry } from './outbox.js';
import type { Transport } from './transport.js';

/**
 * Sends one request and classifies the answer, with every secret scrubbed from what comes back:
 * the configuration's secrets and the credentials as sent (a Basic header carries the password
 * encoded). The body is scrubbed before classifying, since a reason quotes a cut of it and a cut
 * secret would no longer match.
 */
export async function sendScrubbed(
  transport: Transport,
  request: HttpRequest,
  timeoutMs: number,
  secrets: string[],
  classify: (response: HttpResponse) => Outcome | Promise<Outcome>,
): Promise<{ outcome: Outcome; status?: number; latencyMs: number }> {
  const all = [...secrets, ...requestSecrets(request.headers)];
  // A delivered outcome's note quotes the receiver too (Discord's webhook name, Slack's team).
  const scrub = (o: Outcome): Outcome =>
    o.kind === 'delivered'
      ? o.note === undefined
        ? o
        : { ...o, note: redact(o.note, all) }
      : { ...o, message: redact(o.message, all) };
  const result = await transport(request, timeoutMs);
  if (!result.ok)
    return {
      outcome: scrub(classifyTransportError(result.error.code, result.error.message)),
      latencyMs: result.latencyMs,
    };
  const response = { ...result.response, body: redact(result.response.body, all) };
  return { outcome: scrub(await classify(response)), status: response.status, latencyMs: result.latencyMs };
}

/** One attempt at delivering an event: render → send → classify, as an `Attempt` for the history. */
export async function attemptDelivery(
  event: AlertEvent,
  integration: Integration,
  transport: Transport,
  timeoutMs: number,
  now: () => number,
): Promise<{ outcome: Outcome; attempt: Attempt }> {
  const channel = channelFor(integration.type)!;
  const at = now();
  let sent: { outcome: Outcome; status?: number; latencyMs: number };
  try {
    const request = await channel.render(event, integration.config);
    sent = await sendScrubbed(
      transport,
      request,
      timeoutMs,
      secretValues(channel, integration.config),
      (res) => channel.classify(res, event, integration.config, now()),
    );
  } catch (error) {
    const message = redact(
      `could not build the request: ${(error as Error).message}`,
      secretValues(channel, integration.config),
    );
    // Out of files or memory while building it (loading jose, say) passes: try again later.
    const outcome = localShortage((error as NodeJS.ErrnoException).code) ?? {
      kind: 'failed' as const,
      reason: 'configError' as const,
      message,
    };
    sent = { outcome, latencyMs: 0 };
  }
  const { outcome, status, latencyMs } = sent;
  return {
    outcome,
    attempt: {
      at,
      ...(status === undefined ? {} : { status }),
      result: outcome.kind,
      ...(outcome.kind === 'delivered' ? {} : { reason: outcome.reason, message: outcome.message }),
      latencyMs,
    },
  };
}

/** A new delivery's history record, before its first attempt. */
export function newDeliveryRecord(
  entry: OutboxEntry,
  integration: Pick<Integration, 'id' | 'name' | 'type'>,
): DeliveryRecord {
  const e = entry.event;
  return {
    id: entry.id,
    integrationId: integration.id,
    integrationName: integration.name,
    channel: integration.type,
    ...(e.test ? { test: true } : {}),
    event: {
      host: e.host,
      mount: e.mount,
      ...(e.kind === 'inodes' ? { kind: e.kind } : {}),
      ...(e.reminder ? { reminder: true } : {}),
      from: e.from,
      to: e.to,
      freePercent: e.kind === 'inodes' ? (e.inodes?.freePercent ?? null) : e.freePercent,
      at: e.at,
    },
    outcome: 'pending',
    attempts: [],
    createdAt: entry.createdAt,
    updatedAt: entry.createdAt,
  };
}
