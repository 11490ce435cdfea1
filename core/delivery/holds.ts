import { STATE_SEVERITY, subjectKey, type AlertKind, type MountState } from '../../shared/disk.js';
import type { AlertEvent } from '../../shared/event.js';
import { visibleState, type Integration } from '../../shared/integration.js';
import {
  cameBackFromCritical,
  cyclingOf,
  describeFlapping,
  flappingOf,
  flappingUntil,
  quietUntil,
  type Hold,
  type StateChange,
} from '../../shared/quiet.js';
import type { Settings } from '../../shared/settings.js';
import type { SnoozeStore } from '../snooze-store.js';

const RELEASE_AFTER_MS = 1000;

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
  /** The last message the integration got of this alert said it is cycling. */
  announced?: boolean;
}

/**
 * Noise control in one place: whether a change must be held now (pause, snooze, flapping, quiet
 * hours) and, per integration, what is being held and when to look again. Built before the
 * dispatcher and handed to it and to the watcher, so the integrations and the desktop notification
 * ask the same policy. What is held is kept in memory: after a restart the dispatcher's reconcile
 * finds what is owed from the notified store, without the count.
 */
export class Holds {
  /** Each alert's recent changes of state (flapping is judged on them). */
  private readonly changes = new Map<string, StateChange[]>();
  /** When each alert last left critical: the all-clear owed since then is due within the settle time. */
  private readonly leftCritical = new Map<string, number>();
  private readonly held = new Map<string, HeldAlert>();
  /**
   * Per alert, the integrations told it is cycling in its current bout of flapping, with the state
   * told: kept while the bout lasts (more changes than the rule allows within the window), so a
   * slow sawtooth that settles between dips is not announced again at each dip.
   */
  private readonly cycled = new Map<string, Map<string, MountState>>();
  private readonly releaseListeners: (() => void)[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    readonly snoozes: SnoozeStore,
    private readonly settings: () => Settings,
    private readonly now: () => number,
  ) {}

  /** Every transition, as it happens: flapping and the all-clear after a critical are judged on them. */
  noteTransition(t: { mount: string; kind: AlertKind; from: MountState; to: MountState; at: number }): void {
    const key = subjectKey(t.mount, t.kind);
    const rule = flappingOf(this.settings());
    const list = (this.changes.get(key) ?? []).filter((c) => c.at > t.at - rule.windowMs);
    // A new bout of flapping is announced afresh: what was told of the last one is over.
    if (list.length <= rule.changes) this.cycled.delete(key);
    list.push({ at: t.at, from: t.from, to: t.to });
    this.changes.set(key, list);
    if (t.to === 'critical') this.leftCritical.delete(key);
    else if (t.from === 'critical') this.leftCritical.set(key, t.at);
  }

  /**
   * Whether a change must be held now, and why: alerts paused, the disk snoozed, the alert
   * flapping, or the integration's quiet hours (critical breaking through unless told not to).
   * `integration` null asks for the desktop's own notifications, which have no quiet hours.
   * `releasing`: asked for what is owed now (after a hold), not for a transition as it happens.
   */
  holdFor(integration: Integration | null, alert: HeldChange, releasing = false): Hold | null {
    const now = this.now();
    const key = subjectKey(alert.mount, alert.kind);
    const hold = this.snoozes.heldUntil(alert.mount) ?? this.flapping(integration, alert, key, now);
    if (hold || !integration) return hold;
    const id = `${integration.id}\n${key}`;
    const q = integration.quietHours;
    if (q && !(alert.to === 'critical' && q.critical === 'send')) {
      const until = quietUntil(q, now);
      if (until !== null) return { reason: 'quiet hours', until };
    }
    // A summary sent at release reports a state the disk has kept for the confirmation, never one
    // it is passing through (a transition as it happens was confirmed by the judge, or is urgent).
    const held = releasing ? this.held.get(id) : undefined;
    const confirmed = this.confirmedAt(key);
    if (held && confirmed > now) return { reason: held.reason, until: confirmed };
    return null;
  }

