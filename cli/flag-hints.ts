import type { Channel } from '../shared/channels/channel.js';
import { CHANNELS } from '../shared/channels/registry.js';
import { closest } from './options.js';

const flagOf = (flag: string) => (c: Channel) =>
  c.fields.find((f) => f.flag === flag || `${f.flag}-file` === flag);

/**
 * `--api-url` given to an ntfy integration: every channel that has the flag, and the nearest of
 * the chosen channel's own — a likely typo of one, else its first field of the same kind (ntfy's
 * --server-url for the others' --api-url: each is the address to send to). Undefined when no
 * channel has the flag (then it is a plain unknown option).
 */
export function otherChannelsFlag(flag: string, channel: Channel): string | undefined {
  const owners = CHANNELS.filter((c) => flagOf(flag)(c));
  if (owners.length === 0) return undefined;
  const kind = flagOf(flag)(owners[0]!)!.kind;
  const near =
    closest(
      flag,
      channel.fields.map((f) => f.flag),
    ) ?? channel.fields.find((f) => f.kind === kind)?.flag;
  return (
    `--${flag} is an option of ${wordList(owners.map((c) => c.type))} integrations, not of ${channel.type}` +
    (near ? `; did you mean --${near}?` : '.')
  );
}

/** "a, b and c". */
function wordList(words: string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
