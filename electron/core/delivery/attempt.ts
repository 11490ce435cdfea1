import {
  redact,
  requestSecrets,
  secretValues,
  type Channel,
  type Step,
} from '../../../shared/channels/channel.js';
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
): Promise<{ outcome: Outcome; status?: number; latencyMs: number; response?: HttpResponse }> {
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
  return {
    outcome: scrub(await classify(response)),
    status: response.status,
    latencyMs: result.latencyMs,
    response,
  };
}

/** Requests in one delivery at most: Opsgenie's create, its status, a priority update, its status. */
const MAX_STEPS = 4;

type Sent = Awaited<ReturnType<typeof sendScrubbed>>;

/**
 * The channel's follow-up requests after a delivered first one, each sent and classified in turn:
 * the first that is not delivered is the delivery's outcome; the notes of all are kept.
 */
async function sendFollowUps(
  channel: Channel,
  event: AlertEvent,
  config: Record<string, unknown>,
  first: { request: HttpRequest; sent: Sent },
  send: (request: HttpRequest, classify: (res: HttpResponse) => Outcome) => Promise<Sent>,
  now: () => number,
): Promise<Sent> {
  let sent = first.sent;
  const steps: Step[] = [];
  let request = first.request;
  while (sent.outcome.kind === 'delivered' && sent.response && channel.followUp) {
    steps.push({ request, response: sent.response });
    const next = steps.length < MAX_STEPS ? channel.followUp(event, config, steps) : null;
    if (!next) break;
    request = next.request;
    let more = await send(next.request, (res) => next.classify(res, now()));
    for (let n = 1; more.outcome.kind === 'retry' && next.poll && n < next.poll.times; n++) {
      await new Promise((wake) => setTimeout(wake, next.poll!.delayMs * 2 ** (n - 1)));
      const again = await send(next.request, (res) => next.classify(res, now()));
      more = { ...again, latencyMs: more.latencyMs + again.latencyMs };
    }
    const notes = [sent.outcome.note, more.outcome.kind === 'delivered' ? more.outcome.note : undefined];
    sent = {
      ...more,
      latencyMs: sent.latencyMs + more.latencyMs,
      outcome:
        more.outcome.kind === 'delivered'
          ? { ...more.outcome, note: notes.filter(Boolean).join('; ') || undefined }
          : more.outcome,
    };
  }
  return sent;
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
    const secrets = secretValues(channel, integration.config);
    const send = (req: HttpRequest, classify: (res: HttpResponse) => Outcome | Promise<Outcome>) =>
      sendScrubbed(transport, req, timeoutMs, secrets, classify);
    const first = await send(request, (res) => channel.classify(res, event, integration.config, now()));
    sent = await sendFollowUps(channel, event, integration.config, { request, sent: first }, send, now);
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
      // What the receiver said of a delivered one (Opsgenie's processed status, a resolve that
      // found nothing open) is worth keeping in the history too.
      ...(outcome.kind === 'delivered' && outcome.note ? { note: outcome.note } : {}),
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