  /**
   * Flapping: held until the alert kept one state for the settle time; an all-clear owed after a
   * critical no longer than that after the disk left critical. An integration not yet told of
   * this bout is sent one message that the alert is cycling (`Hold.cycling`), once its state has
   * lasted the confirmation. A critical the disk has not come back from within the window is
   * never held: a disk that fills for real while it flaps must be heard of at once.
   */
  private flapping(
    integration: Integration | null,
    alert: HeldChange,
    key: string,
    now: number,
  ): Hold | null {
    const rule = flappingOf(this.settings());
    const list = this.changes.get(key) ?? [];
    let until = flappingUntil(
      list.map((c) => c.at),
      now,
      rule,
    );
    if (until !== null && alert.from === 'critical' && alert.to !== 'critical') {
      const latest = (this.leftCritical.get(key) ?? now) + rule.stableMs;
      until = latest <= now ? null : Math.min(until, latest);
    }
    if (until === null) return null;
    if (alert.to === 'critical' && !cameBackFromCritical(list, now, rule)) return null;
    const detail = describeFlapping(rule);
    if (!integration) return { reason: 'flapping', until, detail };
    const confirmed = this.confirmedAt(key);
    if (confirmed > now) return { reason: 'flapping', until: confirmed, detail };
    const told = this.cycled.get(key)?.get(integration.id);
    if (told !== undefined && STATE_SEVERITY[alert.to] <= STATE_SEVERITY[told])
      return { reason: 'flapping', until, detail };
    const cycling = cyclingOf(list, now, rule, this.settings().confirmSeconds * 1000);
    // The cycle's worst state, as this integration sees it: an open incident while it goes on.
    const to = visibleState(integration.severity, cycling.states.at(-1)!, alert.from ?? 'ok');
    return { reason: 'flapping', until, detail, cycling: { ...cycling, to } };
  }

  /** When the alert's current state will have lasted the confirmation (`confirmSeconds`). */
  private confirmedAt(key: string): number {
    const last = this.changes.get(key)?.at(-1)?.at ?? 0;
    return last + this.settings().confirmSeconds * 1000;
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
      ...(prev?.announced ? { announced: true } : {}),
    });
  }

  /**
   * The integration is told now that the alert is cycling (`hold.cycling`): the change stays held
   * and counted, the integration is not told of this bout again. What the message says of it.
   */
  announce(
    integrationId: string,
    key: string,
    hold: Hold & Required<Pick<Hold, 'cycling'>>,
  ): AlertEvent['held'] {
    this.hold(integrationId, key, hold, true);
    this.held.get(`${integrationId}\n${key}`)!.announced = true;
    const cycled = this.cycled.get(key) ?? new Map<string, MountState>();
    cycled.set(integrationId, hold.cycling.to);
    this.cycled.set(key, cycled);
    const h = this.held.get(`${integrationId}\n${key}`)!;
    const { to: _told, ...cycling } = hold.cycling;
    return { reason: h.reason, since: h.since, changes: h.changes, cycling };
  }

  /** What was held for this alert, now that its net change goes out (or is over); forgets it. */
  take(integrationId: string, key: string): { reason: string; since: number; changes: number } | undefined {
    const id = `${integrationId}\n${key}`;
    const h = this.held.get(id);
    this.held.delete(id);
    return h && h.changes > 0 ? { reason: h.reason, since: h.since, changes: h.changes } : undefined;
  }

  /**
   * An integration owed no change of this alert: whether its last message said the alert is
   * cycling and the alert has settled since in the state that message gave, so that its last word
   * must say it settled. While it still cycles, what is held is kept (and looked at again when
   * the flapping would end); otherwise it is forgotten — a warning over before it was sent is
   * never sent.
   */
  settledAfterCycling(integrationId: string, key: string): boolean {
    const held = this.held.get(`${integrationId}\n${key}`);
    if (held?.announced) {
      const until = flappingUntil(
        (this.changes.get(key) ?? []).map((c) => c.at),
        this.now(),
        flappingOf(this.settings()),
      );
      if (until === null) return true;
      held.until = until;
      return false;
    }
    this.take(integrationId, key);
    return false;
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
    // Just after the earliest end: a sample taken at that very moment (a disk flipping at every
    // sample, as often as the settle time) is judged first, so its change is not taken for calm.
    const next = Math.min(...[...this.held.values()].map((h) => h.until)) + RELEASE_AFTER_MS;
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
