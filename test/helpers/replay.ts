import { closeSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { MountState } from '../../shared/disk.js';
import type { Forecast } from '../../shared/forecast.js';
import type { Settings } from '../../shared/settings.js';
import { openRuntime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import { Receiver } from './receiver.js';
import { Tmpfs, writeZeros } from './tmpfs.js';
import type { TestPki } from './tls.js';
import type { Trace } from './traces.js';

/**
 * Sets a tmpfs's free space without spawning a process (a replay sets it thousands of times):
 * one ballast file grown by writing zeros (tmpfs allocates the pages at once) and shrunk with
 * ftruncate. statfs sees each change at once.
 */
class Ballast {
  private size = 0;

  private constructor(
    private readonly fd: number,
    private readonly total: number,
    private readonly otherUsed: number,
  ) {}

  static async open(dir: string): Promise<Ballast> {
    const s = await statfs(dir);
    const fd = openSync(join(dir, 'replay-ballast'), 'w');
    return new Ballast(fd, s.blocks * s.bsize, (s.blocks - s.bfree) * s.bsize);
  }

  set(freePercent: number): void {
    const used = this.total * (1 - freePercent / 100) - this.otherUsed;
    const target = Math.max(0, Math.round(used / 4096) * 4096);
    if (target < this.size) ftruncateSync(this.fd, target);
    else writeZeros(this.fd, this.size, target);
    this.size = target;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** One notification as the receiver got it. */
export interface Heard {
  from: MountState;
  to: MountState;
  /** `warning`, `critical`, `clear` — or `predicted`, a warning the forecast raised. */
  kind: string;
  /** Seconds into the trace of the change it tells. */
  at: number;
  message: string;
  info: string;
  /** Real milliseconds from the transition to the receiver's arrival stamp. */
  deliveredMs: number;
}

/** What the watcher's views showed at one moment (sampled once a second of trace time). */
export interface Shown {
  at: number;
  /** The disk's free space, as read, and its state. */
  free: number;
  state: MountState;
  forecast: Forecast;
}

export interface ReplayResult<T extends Omit<Trace, 'expected'> = Trace> {
  trace: T;
  heard: Heard[];
  transitions: { from: MountState; to: MountState; at: number; predicted: boolean }[];
  shown: Shown[];
  /** Every reading taken (full samples and fast re-reads): seconds into the trace, bytes. */
  readings: { at: number; available: number; usable: number }[];
}

const T0 = Date.parse('2026-11-23T09:00:00Z');

/**
 * Replays a trace on a real tmpfs: the watcher (default settings, the trace's on top) reads it
 * at the cadence it chooses itself — its full samples every interval and the fast re-reads fast
 * detection plans — on a virtual clock, so a 30-minute trace takes seconds. Before each reading
 * the disk is set to the trace's level at that moment. Notifications go to a real webhook on a
 * local HTTPS receiver, through the real dispatcher.
 */
export async function replay<T extends Omit<Trace, 'expected'>>(
  trace: T,
  o: { pki: TestPki; settings?: Partial<Settings>; sizeMiB?: number },
): Promise<ReplayResult<T>> {
  const disk = await Tmpfs.mount(o.sizeMiB ?? 128);
  // The data directory on a tmpfs of its own: the points are saved every few seconds of trace
  // time, and a fsync on the machine's disk each time would make a 30-minute trace take minutes.
  const home = await Tmpfs.mount(16);
  const receiver = await Receiver.start(o.pki);
  const arrived = new Map<string, number>();
  receiver.always((r) => {
    if (r.method === 'POST') arrived.set(JSON.parse(r.body).headroom.id, performance.now());
    return { status: 200, body: 'ok' };
  });
  const runtime = openRuntime(home.dir, { now: () => clock });
  let clock = T0;
  let ballast: Ballast | undefined;
  try {
    ballast = await Ballast.open(disk.dir);
    const settings = { ...runtime.settings.get(), ...trace.settings, ...o.settings };
    runtime.settings.update(settings);
    const mount = { mount: disk.dir, fs: 'tmpfs', type: 'tmpfs' };
    const watcher = new Watcher(runtime, { only: [mount], now: () => clock });
    const saved = await runtime.delivery.service.create({
      type: 'webhook',
      config: { url: receiver.url, ca: readFileSync(o.pki.files.ca, 'utf8') },
    });
    if (!saved.ok) throw new Error(JSON.stringify(saved));

    const seconds = () => (clock - T0) / 1000;
    const transitions: ReplayResult<T>['transitions'] = [];
    const told = new Map<number, number>();
    watcher.monitor.onTransition((t) => {
      if (t.kind !== 'space') return;
      transitions.push({ from: t.from, to: t.to, at: seconds(), predicted: t.predicted === true });
      told.set(t.at, performance.now());
    });
    const readings: ReplayResult<T>['readings'] = [];
    watcher.monitor.onTick(({ readings: read }) => {
      for (const r of read)
        if (r.ok)
          readings.push({
            at: seconds(),
            available: r.sample.available,
            usable: r.sample.used + r.sample.available,
          });
    });
    const shown: Shown[] = [];
    const interval = settings.intervalSeconds * 1000;
    const end = trace.durationSeconds * 1000;
    let nextFull = 0;
    for (let t = 0; t <= end;) {
      clock = T0 + t;
      ballast.set(trace.freeAt(t / 1000));
      if (t >= nextFull) {
        await watcher.checkNow();
        nextFull += interval;
      } else await watcher.monitor.readMounts([mount]);
      if (shown.length === 0 || t / 1000 - shown.at(-1)!.at >= 1) {
        const view = watcher.disks()[0]!;
        shown.push({ at: t / 1000, free: view.freePercent!, state: view.state, forecast: view.forecast });
      }
      const planned = watcher.plannedReadDelay(disk.dir);
      t = Math.min(planned === null ? nextFull : t + planned, nextFull);
    }
    await runtime.delivery.dispatcher.idle();
    const heard = receiver.requests
      .filter((r) => r.method === 'POST')
      .map((r) => JSON.parse(r.body))
      .filter((b) => b.headroom.kind === 'space')
      .map((b): Heard => ({
        from: b.headroom.from,
        to: b.headroom.to,
        kind: /will be critical in/.test(b.message) ? 'predicted' : b.severity,
        at: (Date.parse(b.date) - T0) / 1000,
        message: b.message,
        info: b.info,
        deliveredMs: arrived.get(b.headroom.id)! - (told.get(Date.parse(b.date)) ?? NaN),
      }));
    return { trace, heard, transitions, shown, readings };
  } finally {
    ballast?.close();
    await runtime.close();
    await receiver.close();
    await disk.dispose();
    await home.dispose();
  }
}
