import type { MountInfo } from '../shared/disk.js';
import type { Settings } from '../shared/settings.js';
import { discoverDrives, lookupMount, normaliseMountPath, type Discovered } from './mount-table.js';

/**
 * Which mounts to watch: the writable drives discovery finds, the ones named in settings (tmpfs,
 * network and read-only mounts included), and `remembered` ones (so that a drive that vanished
 * is reported unreachable), less the ignored ones.
 */
export async function watchList(
  settings: Settings,
  remembered: string[] = [],
  found?: Discovered,
): Promise<MountInfo[]> {
  const ignored = new Set(settings.ignoredMounts.map(normaliseMountPath));
  const byMount = new Map<string, MountInfo>();
  for (const m of (found ?? (await discoverDrives())).writable) byMount.set(m.mount, m);
  for (const mount of [...settings.watchedMounts.map(normaliseMountPath), ...remembered]) {
    if (byMount.has(mount)) continue;
    byMount.set(mount, (await lookupMount(mount)) ?? { mount, fs: 'unknown', type: 'unknown' });
  }
  return [...byMount.values()].filter((m) => !ignored.has(m.mount));
}

/** The read-only drives discovery found and left alone, unless named or ignored: `check` lists them. */
export function notWatched(found: Discovered, watched: MountInfo[], settings: Settings): MountInfo[] {
  const skip = new Set([...watched.map((m) => m.mount), ...settings.ignoredMounts.map(normaliseMountPath)]);
  return found.readOnly.filter((m) => !skip.has(m.mount));
}
