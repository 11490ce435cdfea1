import { join } from 'node:path';
import { tightenModes } from './fs/modes.js';
import { removeStaleTemps } from './fs/stale-temps.js';
import type { StoreWarning } from './json-store.js';
import { policyLocation, type PolicyLocation } from './policy/location.js';
import { Policy } from './policy/policy.js';
import { SettingsStore } from './settings-store.js';
import { StateStore } from './state-store.js';

export interface StoresOptions {
  onWarning?: (w: StoreWarning) => void;
  /** Where the organisation's policy is and the environment its secrets may come from. */
  policy?: { location: PolicyLocation; env: NodeJS.ProcessEnv };
}

/**
 * The data directory's settings and alert states under the organisation's policy: what
 * `headroom check` needs, without the delivery side's modules (runtime.ts adds those), which a
 * check never uses and whose loading would be a good part of its start-up.
 */
export function openStores(dir: string, options: StoresOptions = {}) {
  const warn = options.onWarning;
  // Writes a killed process cut short (its temp files) in the data directory and the outbox.
  for (const d of [dir, join(dir, 'outbox'), join(dir, 'outbox', 'failed')]) removeStaleTemps(d);
  tightenModes(dir);
  const policy = new Policy(
    options.policy?.location ?? policyLocation(process.env, process.platform),
    options.policy?.env ?? process.env,
  );
  return {
    dir,
    /** Reports a data file that had to be moved aside (stores opened later take it too). */
    warn,
    /** The organisation's policy file, if any: managed settings and integrations. */
    policy,
    settings: new SettingsStore(dir, warn, policy),
    states: new StateStore(dir, warn),
  };
}

export type Stores = ReturnType<typeof openStores>;
