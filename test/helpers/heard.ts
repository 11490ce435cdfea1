import type { Received } from './receiver.js';

/** What an idempotent receiver made of the requests it accepted, in the order they arrived. */
export interface Heard {
  /** Each distinct change it acted on, as `from→to`. */
  changes: string[];
  /** Requests accepted again for something it had already acted on (at-least-once re-sends). */
  resends: number;
}

const accepted = (requests: readonly Received[], path: string) =>
  requests.filter((r) => r.url === path && r.answered !== undefined && r.answered < 300);

/** A webhook receiver that acts once per Idempotency-Key (the event id). */
export function heardByWebhook(requests: readonly Received[], path: string): Heard {
  const keys = new Set<string>();
  const changes: string[] = [];
  let resends = 0;
  for (const r of accepted(requests, path)) {
    const key = String(r.headers['idempotency-key']);
    if (keys.has(key)) {
      resends++;
      continue;
    }
    keys.add(key);
    const { from, to } = JSON.parse(r.body).headroom as { from: string; to: string };
    changes.push(`${from}→${to}`);
  }
  return { changes, resends };
}

/**
 * A PagerDuty Events API receiver: one incident per dedup key, so a trigger of the severity the
 * incident already has, or a second resolve, changes nothing (a re-send). One disk, one key here.
 */
export function heardByPagerDuty(requests: readonly Received[], path: string): Heard {
  const changes: string[] = [];
  let resends = 0;
  let state = 'ok';
  for (const r of accepted(requests, path)) {
    const body = JSON.parse(r.body) as { event_action: string; payload?: { severity: string } };
    const next = body.event_action === 'resolve' ? 'ok' : String(body.payload?.severity);
    if (next === state) resends++;
    else changes.push(`${state}→${next}`);
    state = next;
  }
  return { changes, resends };
}

/**
 * How `heard` compares with `expected`: changes delivered (the longest common subsequence), lost
 * (expected, never heard) and extra (heard beyond it: a change announced twice under two keys).
 */
export function compareChanges(expected: readonly string[], heard: readonly string[]) {
  let row = new Array<number>(heard.length + 1).fill(0);
  for (const e of expected) {
    const next = [0];
    for (let j = 0; j < heard.length; j++)
      next.push(e === heard[j] ? row[j]! + 1 : Math.max(row[j + 1]!, next[j]!));
    row = next;
  }
  const delivered = row[heard.length]!;
  return { delivered, lost: expected.length - delivered, extra: heard.length - delivered };
}
