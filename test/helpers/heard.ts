import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Received } from './receiver.js';

/** What an idempotent receiver made of the requests it accepted, in the order they arrived. */
export interface Heard {
  /** Each distinct change it acted on, as `from→to`. */
  changes: string[];
  /**
   * How many changes each one sums up: 1, or a restart's summary of the changes a stopped watcher
   * left unsent (`held.changes`); null where the payload cannot say (a PagerDuty resolve).
   */
  covers: (number | null)[];
  /** Requests accepted again for something it had already acted on (at-least-once re-sends). */
  resends: number;
}

const accepted = (requests: readonly Received[], path: string) =>
  requests.filter((r) => r.url === path && r.answered !== undefined && r.answered < 300);

/** A webhook receiver that acts once per Idempotency-Key (the event id). */
export function heardByWebhook(requests: readonly Received[], path: string): Heard {
  const keys = new Set<string>();
  const changes: string[] = [];
  const covers: number[] = [];
  let resends = 0;
  for (const r of accepted(requests, path)) {
    const key = String(r.headers['idempotency-key']);
    if (keys.has(key)) {
      resends++;
      continue;
    }
    keys.add(key);
    const { from, to, held } = JSON.parse(r.body).headroom as { from: string; to: string; held?: Held };
    changes.push(`${from}→${to}`);
    covers.push(summed(held));
  }
  return { changes, covers, resends };
}

/**
 * A PagerDuty Events API receiver: one incident per dedup key, so a trigger of the severity the
 * incident already has, or a second resolve, changes nothing (a re-send). One disk, one key here.
 */
export function heardByPagerDuty(requests: readonly Received[], path: string): Heard {
  const changes: string[] = [];
  const covers: (number | null)[] = [];
  let resends = 0;
  let state = 'ok';
  for (const r of accepted(requests, path)) {
    const body = JSON.parse(r.body) as {
      event_action: string;
      payload?: { severity: string; custom_details?: { held?: Held } };
    };
    const next = body.event_action === 'resolve' ? 'ok' : String(body.payload?.severity);
    if (next === state) resends++;
    else {
      changes.push(`${state}→${next}`);
      covers.push(body.payload ? summed(body.payload.custom_details?.held) : null);
    }
    state = next;
  }
  return { changes, covers, resends };
}

interface Held {
  reason: string;
  changes: number;
}

/** How many changes a message stands for: a restart's summary says (see core/delivery/restart.ts). */
const summed = (held: Held | undefined) => (held?.reason === 'not sent before a restart' ? held.changes : 1);

/**
 * How `heard` compares with `expected`: changes delivered (heard themselves, or within a summary
 * that goes from the first one's state to the last one's), lost (expected, never heard nor summed
 * up) and extra (heard beyond it: a change announced twice under two keys). The best alignment
 * of the two, as a longest common subsequence whose heard items may each span several changes.
 */
export function compareChanges(expected: readonly string[], heard: Pick<Heard, 'changes' | 'covers'>) {
  const ends = (change: string) => change.split('→') as [string, string];
  type Best = { delivered: number; used: number };
  const better = (a: Best, b: Best) =>
    a.delivered > b.delivered || (a.delivered === b.delivered && a.used > b.used) ? a : b;
  // best[i][j]: the first i expected changes against the first j heard ones.
  const best: Best[][] = [];
  for (let i = 0; i <= expected.length; i++) {
    best.push([]);
    for (let j = 0; j <= heard.changes.length; j++) {
      let b: Best = { delivered: 0, used: 0 };
      if (i > 0) b = better(b, best[i - 1]![j]!);
      if (j > 0) b = better(b, best[i]![j - 1]!);
      if (i > 0 && j > 0) {
        const [from, to] = ends(heard.changes[j - 1]!);
        const covers = heard.covers[j - 1];
        for (let k = 1; k <= i; k++) {
          if ((covers !== null && covers !== k) || ends(expected[i - 1]!)[1] !== to) continue;
          if (ends(expected[i - k]!)[0] === from) {
            const before = best[i - k]![j - 1]!;
            b = better(b, { delivered: before.delivered + k, used: before.used + 1 });
          }
          // A summary that starts with what the stopped watcher was sending — one change, or an
          // earlier start's summary of m of them: that may have been heard just before it, so the
          // two together tell these k changes (see resumeAfterStop and restart.ts's `unsure`).
          for (let m = 1; k > 1 && j > 1 && m < k; m++) {
            const [prevFrom, prevTo] = ends(heard.changes[j - 2]!);
            const prevCovers = heard.covers[j - 2];
            if ((prevCovers !== null && prevCovers !== m) || prevFrom !== ends(expected[i - k]!)[0]) continue;
            if (prevTo !== ends(expected[i - k + m - 1]!)[1]) continue;
            const before = best[i - k]![j - 2]!;
            b = better(b, { delivered: before.delivered + k, used: before.used + 2 });
          }
        }
      }
      best[i]!.push(b);
    }
  }
  const { delivered, used } = best[expected.length]![heard.changes.length]!;
  return { delivered, lost: expected.length - delivered, extra: heard.changes.length - used };
}

/** A change a killed watcher left unsent, summed up in a later message at the next start. */
const summedUp = (r: { outcome: string; reason?: string }) =>
  r.outcome === 'held' && /not sent before a restart|went out instead/.test(r.reason ?? '');

/**
 * History records whose last word is not "delivered" (nor summed up): a delivery the history
 * lost track of.
 */
export async function undelivered(home: string): Promise<string[]> {
  const last = new Map<string, { outcome: string; reason?: string; event: { from: string; to: string } }>();
  const text = await readFile(join(home, 'history.jsonl'), 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    try {
      const record = JSON.parse(line);
      last.set(record.id, record);
    } catch {
      // damaged lines are counted by damagedDataFiles
    }
  }
  return [...last.entries()]
    .filter(([, r]) => r.outcome !== 'delivered' && !summedUp(r))
    .map(([id, r]) => `history says ${r.outcome} for ${r.event.from}→${r.event.to} (${id})`);
}
