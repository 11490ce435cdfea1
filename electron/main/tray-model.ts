import { worstState } from '../../shared/disk.js';
import { formatBytes, formatPercent } from '../../shared/format.js';
import type { DiskView } from '../../shared/ipc/contract.js';

export type TrayIconState = 'ok' | 'warning' | 'critical' | 'unreachable' | 'paused';

export type TrayAction =
  'open' | 'checkNow' | 'pause1h' | 'pauseUntilResumed' | 'resume' | 'toggleLaunchAtLogin' | 'quit';

export type MenuItemModel =
  | { type: 'normal'; label: string; action: TrayAction; enabled?: boolean }
  | { type: 'checkbox'; label: string; action: TrayAction; checked: boolean }
  | { type: 'separator' }
  | { type: 'label'; label: string };

export interface TrayModel {
  icon: TrayIconState;
  tooltip: string;
  menu: MenuItemModel[];
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
): TrayModel {
  const worst = worstState(disks.map((d) => d.state));
  const worstDisk =
    [...disks].sort((a, b) => (a.freePercent ?? -1) - (b.freePercent ?? -1)).find((d) => d.state === worst) ??
    disks[0];
  const paused = pausedUntil !== null && pausedUntil > now;
  const diskLine = !worstDisk
    ? 'no disks watched yet'
    : worstDisk.freePercent === null
      ? `${worstDisk.mount} unreachable`
      : `${worstDisk.mount}: ${formatPercent(worstDisk.freePercent)} free (${formatBytes(worstDisk.available ?? 0)})`;
  const status = worst === 'ok' ? 'all disks ok' : `${worst}`;
  const pauseLine = paused
    ? ` — alerts paused${pausedUntil < Number.MAX_SAFE_INTEGER ? ` until ${new Date(pausedUntil).toLocaleTimeString()}` : ''}`
    : '';
  return {
    // An alert outranks the pause: a critical disk stays red while alerts are held.
    icon: paused && (worst === 'ok' || worst === 'unreachable') ? 'paused' : worst,
    tooltip: `Headroom — ${status}; ${diskLine}${pauseLine}`,
    menu: [
      { type: 'label', label: diskLine },
      { type: 'separator' },
      { type: 'normal', label: 'Open Headroom', action: 'open' },
      { type: 'normal', label: 'Check now', action: 'checkNow' },
      { type: 'separator' },
      ...(paused
        ? [{ type: 'normal' as const, label: 'Resume alerts', action: 'resume' as const }]
        : [
            { type: 'normal' as const, label: 'Pause alerts for 1 hour', action: 'pause1h' as const },
            {
              type: 'normal' as const,
              label: 'Pause alerts until resumed',
              action: 'pauseUntilResumed' as const,
            },
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
      { type: 'normal', label: 'Quit Headroom', action: 'quit' },
    ],
  };
}
