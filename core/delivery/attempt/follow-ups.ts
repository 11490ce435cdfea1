import type { Channel, Step } from '../../../shared/channels/channel.js';
import type { AlertEvent } from '../../../shared/event.js';
import type { HttpRequest, HttpResponse, Outcome } from '../../../shared/http-outcome.js';
import type { Sent } from './classify.js';

/** Requests in one delivery at most: Opsgenie's create, its status, a priority update, its status. */
export const MAX_STEPS = 4;

/** Sends one request of the delivery and classifies its answer (the send stage, bound). */
export type SendStep = (request: HttpRequest, classify: (res: HttpResponse) => Outcome) => Promise<Sent>;

/**
 * The follow-up stage: the channel's further requests after a delivered first one, each sent and
 * classified in turn (one that asks to be polled is asked again while it answers "retry"). The
 * first that is not delivered is the delivery's outcome; the notes of all are kept, the latencies
 * added up.
 */
export async function sendFollowUps(
  followUp: Channel['followUp'],
  event: AlertEvent,
  config: Record<string, unknown>,
  first: { request: HttpRequest; sent: Sent },
  send: SendStep,
  now: () => number,
): Promise<Sent> {
  let sent = first.sent;
  const steps: Step[] = [];
  let request = first.request;
  while (sent.outcome.kind === 'delivered' && sent.response && followUp) {
    steps.push({ request, response: sent.response });
    const next = steps.length < MAX_STEPS ? followUp(event, config, steps) : null;
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
