import { dataDir, ensureDataDir } from '../core/data-dir.js';
import type { StoreWarning } from '../core/json-store.js';
import { openStores, type Stores } from '../core/stores.js';
import { visible } from './escape.js';
import type { CliIO } from './io.js';

/** Says which data file could not be read, where it went, and why. */
export function warningPrinter(io: CliIO): (w: StoreWarning) => void {
  return (w) =>
    io.err(
      `headroom: ${w.file} could not be read and was moved to ${w.movedTo}; ${w.instead ?? 'starting from defaults'}.\n` +
        `  reason: ${w.reason.replaceAll('\n', '\n  ')}`,
    );
}

/**
 * The data directory's settings and alert states, without the delivery side (`headroom check`,
 * whose start-up that would slow): reported as openContext (context.ts) reports them.
 */
export function openStoresContext(io: CliIO): Stores {
  const stores = openStores(ensureDataDir(dataDir()), { onWarning: warningPrinter(io) });
  reportPolicy(stores, io);
  return stores;
}

/** What of the organisation's policy does not apply, with its file and field; settings in conflict. */
export function reportPolicy(stores: Stores, io: CliIO): void {
  const { location } = stores.policy;
  if (location.ignored) io.err(`headroom: ${location.ignored}.`);
  const policy = stores.policy.current();
  if (!policy) return;
  // Broken managed integrations are listed where integrations are (`integration list`, `watch`).
  for (const p of policy.problems.filter((p) => !p.field.startsWith('integrations[')))
    io.err(`headroom: policy ${policy.file}: ${visible(p.field)}: ${visible(p.message)}.`);
  const broken = policy.integrationProblems.length;
  if (broken)
    io.err(
      `headroom: policy ${policy.file}: ${broken} managed integration(s) cannot be loaded (see \`headroom integration list\`); the rest of the policy applies.`,
    );
  for (const c of stores.settings.conflicts()) io.err(`headroom: ${visible(c.message)}.`);
}
