// Judges what a watcher said against the truth sampled beside it: which crossings were real
// (below a threshold for longer than the confirmation), which were blips, which were announced,
// and which forecasts came true. Pure: times are epoch ms.
import type { Arrival } from './alert-rig.js';
import type { Truth } from '../../test/helpers/truth.js';

export type Level = 'warning' | 'critical';
const RANK: Record<string, number> = { ok: 0, unreachable: 0, warning: 1, critical: 2 };

/** Free space below this is "full": programs fail there (issue 28 calls ~1 % the point of failing). */
export const FULL_PERCENT = 1;
/** The watcher may read the disk a moment before the 10 Hz truth does (two truth samples). */
const EARLY_MS = 200;
/** Delivery after a crossing ends still counts as telling it (a crossing of just past confirm). */
const LATE_MS = 1500;

export interface Episode {
  level: Level;
  start: number;
  end: number;
  /** Still below when the observation ended. */
  open: boolean;
}

/** Spans where free space stays below `percent`, from the first sample below to the first above. */
export function episodes(truth: Truth[], percent: number, level: Level): Episode[] {
  const out: Episode[] = [];
  let start: number | null = null;
  for (const s of truth) {
    if (s.freePercent < percent && start === null) start = s.at;
    if (s.freePercent >= percent && start !== null) {
      out.push({ level, start, end: s.at, open: false });
      start = null;
    }
  }
  if (start !== null) out.push({ level, start, end: truth.at(-1)!.at, open: true });
  return out;
}

/** A time to an event the watcher stated, as `/metrics` or an alert carried it. */
export interface Claim {
  at: number;
  until: 'full' | 'critical';
  seconds: number;
  source: 'metrics' | 'alert';
}

export interface ClaimScore {
  made: number;
  /** Claims whose event came, or whose time (×1.5, +1 s) ran out while watched. */
  judged: number;
  /** The event came within ±50 % (or ±1 s) of the time stated. */
  cameTrue: number;
  /** (actual − claimed) / claimed, for claims whose event came. */
  errors: number[];
}

/**
 * Scores the claims of one kind against the truth. A claim made once the event had already come
 * (full in 0 s on a full disk) forecasts nothing and is left out; "full in 0 s" with space left
 * is a claim, and false unless the disk fills at once.
 */
export function judgeClaims(
  claims: Claim[],
  truth: Truth[],
  until: Claim['until'],
  percent: number,
  endAt: number,
) {
  const score: ClaimScore = { made: 0, judged: 0, cameTrue: 0, errors: [] };
  for (const c of claims.filter((c) => c.until === until)) {
    const then = truth.findLast((s) => s.at <= c.at);
    if (then && then.freePercent < percent) continue;
    score.made++;
    const event = truth.find((s) => s.at >= c.at && s.freePercent < percent);
    if (event) {
      const actual = (event.at - c.at) / 1000;
      score.judged++;
      if (Math.abs(actual - c.seconds) <= Math.max(0.5 * c.seconds, 1)) score.cameTrue++;
      if (c.seconds > 0) score.errors.push((actual - c.seconds) / c.seconds);
    } else if (c.at + (1.5 * c.seconds + 1) * 1000 <= endAt) score.judged++;
  }
  return score;
}

export interface AlertScore {
  warningCrossings: number;
  criticalCrossings: number;
  blips: number;
  notified: number;
  missed: string[];
  blipsAnnounced: string[];
  /** Crossing (first truth sample below) → delivered, for crossings newly announced. */
  latenciesMs: number[];
  messages: number;
  /** Alerts into a level with no episode of that level near them. */
  unexplained: string[];
}

/**
 * A crossing that lasted longer than `confirmMs` must be told: by an alert of its level or worse
 * delivered during it, or by one the person already had. A shorter one is a blip, and an alert
 * into its level during it announced the blip.
 */
export function judgeAlerts(
  truth: Truth[],
  told: Arrival[],
  limits: { warningPercent: number; criticalPercent: number; confirmMs: number },
): AlertScore {
  const t0 = truth[0]?.at ?? 0;
  const when = (at: number) => `${((at - t0) / 1000).toFixed(1)} s`;
  const all = [
    ...episodes(truth, limits.warningPercent, 'warning'),
    ...episodes(truth, limits.criticalPercent, 'critical'),
  ];
  const real = all.filter((e) => e.end - e.start > limits.confirmMs);
  const blips = all.filter((e) => !e.open && e.end - e.start <= limits.confirmMs);
  const score: AlertScore = {
    warningCrossings: real.filter((e) => e.level === 'warning').length,
    criticalCrossings: real.filter((e) => e.level === 'critical').length,
    blips: blips.length,
    notified: 0,
    missed: [],
    blipsAnnounced: [],
    latenciesMs: [],
    messages: told.length,
    unexplained: [],
  };
  const during = (e: Episode, a: Arrival) => a.at >= e.start - EARLY_MS && a.at <= e.end + LATE_MS;
  const escalations = told.filter((a) => RANK[a.to]! > RANK[a.from]!);
  for (const e of real) {
    const rank = RANK[e.level]!;
    const before = told.filter((a) => a.at < e.start - EARLY_MS).at(-1);
    if (before && RANK[before.to]! >= rank) {
      score.notified++;
      continue;
    }
    const first = told.find((a) => during(e, a) && RANK[a.to]! >= rank);
    if (!first) score.missed.push(`${e.level} at ${when(e.start)}`);
    else {
      score.notified++;
      score.latenciesMs.push(first.at - e.start);
    }
  }
  for (const b of blips)
    if (escalations.some((a) => a.to === b.level && during(b, a)))
      score.blipsAnnounced.push(`${b.level} ${((b.end - b.start) / 1000).toFixed(1)} s at ${when(b.start)}`);
  for (const a of escalations)
    if (!all.some((e) => e.level === a.to && during(e, a)))
      score.unexplained.push(`${a.from} → ${a.to} at ${when(a.at)}`);
  return score;
}
