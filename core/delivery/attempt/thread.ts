import type { Channel, Thread } from '../../../shared/channels/channel.js';
import { subjectKey } from '../../../shared/disk.js';
import type { AlertEvent } from '../../../shared/event.js';
import { withNote, type Sent } from './classify.js';

/** Where an integration's alerts' follow-ups go (see ThreadStore). */
export interface Threads {
  get(integrationId: string, key: string): Thread | undefined;
  set(integrationId: string, key: string, thread: Thread | null): void;
}

/** One delivery of an event: its first request's result, and the result of the whole. */
export interface Delivered {
  first: Sent;
  sent: Sent;
}

/**
 * The thread stage: an alert's later messages go where its first went (a Slack thread, a Discord
 * forum post). A thread the vendor refuses (deleted meanwhile) is forgotten and the message sent
 * on its own, which starts the alert's new thread; the all-clear ends it. Without `threads`, for
 * a channel that has none, or for a test, the event is simply delivered.
 */
export async function deliverThreaded(
  event: AlertEvent,
  channel: Pick<Channel, 'threadOf' | 'traits'>,
  config: Record<string, unknown>,
  integrationId: string,
  threads: Threads | undefined,
  deliver: (event: AlertEvent) => Promise<Delivered>,
): Promise<Sent> {
  const threadOf = channel.threadOf;
  if (!threads || !threadOf || event.test) return (await deliver(event)).sent;
  const key = subjectKey(event.mount, event.kind);
  const thread = threads.get(integrationId, key);
  let done = await deliver(thread ? { ...event, thread } : event);
  const outcome = done.sent.outcome;
  const refused = thread !== undefined && outcome.kind === 'failed' && !channel.traits?.threadInHeaders;
  if (refused) {
    threads.set(integrationId, key, null);
    const alone = await deliver(event);
    const note = `its thread was refused (${outcome.message}), so it was sent on its own`;
    done = {
      ...alone,
      sent: {
        ...alone.sent,
        latencyMs: done.sent.latencyMs + alone.sent.latencyMs,
        outcome: withNote(alone.sent.outcome, note),
      },
    };
  }
  if (done.sent.outcome.kind === 'delivered') {
    if (event.to === 'ok') threads.set(integrationId, key, null);
    // The message sent on its own after a refused thread starts the alert's new one.
    else if ((!thread || refused) && done.first.response) {
      const started = threadOf(done.first.response, event, config);
      if (started) threads.set(integrationId, key, started);
    }
  }
  return done.sent;
}
