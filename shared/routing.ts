import type { MountState } from './disk.js';
import type { Transition } from './hysteresis.js';
import { visibleState, watchesMount, type IntegrationBase } from './integration.js';

/**
 * What one integration must be told of a transition, given the state it was last told for that
 * disk (ok if never told): the change of what it sees, or null when what it sees did not change.
 */
export function route(
  integration: Pick<IntegrationBase, 'enabled' | 'mounts' | 'severity'>,
  transition: Pick<Transition, 'mount' | 'to'>,
  lastSent: MountState = 'ok',
): { from: MountState; to: MountState } | null {
  if (!integration.enabled || !watchesMount(integration, transition.mount)) return null;
  const to = visibleState(integration.severity, transition.to, lastSent);
  return to === lastSent ? null : { from: lastSent, to };
}
