import { storageHealth } from '../fs/storage-health.js';
import type { Heartbeat } from '../heartbeat.js';

/**
 * A data file that cannot be written or read is trouble the heartbeat tells of, until it is
 * written again. Returns the function that stops listening.
 */
export function reportStorageTrouble(heartbeat: Heartbeat): () => void {
  const failed = (file: string, reason: string) =>
    heartbeat.set(`file:${file}`, `cannot write ${file} (${reason})`);
  const unreadable = (file: string, reason: string) =>
    heartbeat.set(`file:${file}`, `cannot read ${file} (${reason})`);
  const recovered = (file: string) => heartbeat.set(`file:${file}`, null);
  storageHealth.on('failed', failed);
  storageHealth.on('readFailed', unreadable);
  storageHealth.on('recovered', recovered);
  return () => {
    storageHealth.off('failed', failed);
    storageHealth.off('readFailed', unreadable);
    storageHealth.off('recovered', recovered);
  };
}
