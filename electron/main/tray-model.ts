import { worstState } from '../../shared/disk.js';
import { formatBytes, formatPercent, formatTime } from '../../shared/format.js';
import type { DeliveryRecord } from '../../shared/history.js';
import { percentLimits } from '../../shared/thresholds.js';
import type { DiskView } from '../../shared/ipc/contract.js';
import type { SnoozeChoice } from '../../shared/quiet.js';

export type TrayIconState = 'ok' | 'warning' | 'critical' | 'unreachable' | 'paused';

export type TrayAction =
  | 'open'
  | 'checkNow'
  | 'pauseUntilResumed'
  | 'resume'
  | 'snooze1h'
  | 'snooze8h'
  | 'snoozeTomorrow'
  | 'unsnoozeAll'
  | 'toggleLaunchAtLogin'
  | 'quit'
  /** Open the window on this disk, where "What's using space" is. */
  | `usage:${string}`;

const SNOOZE_ACTIONS: Partial<Record<TrayAction, SnoozeChoice>> = {
  snooze1h: '1h',
  snooze8h: '8h',
  snoozeTomorrow: 'tomorrow',
};

/** The choice a "Snooze all alerts" item stands for (`watcher.pauses.snooze(null, choice)`), else null. */
export function snoozeChoiceOf(action: TrayAction): SnoozeChoice | null {
  return SNOOZE_ACTIONS[action] ?? null;
}

export type MenuItemModel =
  | { type: 'normal'; label: string; action: TrayAction; enabled?: boolean }
  | { type: 'checkbox'; label: string; action: TrayAction; checked: boolean }
  | { type: 'submenu'; label: string; items: MenuItemModel[] }
  | { type: 'separator' }
  | { type: 'label'; label: string };

export interface TrayModel {
  icon: TrayIconState;
  tooltip: string;
  menu: MenuItemModel[];
}

const item = (label: string, action: TrayAction): MenuItemModel => ({ type: 'normal', label, action });

/** An alert a receiver asked to hold back long (see `DeliveryRecord.delayedUntil`). */
export interface DelayedAlert {
  integration: string;
  until: number;
}

/** Keeps `delayed` (by delivery id) up to date with a changed delivery record; true if it changed. */
export function noteDelay(delayed: Map<string, DelayedAlert>, r: DeliveryRecord): boolean {
  if (r.outcome === 'retrying' && r.delayedUntil !== undefined) {
    delayed.set(r.id, { integration: r.integrationName, until: r.delayedUntil });
    return true;
  }
  return delayed.delete(r.id);
}

/** One line per integration whose alerts a receiver holds back, with the latest time it said. */
function delayLines(delayed: readonly DelayedAlert[]): string[] {
  const latest = new Map<string, number>();
  for (const d of delayed) latest.set(d.integration, Math.max(d.until, latest.get(d.integration) ?? 0));
  return [...latest].map(
    ([name, until]) => `Alerts to “${name}” delayed until ${formatTime(until, { seconds: false })}`,
  );
}

/**
 * What the tray shows, from the disks and the pause: the worst state as the icon, the worst disk
 * in the tooltip, and the menu. Pure, so every combination is tested without Electron.
 */
export function trayModel(
  disks: DiskView[],
  pausedUntil: number | null,
  launchAtLogin: boolean | null,
  now = Date.now(),
  /** Alerts a receiver's Retry-After holds back long: said at once, for they arrive that late. */
  delayed: readonly DelayedAlert[] = [],
): TrayModel {
  const worst = worstState(disks.map((d) => d.state));
  // A read-only disk reads 0 % free and cannot fill: it is never the disk the tooltip names first.
  const fullness = (d: DiskView) => (d.readOnly ? Infinity : (d.freePercent ?? -1));
  const worstDisk =
    [...disks].sort((a, b) => fullness(a) - fullness(b)).find((d) => d.state === worst) ?? disks[0];
  const paused = pausedUntil !== null && pausedUntil > now;
  const snoozed = disks.filter((d) => d.snoozedUntil !== null && d.snoozedUntil > now).length;
  const diskLine = !worstDisk
    ? 'no disks watched yet'
    : worstDisk.freePercent === null
      ? `${worstDisk.mount} unreachable`
      : worstDisk.readOnly
        ? `${worstDisk.mount}: read-only`
        : `${worstDisk.mount}: ${formatPercent(worstDisk.freePercent, percentLimits(worstDisk.thresholds))} free (${formatBytes(worstDisk.available ?? 0)})`;
  // The menu shows whole percents: a finer figure would rebuild it on every sample of a disk
  // that fills, and an open menu closes when it is rebuilt. The tooltip has the exact figure.
  const menuLine =
    worstDisk?.freePercent == null || worstDisk.readOnly
      ? diskLine
      : `${worstDisk.mount}: ${formatPercent(worstDisk.freePercent, percentLimits(worstDisk.thresholds), [0])} free`;
  const status = worst === 'ok' ? 'all disks ok' : `${worst}`;
  const pauseLine = paused
    ? ` — alerts paused${pausedUntil < Number.MAX_SAFE_INTEGER ? ` until ${new Date(pausedUntil).toLocaleTimeString()}` : ''}`
    : snoozed
      ? ` — ${snoozed} ${snoozed === 1 ? 'disk' : 'disks'} snoozed`
      : '';
  const delays = delayLines(delayed);
  return {
    // An alert outranks the pause: a critical disk stays red while alerts are held.
    icon: paused && (worst === 'ok' || worst === 'unreachable') ? 'paused' : worst,
    tooltip: `Headroom — ${status}; ${diskLine}${pauseLine}${delays.map((d) => `; ${d}`).join('')}`,
    menu: [
      { type: 'label', label: menuLine },
      ...delays.map((label) => ({ type: 'label' as const, label: `${label} (the receiver asked to wait)` })),
      { type: 'separator' },
      item('Open Headroom', 'open'),
      item('Check now', 'checkNow'),
      // The next question after a warning: what is filling it. Critical disks first.
      ...disks
        .filter((d) => d.state === 'critical' || d.state === 'warning')
        .sort((a, b) => (a.state === b.state ? 0 : a.state === 'critical' ? -1 : 1))
        .map((d) => item(`What’s using space on ${d.mount}`, `usage:${d.mount}`)),
      { type: 'separator' },
      ...(paused
        ? [item('Resume alerts', 'resume')]
        : [
            item('Pause alerts until resumed', 'pauseUntilResumed'),
            {
              type: 'submenu' as const,
              label: 'Snooze all alerts',
              items: [
                item('For 1 hour', 'snooze1h'),
                item('For 8 hours', 'snooze8h'),
                item('Until tomorrow 08:00', 'snoozeTomorrow'),
              ],
            },
            ...(snoozed
              ? [item(`Unsnooze ${snoozed === 1 ? 'the snoozed disk' : `${snoozed} disks`}`, 'unsnoozeAll')]
              : []),
          ]),
      { type: 'separator' },
      ...(launchAtLogin === null
        ? []
        : [
            {
              type: 'checkbox' as const,
              label: 'Launch at login',
              action: 'toggleLaunchAtLogin' as const,
              checked: launchAtLogin,
            },
          ]),
      item('Quit Headroom', 'quit'),
    ],
  };
}
