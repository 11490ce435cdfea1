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
 * `unsentNoNet`: how many changes the history says a restart left unsent because they came back
 * to where the receiver last heard the disk (restart.ts: "no net change, so nothing is sent"):
 * runs of two or more such changes, up to that many in all, count as told by silence.
 */
export function compareChanges(
  expected: readonly string[],
  heard: Pick<Heard, 'changes' | 'covers'>,
  unsentNoNet = 0,
) {
  const ends = (change: string) => change.split('→') as [string, string];
  type Best = { delivered: number; used: number };
  // The alignment that explains the most of both sides: changes told and messages accounted for.
  const worth = (x: Best) => x.delivered + x.used;
  const better = (a: Best, b: Best) =>
    worth(a) > worth(b) || (worth(a) === worth(b) && a.delivered > b.delivered) ? a : b;
  const plus = (x: Best | undefined, delivered: number, used: number): Best | undefined =>
    x && { delivered: x.delivered + delivered, used: x.used + used };
  // best[i][j][s]: the first i expected changes against the first j heard ones, s of them told by
  // silence; undefined where no alignment has that s.
  const best: (Best | undefined)[][][] = [];
  for (let i = 0; i <= expected.length; i++) {
    best.push([]);
    for (let j = 0; j <= heard.changes.length; j++) {
      const cell: (Best | undefined)[] = [];
      for (let s = 0; s <= unsentNoNet; s++) {
        const options: (Best | undefined)[] = [
          i === 0 && j === 0 && s === 0 ? { delivered: 0, used: 0 } : undefined,
        ];
        if (i > 0) options.push(best[i - 1]![j]![s]);
        if (j > 0) options.push(best[i]![j - 1]![s]);
        for (let k = 2; k <= Math.min(i, s); k++)
          if (ends(expected[i - k]!)[0] === ends(expected[i - 1]!)[1])
            options.push(plus(best[i - k]![j]![s - k], k, 0));
        if (i > 0 && j > 0) {
          const [from, to] = ends(heard.changes[j - 1]!);
          const covers = heard.covers[j - 1];
          for (let k = 1; k <= i; k++) {
            if ((covers !== null && covers !== k) || ends(expected[i - 1]!)[1] !== to) continue;
            if (ends(expected[i - k]!)[0] === from) options.push(plus(best[i - k]![j - 1]![s], k, 1));
            // A summary that starts with what the stopped watcher was sending — one change, or an
            // earlier start's summary of m of them: that may have been heard just before it, so the
            // two together tell these k changes (see resumeAfterStop and restart.ts's `unsure`).
            for (let m = 1; k > 1 && j > 1 && m < k; m++) {
              const [prevFrom, prevTo] = ends(heard.changes[j - 2]!);
              const prevCovers = heard.covers[j - 2];
              if ((prevCovers !== null && prevCovers !== m) || prevFrom !== ends(expected[i - k]!)[0])
                continue;
              if (prevTo !== ends(expected[i - k + m - 1]!)[1]) continue;
              options.push(plus(best[i - k]![j - 2]![s], k, 2));
            }
          }
        }
        const found = options.filter((o) => o !== undefined);
        cell.push(found.length ? found.reduce(better) : undefined);
      }
      best[i]!.push(cell);
    }
  }
  const { delivered, used } = best[expected.length]![heard.changes.length]!.filter(
    (b) => b !== undefined,
  ).reduce(better);
  return { delivered, lost: expected.length - delivered, extra: heard.changes.length - used };
}

/** How many changes, per integration name, a restart left unsent as no net change (see above). */
export async function unsentNoNetChange(home: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const r of await lastRecords(home))
    if (r.outcome === 'held' && /no net change/.test(r.reason ?? ''))
      counts.set(r.integrationName, (counts.get(r.integrationName) ?? 0) + 1);
  return counts;
}

/** A change a killed watcher left unsent, summed up in a later message at the next start. */
const summedUp = (r: { outcome: string; reason?: string }) =>
  r.outcome === 'held' && /not sent before a restart|went out instead/.test(r.reason ?? '');

/**
 * History records whose last word is not "delivered" (nor summed up): a delivery the history
 * lost track of.
 */
export async function undelivered(home: string): Promise<string[]> {
  return (await lastRecords(home))
    .filter((r) => r.outcome !== 'delivered' && !summedUp(r))
    .map((r) => `history says ${r.outcome} for ${r.event.from}→${r.event.to} (${r.id})`);
}

interface LastRecord {
  id: string;
  integrationName: string;
  outcome: string;
  reason?: string;
  event: { from: string; to: string };
}

/** Each delivery's last record in the history. */
async function lastRecords(home: string): Promise<LastRecord[]> {
  const last = new Map<string, LastRecord>();
  const text = await readFile(join(home, 'history.jsonl'), 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    try {
      const record = JSON.parse(line) as LastRecord;
      last.set(record.id, record);
    } catch {
      // damaged lines are counted by damagedDataFiles
    }
  }
  return [...last.values()];
}
