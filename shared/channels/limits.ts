/**
 * A vendor's limits, as data, keyed by where the value sits in the request body: `payload.summary`,
 * `embeds[].fields[].value` (`[]`: every item; `[0]`: the first). Adapters cut their texts with
 * these numbers, and the contract tests check every rendered request against the same numbers.
 */
export interface Limits {
  /**
   * Longest text, in UTF-16 code units: how JavaScript and Java count, and never fewer than the
   * code points Python and Go count, so a text within it is within the vendor's limit either way.
   */
  text: Readonly<Record<string, number>>;
  /** Most items in a list. */
  items?: Readonly<Record<string, number>>;
  /**
   * Identifiers (de-duplication keys, aliases), in UTF-8 bytes, the strictest way any server
   * counts. Shortened with `shortenKey`, never cut: a trigger and its resolve must carry the same.
   */
  keys?: Readonly<Record<string, number>>;
  /**
   * Longest text in UTF-8 bytes, where the vendor counts bytes (ntfy's message): cut, like `text`,
   * never inside a character.
   */
  bytes?: Readonly<Record<string, number>>;
  /** The most characters several texts may have together (Discord: 6000 over an embed). */
  sums?: readonly { paths: readonly string[]; max: number }[];
}

// One segmenter for all: building one costs more than segmenting a short text. Built on the first
// cut, not at load: creating it maps ~2 MB of ICU data that an idle watcher never needs.
let graphemes: Intl.Segmenter | undefined;

const segmenter = () => (graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' }));

const ELLIPSIS = '…';

/**
 * Whether a text was cut while `cutsIn` ran its work: how a preview learns from `render` itself
 * that the message was cut (`previewOf`), with no adapter having to say so. Module state, set
 * only within one synchronous call: a render fits its texts before anything it awaits.
 */
let cutSeen: boolean | undefined;

/** Notes a cut, for the `cutsIn` running (if any). */
export function noteCut(): void {
  if (cutSeen !== undefined) cutSeen = true;
}

/** Runs `work`, telling whether it cut any text short (synchronously). */
export function cutsIn<T>(work: () => T): { value: T; cut: boolean } {
  const outer = cutSeen;
  cutSeen = false;
  try {
    const value = work();
    return { value, cut: cutSeen };
  } finally {
    cutSeen = outer === undefined ? undefined : outer || cutSeen;
  }
}

/**
 * Cuts text to at most `max` UTF-16 code units, marking the cut with "…", and never inside a
 * grapheme: an emoji, a flag, a letter with its combining accents or a ZWJ family stays whole or
 * goes whole (slicing UTF-16 would leave half a surrogate pair, which some APIs reject outright).
 */
export function truncate(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  noteCut();
  return { text: graphemePrefix(text, max - ELLIPSIS.length, (s) => s.length) + ELLIPSIS, truncated: true };
}

/**
 * `truncate` of one text to many lengths up to `longest` (a search for the length that fits): its
 * graphemes are found once, not at every try.
 */
export function truncation(text: string, longest: number): (max: number) => string {
  const ends: number[] = [];
  for (const { segment, index } of segmenter().segment(text)) {
    const end = index + segment.length;
    if (end > longest) break;
    ends.push(end);
  }
  return (max) => {
    if (text.length <= max) return text;
    let end = 0;
    for (const e of ends) {
      if (e > max - ELLIPSIS.length) break;
      end = e;
    }
    return text.slice(0, end) + ELLIPSIS;
  };
}

/** Just the text of `truncate`. */
export const cut = (text: string, max: number): string => truncate(text, max).text;

/** The longest run of whole graphemes from the start of `text` whose `size` is at most `budget`. */
function graphemePrefix(text: string, budget: number, size: (s: string) => number): string {
  let end = 0;
  let used = 0;
  for (const { segment, index } of segmenter().segment(text)) {
    const n = size(segment);
    if (used + n > budget) break;
    used += n;
    end = index + segment.length;
  }
  return text.slice(0, end);
}

const encoder = new TextEncoder();

export const utf8Length = (text: string): number => encoder.encode(text).length;

/**
 * A key or alias within `maxBytes` (UTF-8): unchanged when it fits; otherwise a readable prefix,
 * "~" and a hash of the whole key. The same key always gives the same result, so an incident
 * opened with it is resolved with it; two keys that share a long prefix still differ.
 */
export function shortenKey(key: string, maxBytes: number): string {
  if (utf8Length(key) <= maxBytes) return key;
  const tail = `~${fnv1a64(key)}`;
  return graphemePrefix(key, maxBytes - tail.length, utf8Length) + tail;
}

/**
 * FNV-1a, 64 bits, over the UTF-8 bytes (http://www.isthe.com/chongo/tech/comp/fnv/): tells keys
 * apart; it is not a defence against anyone choosing collisions, which nobody gains from here.
 * Synchronous and small, as `shared/` has no Node crypto and WebCrypto's digest is asynchronous.
 */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of encoder.encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
