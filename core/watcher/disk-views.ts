import { subjectKey, type Reading } from '../../shared/disk.js';
import type { Forecast } from '../../shared/forecast.js';
import type { MountRecord } from '../../shared/hysteresis.js';
import type { DiskView } from '../../shared/ipc/contract.js';
import type { Settings } from '../../shared/settings.js';
import { readingThresholds } from '../../shared/thresholds.js';

/** What a view needs beside the readings to show each disk. */
export interface DiskViewContext {
  states: Record<string, MountRecord>;
  settings: Settings;
  /** Until when each snoozed mount is snoozed. */
  snoozed: Record<string, number>;
  forecastNow: (mount: string) => Forecast;
}

/** Each disk as the tray, the windows and the web UI show it. */
export function diskViews(readings: readonly Reading[], c: DiskViewContext): DiskView[] {
  const { states, settings } = c;
  return readings.map((r) => {
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
      at: r.ok ? r.sample.at : r.at,
      state: record?.state ?? 'ok',
      ...(r.ok && r.sample.readOnly ? { readOnly: true } : {}),
      since: record?.since ?? (r.ok ? r.sample.at : r.at),
      ...(r.ok ? {} : { reason: r.reason }),
      thresholds: readingThresholds(settings, r, 'space'),
      inodes:
        r.ok && r.sample.inodes
          ? {
              ...r.sample.inodes,
              state: states[subjectKey(info.mount, 'inodes')]?.state ?? 'ok',
              thresholds: readingThresholds(settings, r, 'inodes'),
            }
          : null,
      snoozedUntil: c.snoozed[info.mount] ?? null,
      forecast: c.forecastNow(info.mount),
    };
  });
}
