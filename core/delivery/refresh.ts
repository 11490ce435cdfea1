import { channelFor } from '../../shared/channels/registry.js';
import { alertFacts, eventFor } from '../../shared/alert-facts.js';
import { activeNotice, alertsOf, type DiskSnapshot } from '../../shared/notices.js';
import { attemptWithTemplate } from './attempt.js';
import type { DeliveryParts } from './dispatcher.js';
import { randomUUID } from '../builtins.js';

export type RefreshOptions = Pick<
  DeliveryParts,
  'current' | 'told' | 'host' | 'attempt' | 'lanes' | 'onRefreshFailed'
>;

/**
 * Re-sends every active alert to channels whose receivers forget alerts that are not repeated
 * (Alertmanager), once per sample. Best effort and unrecorded: a lost one is sent again at the
 * next sample. An integration with a change still pending is skipped, so a refresh never
 * overtakes a resolve.
 */
export function refreshActive(o: RefreshOptions, disks: DiskSnapshot): void {
  const { readings, states, settings, forecastFor } = disks;
  // An integration with a change still pending is skipped: a refresh must never overtake it.
  const refreshing = o
    .current()
    .filter((i) => channelFor(i.type)?.traits?.refreshActive && i.enabled && !o.lanes.busy(i.id));
  if (refreshing.length === 0) return;
  for (const alert of alertsOf(readings, states)) {
    const facts = alertFacts({
      host: o.host,
      reading: alert.reading,
      kind: alert.kind,
      at: o.attempt.now(),
      since: alert.record.since,
      states,
      settings,
      forecast: forecastFor?.(alert.mount),
    });
    for (const integration of refreshing) {
      const notice = activeNotice(integration, alert, o.told);
      if (!notice) continue;
      const event = eventFor(facts, randomUUID(), notice.change);
      // Tracked, so that stopping waits for it.
      o.lanes.track(
        attemptWithTemplate(event, integration, o.attempt).then(({ outcome }) => {
          if (outcome.kind !== 'delivered') o.onRefreshFailed?.(integration, outcome.message);
        }),
      );
    }
  }
}
