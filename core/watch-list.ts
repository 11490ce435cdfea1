import type { MountInfo } from '../shared/disk.js';
import type { Settings } from '../shared/settings.js';
import { discoverMounts, lookupMount, normaliseMountPath } from './mount-table.js';

/**
 * Which mounts to watch: the drives discovery finds, the ones named in settings (tmpfs and network
 * mounts included), and `remembered` ones (so that a drive that vanished is reported unreachable),
 * less the ignored ones.
 */
export async function watchList(settings: Settings, remembered: string[] = []): Promise<MountInfo[]> {
  const ignored = new Set(settings.ignoredMounts.map(normaliseMountPath));
  const byMount = new Map<string, MountInfo>();
  for (const m of await discoverMounts()) byMount.set(m.mount, m);
  for (const mount of [...settings.watchedMounts.map(normaliseMountPath), ...remembered]) {
    if (byMount.has(mount)) continue;
    byMount.set(mount, (await lookupMount(mount)) ?? { mount, fs: 'unknown', type: 'unknown' });
  }
  return [...byMount.values()].filter((m) => !ignored.has(m.mount));
}
