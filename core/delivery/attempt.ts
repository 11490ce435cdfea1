import {
  redact,
  requestSecrets,
  secretValues,
  type Channel,
  type Step,
  type Thread,
} from '../../shared/channels/channel.js';
import { subjectKey } from '../../shared/disk.js';
import { channelFor } from '../../shared/channels/registry.js';
import {
  classifyTransportError,
  localShortage,
  type HttpRequest,
  type HttpResponse,
  type Outcome,
} from '../../shared/http-outcome.js';
import type { AlertEvent } from '../../shared/event.js';
import type { Attempt } from '../../shared/history.js';
import type { Integration } from '../../shared/integration.js';
import { renderTemplate } from '../../shared/template.js';
import { combineTargets } from './targets.js';
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
): Promise<{
  outcome: Outcome;
  status?: number;
  latencyMs: number;
  response?: HttpResponse;
  /** Below HTTP: the error's code (ECONNREFUSED…). */
  code?: string;
}> {
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
      ...(result.error.code ? { code: result.error.code } : {}),
    };
  const response = { ...result.response, body: redact(result.response.body, all) };
  return {
    outcome: scrub(await classify(response)),
    status: response.status,
    latencyMs: result.latencyMs,
    response,
  };
}

function withNote(outcome: Outcome, note: string): Outcome {
  if (outcome.kind === 'delivered')
    return { ...outcome, note: [outcome.note, note].filter(Boolean).join('; ') };
  return { ...outcome, message: `${outcome.message}; ${note}` };
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

/** Where an integration's alerts' follow-ups go (see ThreadStore). */
export interface Threads {
  get(integrationId: string, key: string): Thread | undefined;
  set(integrationId: string, key: string, thread: Thread | null): void;
}

/**
 * One attempt at delivering an event: render → send → classify, as an `Attempt` for the history.
 * With `threads`, an alert's later messages go where its first went (a Slack thread, a Discord
 * forum post); a thread the vendor refuses (deleted meanwhile) is forgotten and the message sent
 * on its own, and the all-clear ends it.
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
  const deliver = async (e: AlertEvent, to = config) => {
    const request = await channel.render(e, to);
    const send = (req: HttpRequest, classify: (res: HttpResponse) => Outcome | Promise<Outcome>) =>
      sendScrubbed(transport, req, timeoutMs, secrets, classify);
    const first = await send(request, (res) => channel.classify(res, e, to, now()));
    return { first, sent: await sendFollowUps(channel, e, to, { request, sent: first }, send, now) };
  };
  const targets = channel.targets?.(config) ?? [];
  let sent: { outcome: Outcome; status?: number; latencyMs: number };
  try {
    if (targets.length > 1) {
      // Every target at once, each with its own follow-ups; no threads (no such channel has them).
      // Where every target must hear it, those that did in an earlier attempt are not sent it again.
      const until = channel.everyTarget?.(event, config) ?? null;
      const left = until === null ? targets : targets.filter((t) => !heard?.has(t.name));
      const results = await Promise.all(
        left.map(async (t) => {
          const result = (await deliver(event, t.config)).sent;
          if (result.outcome.kind === 'delivered') heard?.add(t.name);
          return { name: redact(t.name, secrets), ...result };
        }),
      );
      sent = combineTargets(
        results,
        until === null ? undefined : { until, heardBefore: targets.length - left.length },
      );
    } else sent = await deliverOne();
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
  async function deliverOne() {
    const key = threads && channel.threadOf && !event.test ? subjectKey(event.mount, event.kind) : undefined;
    const thread = key ? threads!.get(integration.id, key) : undefined;
    let done = await deliver(thread ? { ...event, thread } : event);
    if (thread && done.sent.outcome.kind === 'failed') {
      threads!.set(integration.id, key!, null);
      const alone = await deliver(event);
      const note = `its thread was refused (${done.sent.outcome.message}), so it was sent on its own`;
      done = {
        ...alone,
        sent: {
          ...alone.sent,
          latencyMs: done.sent.latencyMs + alone.sent.latencyMs,
          outcome: withNote(alone.sent.outcome, note),
        },
      };
    }
    if (key && done.sent.outcome.kind === 'delivered') {
      if (event.to === 'ok') threads!.set(integration.id, key, null);
      else if (!thread && done.first.response) {
        const started = channel.threadOf!(done.first.response, event, config);
        if (started) threads!.set(integration.id, key, started);
      }
    }
    return done.sent;
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

/** What every attempt needs besides the event and the integration. */
export interface AttemptContext {
  transport: Transport;
  /** Per attempt. */
  timeoutMs: number;
  now: () => number;
  threads?: Threads;
}

/**
 * One attempt with the integration's own message template. A template that cannot be rendered
 * does not stop the alert: it goes out with Headroom's own message, and the attempt's note (then
 * the record's reason) says so.
 */
export async function attemptWithTemplate(
  event: AlertEvent,
  integration: Integration,
  c: AttemptContext,
  /** The targets that took this delivery in earlier attempts (see `Channel.everyTarget`); added to. */
  heard?: Set<string>,
): Promise<{ outcome: Outcome; attempt: Attempt }> {
  const { event: rendered, problem } = renderTemplate(event, integration.template);
  const result = await attemptDelivery(
    rendered,
    integration,
    c.transport,
    c.timeoutMs,
    c.now,
    c.threads,
    heard,
  );
  if (!problem) return result;
  const note = `the message template could not be rendered (${problem}), so Headroom's own message was used`;
  const notes = [note, result.attempt.note].filter(Boolean).join('; ');
  return { ...result, attempt: { ...result.attempt, note: notes } };
}
