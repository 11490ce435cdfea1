import type { Monitor } from '../monitor.js';

/**
 * How often the kernel's mount table is read for a change: a disk mounted, or added to
 * `watchedMounts`, is then sampled and shown within this (plus one sample), well inside the 10 s
 * the views promise. Nothing lets Node wait on the table itself (poll() on /proc/self/mounts is
 * not exposed, inotify does not fire on procfs), so it is read: one small file compared with the
 * last, ~0.06 ms of CPU every few seconds (see MountTableProbe).
 */
export const MOUNT_TABLE_CHECK_MS = 5_000;

/** Samples at once whenever the mount table changes; returns the function that stops looking. */
export function watchMountTable(
  monitor: Pick<Monitor, 'mountsChanged' | 'tickChangedMounts'>,
  onError: (e: unknown) => void,
  checkMs = MOUNT_TABLE_CHECK_MS,
): () => void {
  let busy = false;
  const timer = setInterval(() => {
    // A sample still running (behind a slow mount) is not started again.
    if (busy || !monitor.mountsChanged()) return;
    busy = true;
    monitor
      .tickChangedMounts()
      .catch(onError)
      .finally(() => (busy = false));
  }, checkMs);
  timer.unref();
  return () => clearInterval(timer);
}
