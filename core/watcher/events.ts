import type { EventEmitter } from 'node:events';
import { ALERT_KINDS } from '../../shared/alert-kinds.js';
import { freeOf } from '../../shared/disk.js';
import { alertForecast } from '../../shared/event.js';
import type { Transition } from '../../shared/hysteresis.js';
import type { EventPayloads } from '../../shared/ipc/contract.js';
import type { EventName } from '../../shared/ipc/names.js';
import type { Hold } from '../../shared/quiet.js';
import { readingThresholds } from '../../shared/thresholds.js';
import type { TransitionContext } from '../monitor.js';

/** What the watcher pushes to its views (tray, windows, web UI): the contract's events. */
export type WatcherEvents = EventEmitter<{ [E in EventName]: [EventPayloads[E]] }>;

/** A transition as views show it (the desktop notification among them). */
export function transitionEvent(
  t: Transition,
  context: TransitionContext,
  held: Hold | null,
): EventPayloads['transition'] {
  const r = t.reading;
  const told = ALERT_KINDS[t.kind].bytes ? alertForecast(context.forecast, t.to) : undefined;
  return {
    mount: t.mount,
    kind: t.kind,
    from: t.from,
    to: t.to,
    at: t.at,
    freePercent: r.ok ? freeOf(r.sample, t.kind) : null,
    thresholds: readingThresholds(context.settings, r, t.kind),
    ...(t.predicted ? { predicted: true } : {}),
    ...(told ? { forecast: told } : {}),
    ...(held ? { held: held.reason } : {}),
  };
}
