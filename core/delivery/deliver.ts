import type { Outcome } from '../../shared/http-outcome.js';
import type { Attempt } from '../../shared/history.js';
import {
  delayWords,
  formatDuration,
  LONG_RETRY_AFTER_MS,
  nextAttempt,
  type RetryPolicy,
} from '../../shared/retry.js';
import { attemptWithTemplate, type AttemptContext } from './attempt.js';
import type { IntegrationStore } from './integration-store.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import { reasonOf, type DeliveryRecords } from './records.js';

export interface DelivererOptions {
  integrations: Pick<IntegrationStore, 'get'>;
  outbox: Outbox;
  records: DeliveryRecords;
  attempt: AttemptContext;
  policy: () => RetryPolicy;
  random: () => number;
}

const REPEAT_SENT = 'sent marked as a possible repeat: Headroom was stopped while sending it before';

/**
 * A pending delivery's next step: one attempt, then the retry decision (backoff, `Retry-After`,
 * the deadline), or its end, delivered or failed for good, in the history and the outbox.
 */
export class Deliverer {
  /** The targets each pending delivery has reached (see `Channel.targets.every`); lost on restart, so sent to all again. */
  private readonly heard = new Map<string, Set<string>>();

  constructor(private readonly o: DelivererOptions) {}

  /**
   * Tries the entry once; resolves to when (epoch ms) to try again, or null once its delivery
   * ended (delivered or failed for good). `leave` takes it out of its lane (see Lanes), called
   * before the end is recorded: whoever hears of that end finds the lane no longer holds it.
   */
  async run(entry: OutboxEntry, leave: () => void): Promise<number | null> {
    try {
      return await this.attemptAndDecide(entry, leave);
    } catch (error) {
      this.finish(entry, leave, {
        kind: 'failed',
        reason: 'internalError',
        message: `internal error in Headroom: ${(error as Error).message}`,
      });
      return null;
    }
  }

  private async attemptAndDecide(entry: OutboxEntry, leave: () => void): Promise<number | null> {
    const integration = this.o.integrations.get(entry.integrationId);
    if (!integration || !integration.enabled) {
      const message = integration
        ? 'the integration was disabled'
        : 'the integration was removed or cannot be loaded';
      this.finish(entry, leave, { kind: 'failed', reason: 'configError', message });
      return null;
    }
    const heard = this.heard.get(entry.id) ?? new Set<string>();
    this.heard.set(entry.id, heard);
    // Before the request, so a start after a crash knows the receiver may have it.
    this.o.outbox.markSending(entry);
    const { outcome, attempt } = await attemptWithTemplate(entry.event, integration, this.o.attempt, heard);
    this.o.outbox.clearSending(entry);
    if (entry.event.possibleRepeat) attempt.note = [attempt.note, REPEAT_SENT].filter(Boolean).join('; ');
    const { records } = this.o;
    // From memory, or rebuilt if the history lost it.
    const record = records.pendingOf(entry.id) ?? records.open(entry.event, integration, entry.createdAt);
    const attempts = [...record.attempts, attempt];
    entry.attempts++;
    if (outcome.kind !== 'retry') return this.finish(entry, leave, outcome, attempts);
    const now = this.o.attempt.now();
    const policy = this.o.policy();
    // Tried again only for the targets that still need it: no longer than they do.
    const { enoughAt } = outcome;
    const deadlineMs =
      enoughAt === undefined ? policy.deadlineMs : Math.min(policy.deadlineMs, enoughAt - entry.createdAt);
    const decision =
      outcome.maxAttempts !== undefined && entry.attempts >= outcome.maxAttempts
        ? { giveUp: `gave up after ${entry.attempts} attempts with the same answer` }
        : nextAttempt(
            { ...policy, deadlineMs },
            entry.attempts,
            entry.createdAt,
            now,
            outcome.retryAfterMs,
            this.o.random(),
          );
    if ('giveUp' in decision) {
      if (enoughAt !== undefined) {
        // The last attempt says so: the history's reason for a delivered one is its last note.
        const note = `${outcome.message}; the others never heard it, and no longer need it: their copy of the alert has ended by itself`;
        const last = { ...attempt, note: [attempt.note, note].filter(Boolean).join('; ') };
        return this.finish(entry, leave, { kind: 'delivered', note }, [...record.attempts, last]);
      }
      const message = `${decision.giveUp}; last error: ${outcome.message}`;
      return this.finish(entry, leave, { kind: 'failed', reason: outcome.reason, message }, attempts);
    }
    entry.nextAttemptAt = decision.retryAt;
    this.o.outbox.put(entry);
    // A long wait the receiver asked for is said at once: the alert arrives that late.
    const asked = outcome.retryAfterMs ?? 0;
    const delayed = asked >= LONG_RETRY_AFTER_MS;
    const next = delayed
      ? delayWords(asked, decision.retryAt, now)
      : `next try in ${formatDuration(decision.retryAt - now)}`;
    records.update(record, {
      attempts,
      outcome: 'retrying',
      reason: reasonOf({ ...outcome, message: `${outcome.message}; ${next}` }, attempt),
      reasonCode: outcome.reason,
      nextAttemptAt: decision.retryAt,
      delayedUntil: delayed ? decision.retryAt : undefined,
    });
    return decision.retryAt;
  }

  /** The history first: a crash before the outbox entry goes only sends it again. */
  private finish(entry: OutboxEntry, leave: () => void, outcome: Outcome, attempts?: Attempt[]): null {
    this.heard.delete(entry.id);
    leave();
    this.o.records.finish(entry.id, outcome, attempts);
    if (outcome.kind === 'failed') this.o.outbox.retire(entry);
    else this.o.outbox.remove(entry);
    return null;
  }
}
