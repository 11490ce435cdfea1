import { subjectKey, type AlertKind, type MountState } from '../../shared/disk.js';
import type { Integration } from '../../shared/integration.js';
import {
  describeFlapping,
  flappingOf,
  flappingUntil,
  PAGING_TYPES,
  quietUntil,
  type Hold,
} from '../../shared/quiet.js';
import type { Settings } from '../../shared/settings.js';
import type { SnoozeStore } from '../snooze-store.js';

/** The alert a hold is asked about: one change of one disk's space or inodes. */
export interface HeldChange {
  mount: string;
  kind: AlertKind;
  to: MountState;
  from?: MountState;
}

interface HeldAlert {
  reason: Hold['reason'];
  since: number;
  changes: number;
  until: number;
}

/**
 * Noise control in one place: whether a change must be held now (pause, snooze, flapping, quiet
 * hours) and, per integration, what is being held and when to look again. Built before the
 * dispatcher and handed to it and to the watcher, so the integrations and the desktop notification
 * ask the same policy. What is held is kept in memory: after a restart the dispatcher's reconcile
 * finds what is owed from the notified store, without the count.
 */
export class Holds {
  /** When each alert changed state lately (flapping is judged on them). */
  private readonly changes = new Map<string, number[]>();
  /** When each alert last left critical: the all-clear a paging channel is owed is due since. */
  private readonly leftCritical = new Map<string, number>();
  private readonly held = new Map<string, HeldAlert>();
  private readonly releaseListeners: (() => void)[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    readonly snoozes: SnoozeStore,
    private readonly settings: () => Settings,
    private readonly now: () => number,
  ) {}

  /** Every transition, as it happens: flapping and the paging all-clear are judged on them. */
  noteTransition(t: { mount: string; kind: AlertKind; from: MountState; to: MountState; at: number }): void {
    const key = subjectKey(t.mount, t.kind);
    const windowMs = flappingOf(this.settings()).windowMs;
    const list = (this.changes.get(key) ?? []).filter((at) => at > t.at - windowMs);
    list.push(t.at);
    this.changes.set(key, list);
    if (t.to === 'critical') this.leftCritical.delete(key);
    else if (t.from === 'critical') this.leftCritical.set(key, t.at);
  }

  /**
   * Whether a change must be held now, and why: alerts paused, the disk snoozed, the alert
   * flapping, or the integration's quiet hours (critical breaking through unless told not to).
   * `integration` null asks for the desktop's own notifications, which have no quiet hours.
   */
  holdFor(integration: Integration | null, alert: HeldChange): Hold | null {
    const now = this.now();
    const snoozed = this.snoozes.heldUntil(alert.mount);
    if (snoozed) return snoozed;
    // A critical is never held for flapping: a disk that fills for real while it flaps must be
    // heard of. Sent once: a repeat of the critical it was told is no change to that integration.
    const key = subjectKey(alert.mount, alert.kind);
    const settings = this.settings();
    const rule = flappingOf(settings);
    let flapping = alert.to === 'critical' ? null : flappingUntil(this.changes.get(key) ?? [], now, rule);
    let detail = describeFlapping(rule);
    // A paging channel's open incident for a critical that is over is not kept open for long.
    if (
      flapping !== null &&
      integration &&
      PAGING_TYPES.includes(integration.type) &&
      alert.from === 'critical' &&
      alert.to === 'ok'
    ) {
      const latest = (this.leftCritical.get(key) ?? now) + settings.pagingAllClearMaxMinutes * 60_000;
      flapping = latest <= now ? null : Math.min(flapping, latest);
      detail += `; a paging channel's all-clear goes out within ${settings.pagingAllClearMaxMinutes} min`;
    }
    if (flapping !== null) return { reason: 'flapping', until: flapping, detail };
    const q = integration?.quietHours;
    if (q && !(alert.to === 'critical' && q.critical === 'send')) {
      const until = quietUntil(q, now);
      if (until !== null) return { reason: 'quiet hours', until };
    }
    return null;
  }

  /** Notes one more held change (`counted`), or just that the hold still applies. */
  hold(integrationId: string, key: string, hold: Hold, counted: boolean): void {
    const id = `${integrationId}\n${key}`;
    const prev = this.held.get(id);
    this.held.set(id, {
      reason: hold.reason,
      since: prev?.since ?? this.now(),
      changes: (prev?.changes ?? 0) + (counted ? 1 : 0),
      until: hold.until,
    });
  }

  /** What was held for this alert, now that its net change goes out (or is over); forgets it. */
  take(integrationId: string, key: string): { reason: string; since: number; changes: number } | undefined {
    const id = `${integrationId}\n${key}`;
    const h = this.held.get(id);
    this.held.delete(id);
    return h && h.changes > 0 ? { reason: h.reason, since: h.since, changes: h.changes } : undefined;
  }

  /** Whether some alert is being held: its owner should reconcile after each sample. */
  holding(): boolean {
    return this.held.size > 0;
  }

  /** A hold ended: the listener reconciles with its latest readings, which sends the net changes. */
  onRelease(listener: () => void): void {
    this.releaseListeners.push(listener);
  }

  /** Wakes the release listeners when the earliest hold ends (and again after that, while any is left). */
  schedule(): void {
    clearTimeout(this.timer);
    if (this.held.size === 0) return;
    const next = Math.min(...[...this.held.values()].map((h) => h.until));
    const wait = Math.min(Math.max(0, next - this.now()), 2 ** 31 - 1);
    this.timer = setTimeout(() => {
      for (const listener of this.releaseListeners) listener();
    }, wait);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
