/**
 * The names of every request and pushed event between the renderer and the main process (or the
 * headless web UI). Kept apart from the schemas so the preload bundle stays tiny.
 */
export const REQUESTS = [
  'app.info',
  'disks.list',
  'disks.checkNow',
  'disks.chart',
  'channels.list',
  'integrations.list',
  'integrations.save',
  'integrations.remove',
  'integrations.setEnabled',
  'integrations.validate',
  'integrations.test',
  'integrations.preview',
  'history.list',
  'history.retry',
  'settings.get',
  'settings.update',
  'alerts.pause',
  'alerts.resume',
  'alerts.snooze',
  'alerts.unsnooze',
  'usage.scan',
  'usage.cancel',
  'usage.open',
  'usage.openTrash',
] as const;

export const EVENTS = [
  'disks',
  'transition',
  'delivery',
  'settings',
  'paused',
  'focusDisk',
  'usage',
  'usageProgress',
] as const;

export type RequestName = (typeof REQUESTS)[number];
export type EventName = (typeof EVENTS)[number];

/** The IPC channel each request travels on: one namespace, easy to audit. */
export const ipcChannel = (name: RequestName | EventName) => `headroom:${name}`;
