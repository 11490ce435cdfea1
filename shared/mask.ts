import type { Channel } from './channels/channel.js';

export const MASK = '••••••';

/**
 * A URL shown without what could be a credential: user info and query values. Decoded for
 * reading, or `encoded` as it is stored (to show how a link was written: `storedDifferently`).
 */
export function maskUrl(value: string, encoded = false): string {
  try {
    const url = new URL(value);
    if (url.username || url.password) {
      url.username = MASK;
      url.password = '';
    }
    for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, MASK);
    const href = url.toString();
    return encoded ? href.replaceAll(encodeURIComponent(MASK), MASK) : decodeURIComponent(href);
  } catch {
    return MASK;
  }
}

/**
 * A configuration as it may be shown after saving: secret fields replaced by a mask (the value
 * itself never leaves the main process), URLs without credentials.
 */
export function maskedConfig(channel: Channel, config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of channel.fields) {
    const value = config[field.key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    // Header lines keep their names ("X-Team: ••••••"): which headers are set is no secret.
    if (field.secret && field.header === 'lines' && Array.isArray(value))
      out[field.key] = value.map((line) => {
        const name = String(line).split(':')[0]!.trim();
        return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) ? `${name}: ${MASK}` : MASK;
      });
    else if (field.secret) out[field.key] = Array.isArray(value) ? value.map(() => MASK) : MASK;
    else if (field.kind === 'url' && typeof value === 'string') out[field.key] = maskUrl(value);
    else if (field.kind === 'pem') out[field.key] = '(PEM set)';
    else out[field.key] = value;
  }
  return out;
}
