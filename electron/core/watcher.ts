import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { MountInfo, Reading } from '../../shared/disk.js';
import type { DiskView, EventPayloads } from '../../shared/ipc/contract.js';
import type { EventName } from '../../shared/ipc/names.js';
import type { Settings } from '../../shared/settings.js';
import { JsonStore } from './json-store.js';
import { Monitor } from './monitor.js';
import type { Runtime } from './runtime.js';

/** Samples kept per disk for sparklines and forecasts: a day at the default 5-minute interval. */
const RECENT = 288;

const pauseSchema = z.object({ pausedUntil: z.number().nullable().default(null) });

export interface WatcherOptions {
  /** Watch exactly these mounts (`watch --mount`). */
  only?: MountInfo[];
  /** Overrides of settings for this run (`watch --interval`). */
  override?: Partial<Settings>;
  now?: () => number;
}

/**
 * The watching side of Headroom, as the desktop app, `headroom watch` and the web UI run it:
 * the monitor, its transitions into the dispatcher (unless alerts are paused), and live state for
 * views. Pushes `EventPayloads` through `events`.
 */
export class Watcher {
  readonly monitor: Monitor;
  readonly events = new EventEmitter<{ [E in EventName]: [EventPayloads[E]] }>();
  private readonly recent = new Map<string, { at: number; freePercent: number }[]>();
  private readonly latest = new Map<string, Reading>();
  private readonly pause: JsonStore<typeof pauseSchema>;
  private readonly now: () => number;

  constructor(
    readonly runtime: Runtime,
    private readonly options: WatcherOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.pause = new JsonStore(runtime.dir, 'pause', pauseSchema);
    this.monitor = new Monitor({
      settings: () => this.settings(),
      states: runtime.states,
      only: options.only,
      now: this.now,
    });
    const { dispatcher } = runtime.delivery;
    dispatcher.onRecord((record) => this.events.emit('delivery', record));
    // The outbox first: once it holds the delivery, nothing can lose it.
    this.monitor.onTransition((t, context) => {
      if (!this.paused()) dispatcher.enqueue(t, context);
      const r = t.reading;
      this.events.emit('transition', {
        mount: t.mount,
        from: t.from,
        to: t.to,
        at: t.at,
        freePercent: r.ok ? r.sample.freePercent : null,
      });
    });
    this.monitor.onTick(({ readings }, { states, settings }) => {
      for (const r of readings) this.remember(r);
      this.resumeIfDue();
      if (!this.paused()) dispatcher.refresh(readings, states, settings);
      this.events.emit('disks', this.disks());
    });
  }

  settings(): Settings {
    return { ...this.runtime.settings.get(), ...this.options.override };
  }

  /** Samples at start and every interval until the signal aborts. */
  run(signal: AbortSignal, onError?: (e: unknown) => void): Promise<void> {
    this.runtime.delivery.dispatcher.start();
    return this.monitor.run(signal, onError);
  }

  /** "Check now", and what a wake from sleep does: sample at once. */
  async checkNow(): Promise<DiskView[]> {
    await this.monitor.tick();
    return this.disks();
  }

  pausedUntil(): number | null {
    const until = this.pause.get().pausedUntil;
    return until !== null && until <= this.now() ? null : until;
  }

  paused(): boolean {
    return this.pausedUntil() !== null;
  }

  /** Holds alerts for `minutes`, or until resumed (null). Disks are still sampled. */
  pauseAlerts(minutes: number | null): number | null {
    const until = minutes === null ? Number.MAX_SAFE_INTEGER : this.now() + minutes * 60_000;
    this.pause.set({ pausedUntil: until });
    this.events.emit('paused', { pausedUntil: until });
    return until;
  }

  /** Ends a pause and tells every integration what changed meanwhile, once. */
  resumeAlerts(): void {
    this.pause.set({ pausedUntil: null });
    this.events.emit('paused', { pausedUntil: null });
    this.runtime.delivery.dispatcher.reconcile(
      [...this.latest.values()],
      this.runtime.states.all(),
      this.settings(),
    );
  }

  disks(): DiskView[] {
    const states = this.runtime.states.all();
    return [...this.latest.values()].map((r) => {
      const info = r.ok ? r.sample : r.mount;
      const record = states[info.mount];
      return {
        mount: info.mount,
        fs: info.fs,
        type: info.type,
        size: r.ok ? r.sample.size : null,
        used: r.ok ? r.sample.used : null,
        available: r.ok ? r.sample.available : null,
        freePercent: r.ok ? r.sample.freePercent : null,
        state: record?.state ?? 'ok',
        since: record?.since ?? (r.ok ? r.sample.at : r.at),
        ...(r.ok ? {} : { reason: r.reason }),
        recent: this.recent.get(info.mount) ?? [],
      };
    });
  }

  private remember(r: Reading): void {
    const mount = r.ok ? r.sample.mount : r.mount.mount;
    this.latest.set(mount, r);
    if (!r.ok) return;
    const list = this.recent.get(mount) ?? [];
    list.push({ at: r.sample.at, freePercent: r.sample.freePercent });
    if (list.length > RECENT) list.splice(0, list.length - RECENT);
    this.recent.set(mount, list);
  }

  /** A timed pause that ran out ends like a manual resume: integrations catch up. */
  private resumeIfDue(): void {
    const until = this.pause.get().pausedUntil;
    if (until !== null && until <= this.now()) this.resumeAlerts();
  }
}
