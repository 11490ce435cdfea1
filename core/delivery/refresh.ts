import { channelFor } from '../../shared/channels/registry.js';
import { alertFacts, eventFor } from '../../shared/alert-facts.js';
import type { Integration } from '../../shared/integration.js';
import { activeNotice, alertsOf, type DiskSnapshot, type ToldOf } from '../../shared/notices.js';
import { attemptWithTemplate, type AttemptContext } from './attempt.js';
import { randomUUID } from '../builtins.js';

export interface RefreshOptions {
  integrations: () => readonly Integration[];
  told: ToldOf;
  host: string;
  attempt: AttemptContext;
  /** Whether the integration has a change still pending: a refresh must never overtake it. */
  busy: (integrationId: string) => boolean;
  /** Each re-post, so that stopping waits for it. */
  track: (work: Promise<void>) => void;
  onFailed?: (integration: Integration, message: string) => void;
}

/**
 * Re-sends every active alert to channels whose receivers forget alerts that are not repeated
 * (Alertmanager), once per sample. Best effort and unrecorded: a lost one is sent again at the
 * next sample. An integration with a change still pending is skipped, so a refresh never
 * overtakes a resolve.
 */
export function refreshActive(o: RefreshOptions, disks: DiskSnapshot): void {
  const { readings, states, settings, forecastFor } = disks;
  const refreshing = o
    .integrations()
    .filter((i) => channelFor(i.type)?.traits?.refreshActive && i.enabled && !o.busy(i.id));
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
      o.track(
        attemptWithTemplate(event, integration, o.attempt).then(({ outcome }) => {
          if (outcome.kind !== 'delivered') o.onFailed?.(integration, outcome.message);
        }),
      );
    }
  }
}
