import { reservedOf } from './disk.js';
import type { AlertEvent } from './event.js';
import { formatBytes } from './format.js';

/** A disk's figures of now, for a test message that tells the truth about it. */
export type TestDisk = Pick<
  AlertEvent,
  'mount' | 'fs' | 'type' | 'freePercent' | 'available' | 'usable' | 'size' | 'thresholds'
>;

/**
 * A disk's space as its card in the window shows it (size, used, available, and what is reserved
 * for the system), so that the test message and the card agree; without the size (an event saved
 * before it was kept), what can be used.
 */
export function testFigures(available: number, usable: number, size: number | undefined): string {
  if (size === undefined) return `${formatBytes(available)} free of ${formatBytes(usable)}`;
  const used = usable - available;
  const reserved = reservedOf({ size, used, available });
  return `size ${formatBytes(size)}, ${formatBytes(used)} used, ${formatBytes(available)} available${
    reserved ? `, ${formatBytes(reserved)} reserved for the system` : ''
  }`;
}

/**
 * What "Send test" sends, clearly marked, through the normal path: the real figures of a disk the
 * integration hears of, where there is one (else plausible ones), shaped as a warning so that the
 * receiver's routing for warnings is what gets tested.
 */
export function testEvent(host: string, now: number, id: string, disk?: TestDisk): AlertEvent {
  const usable = 100 * 1024 ** 3;
  return {
    id,
    host,
    mount: '/',
    kind: 'space',
    fs: 'headroom-test',
    type: 'test',
    from: 'ok',
    to: 'warning',
    freePercent: 15,
    available: usable * 0.15,
    usable,
    thresholds: { warningPercent: 20, criticalPercent: 10, warningGiB: null, criticalGiB: null },
    ...disk,
    at: now,
    durationSeconds: 0,
    otherCritical: 0,
    otherWarning: 0,
    test: true,
    intervalSeconds: 300,
  };
}
