import { redact, type Channel } from '../../../shared/channels/channel.js';
import type { AlertEvent } from '../../../shared/event.js';
import { combineTargets } from '../targets.js';
import type { Sent } from './classify.js';

/**
 * The targets stage: a delivery made to every target at once (an Alertmanager cluster's peers),
 * each with its own follow-ups and no threads (no such channel has them), as one outcome (see
 * `combineTargets`). Where every target must hear it, those that did in an earlier attempt
 * (`heard`, added to) are not sent it again.
 */
export async function deliverToTargets(
  event: AlertEvent,
  channel: Pick<Channel, 'targets'>,
  config: Record<string, unknown>,
  targets: readonly { name: string; config: Record<string, unknown> }[],
  secrets: readonly string[],
  heard: Set<string> | undefined,
  deliver: (config: Record<string, unknown>) => Promise<Sent>,
): Promise<Pick<Sent, 'outcome' | 'status' | 'latencyMs'>> {
  const until = channel.targets?.every?.(event, config) ?? null;
  const left = until === null ? targets : targets.filter((t) => !heard?.has(t.name));
  const results = await Promise.all(
    left.map(async (t) => {
      const result = await deliver(t.config);
      if (result.outcome.kind === 'delivered') heard?.add(t.name);
      return { name: redact(t.name, secrets), ...result };
    }),
  );
  return combineTargets(
    results,
    until === null ? undefined : { until, heardBefore: targets.length - left.length },
  );
}
