import { formatDuration, formatTime } from './format.js';
import type { Outcome } from './http-outcome.js';

/**
 * When to try a delivery again: exponential backoff with jitter, the receiver's Retry-After when
 * it gives one, and a deadline after which the delivery is given up and recorded as failed. Pure:
 * time and randomness come in as arguments.
 */
export interface RetryPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  /** How long after the transition a delivery may still be attempted. */
  deadlineMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  firstDelayMs: 2_000,
  // A laptop back online waits at most this long for its pending alerts.
  maxDelayMs: 10 * 60_000,
  deadlineMs: 24 * 3600_000,
};

/**
 * The longest a receiver's Retry-After can hold an alert back: a quota's window may be longer, but
 * an alert an hour late is already a poor one, and the try after it may well pass.
 */
export const MAX_RETRY_AFTER_MS = 3600_000;

/**
 * A Retry-After this long or longer is told at once (history, tray, `watch`): the alert arrives
 * that late, which nobody would otherwise know until it does. Shorter waits are ordinary backoff.
 */
export const LONG_RETRY_AFTER_MS = 5 * 60_000;

/**
 * A long wait a receiver asked for, in words for the history and `watch`: how long it asked, until
 * when the alert is delayed, and whether Headroom shortened it (see MAX_RETRY_AFTER_MS).
 */
export function delayWords(askedMs: number, retryAt: number, now: number): string {
  const shortened = askedMs > retryAt - now;
  return (
    `the receiver asked to wait ${formatDuration(askedMs)} (Retry-After): this alert is delayed until ` +
    `${formatTime(retryAt)}${shortened ? ' (Headroom waits at most an hour, and never past the delivery deadline)' : ''}`
  );
}

/**
 * Someone is waiting for the answer (a save's check, a Send test): a receiver that asks to be
 * asked again shortly (429 with Retry-After, Discord's retry_after) is, after waiting that long,
 * if it is this short, up to this many tries in all. An alert is retried by the outbox instead.
 */
export const SHORT_WAIT = { maxMs: 10_000, tries: 3 } as const;

/** How long to wait before asking again (see SHORT_WAIT), or undefined: this answer is the last. */
export function shortWait(outcome: Outcome, tries: number): number | undefined {
  const wait = outcome.kind === 'retry' ? outcome.retryAfterMs : undefined;
  return wait === undefined || wait > SHORT_WAIT.maxMs || tries >= SHORT_WAIT.tries ? undefined : wait;
}

export type RetryDecision = { retryAt: number } | { giveUp: string };

export function nextAttempt(
  policy: RetryPolicy,
  attemptsSoFar: number,
  createdAt: number,
  now: number,
  retryAfterMs: number | undefined,
  random: number,
): RetryDecision {
  const deadline = createdAt + policy.deadlineMs;
  if (now >= deadline)
    return { giveUp: `gave up after ${formatDuration(now - createdAt)} and ${attemptsSoFar} attempts` };
  // "Equal jitter": half fixed, half random, so retries from many machines spread out yet
  // never come back sooner than half the backoff.
  const backoff = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, attemptsSoFar - 1));
  // A receiver's Retry-After is honoured up to an hour: an absurd one (a billion seconds) must not
  // cost the alert its remaining tries. The last try lands on the deadline.
  const waitAsked = Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);
  const delay = Math.max(backoff / 2 + (random * backoff) / 2, waitAsked);
  return { retryAt: Math.min(now + delay, deadline) };
}

// Kept here too for the modules that have always imported it from the retry policy.
export { formatDuration };
