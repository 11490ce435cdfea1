import { openRuntime, type Runtime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import type { Transition } from '../../shared/hysteresis.js';
import type { DiskView } from '../../shared/ipc/contract.js';
import type { Settings } from '../../shared/settings.js';

/**
 * A watcher as `headroom watch` runs one — discovering the machine's disks, reading the mount
 * table every few seconds — with every transition it hands to the integrations recorded. Other
 * jobs on this machine mount disks too, so tests look only at their own mounts.
 */
export async function startWatcher(home: string, settings: Partial<Settings>, fstab?: string) {
  const runtime: Runtime = openRuntime(home);
  runtime.settings.update({ ...runtime.settings.get(), ...settings });
  const watcher = new Watcher(runtime, { fstab });
  const sent: Transition[] = [];
  watcher.monitor.onTransition((t) => void sent.push(t));
  const stop = new AbortController();
  const running = watcher.run(stop.signal);
  const close = async () => {
    stop.abort();
    await running;
    await runtime.close();
  };
  /** Resolves when the views (tray, window, web UI) show what `ready` looks for. */
  const views = <T>(ready: (disks: DiskView[]) => T | undefined, what: string, ms: number) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = ready(watcher.disks());
        if (found === undefined) return;
        clearTimeout(timer);
        watcher.events.off('disks', check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        watcher.events.off('disks', check);
        reject(new Error(`views did not show ${what} within ${ms} ms: ${JSON.stringify(watcher.disks())}`));
      }, ms);
      watcher.events.on('disks', check);
      check();
    });
  const shown = (mount: string, ms = 15_000) =>
    views((d) => d.find((v) => v.mount === mount), `${mount}`, ms);
  const dropped = (mount: string, ms = 15_000) =>
    views((d) => (d.some((v) => v.mount === mount) ? undefined : true), `${mount} gone`, ms);
  /** Resolves at the first sample of `mount` taken at or after `at` (fast re-reads included). */
  const readAt = (mount: string, at: number, ms = 15_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${mount} was not read after ${at}`)), ms);
      watcher.monitor.onTick(({ readings }) => {
        if (readings.some((r) => r.ok && r.sample.mount === mount && r.sample.at >= at)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  const sentFor = (...mounts: string[]) => sent.filter((t) => mounts.includes(t.mount));
  const transition = (mount: string, ms = 30_000) =>
    new Promise<Transition>((resolve, reject) => {
      const already = sentFor(mount)[0];
      if (already) return resolve(already);
      const timer = setTimeout(() => reject(new Error(`no transition of ${mount}`)), ms);
      watcher.monitor.onTransition((t) => {
        if (t.mount !== mount) return;
        clearTimeout(timer);
        resolve(t);
      });
    });
  return { runtime, watcher, close, views, shown, dropped, readAt, sentFor, transition };
}
