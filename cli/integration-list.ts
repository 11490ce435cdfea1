import { channelFor } from '../shared/channels/registry.js';
import { maskedConfig } from '../shared/mask.js';
import type { CliIO } from './context.js';
import { visible } from './escape.js';
import { renderTable } from './table.js';
import type { Loaded } from './integration.js';

export const NO_INTEGRATIONS =
  'headroom: no integrations yet. Add one with `headroom integration add --type webhook --url …`.';

/**
 * `integration list`: a table with secrets masked, or the JSON of it; integrations that cannot
 * load are named, and where their secrets are kept when no keychain seals them (`secretsNote`).
 */
export function list(json: boolean, all: Loaded, io: CliIO, policy: boolean, secretsNote?: string): number {
  const shown = all.integrations.map((i) => ({ ...i, config: maskedConfig(channelFor(i.type)!, i.config) }));
  if (json) {
    io.out(JSON.stringify({ integrations: shown, problems: all.problems }, null, 2));
    return 0;
  }
  if (shown.length === 0 && all.problems.length === 0) {
    io.err(NO_INTEGRATIONS);
    return 0;
  }
  const rows = shown.map((i) => [
    i.id,
    i.name,
    i.type,
    i.enabled ? 'yes' : 'no',
    i.mounts.length ? i.mounts.join(',') : 'all',
    i.severity,
    Object.entries(i.config)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : String(v)}`)
      .join(' '),
    // Under a policy: which ones the organisation manages (read-only here).
    ...(policy ? [i.managed ? 'yes' : 'no'] : []),
  ]);
  const header = ['ID', 'Name', 'Type', 'Enabled', 'Disks', 'Severity', 'Settings'];
  io.out(renderTable(policy ? [...header, 'Managed'] : header, rows));
  if (secretsNote) io.err(`headroom: ${secretsNote}`);
  for (const p of all.problems)
    io.err(
      `headroom: integration ${visible(p.id)} (${visible(p.name)}) cannot be loaded: ${visible(p.message)}`,
    );
  return 0;
}
