import { parseUiHost, type UiHost } from '../core/web-ui-hosts.js';
import { UserError } from './errors.js';

/**
 * The `--ui-host` values, checked against the flags they go with. A name for other machines
 * without `--ui-allow-remote` is refused rather than taken as consent: exposing the UI is a
 * decision of its own, made with the flag that says so.
 */
export function uiHostFlags(values: {
  ui?: string;
  'ui-host'?: string[];
  'ui-allow-remote'?: boolean;
}): UiHost[] {
  const given = values['ui-host'] ?? [];
  if (given.length === 0) return [];
  if (values.ui === undefined)
    throw new UserError(`--ui-host ${given[0]}: names the web UI; use it with --ui [HOST:]PORT.`);
  if (!values['ui-allow-remote'])
    throw new UserError(
      `--ui-host ${given[0]}: a name for reaching the web UI from other machines or through a proxy; ` +
        `add --ui-allow-remote to allow that (without it the UI answers to loopback names only).`,
    );
  return given.map((value) => {
    try {
      return parseUiHost(value);
    } catch (error) {
      throw new UserError((error as Error).message);
    }
  });
}
