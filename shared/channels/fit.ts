import type { AlertEvent } from '../event.js';
import { noteCut, truncation } from './limits.js';
import { escapeWithin, type Escape } from './markup.js';

const asIs: Escape = (text) => text;

/**
 * An event whose texts that come from the machine or from the user — not Headroom's own words or
 * figures: the mount, the host, the file system, the reason, the usage lines and a template's
 * rendered title and text — are each cut to at most `n` characters (marked "…"). Any of them can
 * be as long, or escape as badly, as a disk can be named.
 */
function capper(e: AlertEvent, longest: number): (n: number) => AlertEvent {
  const cut = (s: string) => truncation(s, longest);
  const [mount, host, fs, type] = [e.mount, e.host, e.fs, e.type].map(cut) as [Cut, Cut, Cut, Cut];
  const reason = e.reason === undefined ? undefined : cut(e.reason);
  const title = e.custom?.title === undefined ? undefined : cut(e.custom.title);
  const text = e.custom?.text === undefined ? undefined : cut(e.custom.text);
  const lines = e.usage?.lines.map(cut);
  return (n) => ({
    ...e,
    mount: mount(n),
    host: host(n),
    fs: fs(n),
    type: type(n),
    ...(reason ? { reason: reason(n) } : {}),
    ...(e.custom
      ? { custom: { ...e.custom, ...(title ? { title: title(n) } : {}), ...(text ? { text: text(n) } : {}) } }
      : {}),
    ...(e.usage && lines ? { usage: { ...e.usage, lines: lines.map((l) => l(n)) } } : {}),
  });
}
type Cut = (n: number) => string;

/** The length of the event's longest variable text. */
function longestPart(e: AlertEvent): number {
  const parts = [
    e.mount,
    e.host,
    e.fs,
    e.type,
    e.reason,
    e.custom?.title,
    e.custom?.text,
    ...(e.usage?.lines ?? []),
  ];
  return Math.max(...parts.map((s) => s?.length ?? 0));
}

/**
 * One of an event's texts (`render`: its title, its details, a fact), escaped for the vendor's
 * markup and within `max` characters. When it is too long, the variable parts are cut, never
 * Headroom's words or the figures: every one of them to the same, largest length that fits, so
 * the longest part (a 2,000-character mount) gives way first and a short host stays whole. The
 * length is searched for with the escaping applied, as escaping can lengthen a text up to five
 * times (Slack's `&amp;`): "Disk critical: /&&…&… on db1 has 3.6% free" rather than "…".
 * Only a text whose fixed part alone is over the limit is cut at its end.
 */
export function fitEvent(
  e: AlertEvent,
  render: (e: AlertEvent) => string,
  max: number,
  escape: Escape = asIs,
): { text: string; truncated: boolean } {
  const whole = escape(render(e));
  if (whole.length <= max) return { text: whole, truncated: false };
  // Escaping never shortens, so no part longer than `max` can be in a text that fits.
  let lo = 1;
  let hi = Math.min(max, longestPart(e) - 1);
  const capped = capper(e, hi);
  let best: string | undefined;
  while (lo <= hi) {
    const n = Math.floor((lo + hi) / 2);
    const text = escape(render(capped(n)));
    if (text.length <= max) {
      best = text;
      lo = n + 1;
    } else hi = n - 1;
  }
  noteCut();
  if (best !== undefined) return { text: best, truncated: true };
  return { text: escapeWithin(render(capped(1)), max, escape).text, truncated: true };
}
