/**
 * Paths as the kernel has them are bytes, and need not be UTF-8; Node decodes them as UTF-8 and
 * turns each invalid byte into U+FFFD, which names no file. Headroom keeps such a path as a string
 * all the same — mount paths are keys of stored state and settings, shown, compared, sent as JSON —
 * spelt losslessly the way Python's `surrogateescape` does: valid UTF-8 decodes as usual, and each
 * byte that is not part of valid UTF-8 becomes the lone surrogate U+DC80–U+DCFF (byte 0x80–0xFF).
 * Why this spelling: a path that is valid UTF-8 (every path seen so far) keeps the very string it
 * had, so stored keys stay put; valid UTF-8 never encodes a surrogate, so no two byte strings share
 * a spelling and it round-trips exactly; and JSON writes a lone surrogate as `\udcff` and reads it
 * back as the same string, so settings and state files keep it too.
 */

/** The longest valid UTF-8 sequence at `i`, as [code point, length], or null (Unicode Table 3-7). */
function sequenceAt(b: Uint8Array, i: number): [number, number] | null {
  const b0 = b[i]!;
  if (b0 < 0x80) return [b0, 1];
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? [((b0 & 0x1f) << 6) | (b[i + 1]! & 0x3f), 2] : null;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    // No overlong forms (E0 A0..), no surrogates (ED 80..9F).
    const [lo, hi] = b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    if (!cont(1, lo, hi) || !cont(2)) return null;
    return [((b0 & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f), 3];
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    // No overlong forms (F0 90..), nothing above U+10FFFF (F4 80..8F).
    const [lo, hi] = b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    if (!cont(1, lo, hi) || !cont(2) || !cont(3)) return null;
    const cp =
      ((b0 & 0x07) << 18) | ((b[i + 1]! & 0x3f) << 12) | ((b[i + 2]! & 0x3f) << 6) | (b[i + 3]! & 0x3f);
    return [cp, 4];
  }
  return null;
}

/** Bytes of a path as Headroom spells it (see above). */
export function decodePathBytes(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const seq = sequenceAt(bytes, i);
    if (seq) {
      out += String.fromCodePoint(seq[0]);
      i += seq[1];
    } else out += String.fromCharCode(0xdc00 + bytes[i++]!);
  }
  return out;
}

/** A lone surrogate: only an escaped byte puts one in a path (or a bug, spelt the same way). */
const LONE_SURROGATE = /\p{Cs}/u;

/** Whether `path` holds bytes that are not UTF-8, and so must reach the kernel as bytes. */
export function hasEscapedBytes(path: string): boolean {
  return LONE_SURROGATE.test(path);
}

/** The bytes `path` stands for: the inverse of decodePathBytes. */
export function encodePathBytes(path: string): Uint8Array {
  const out: number[] = [];
  for (const ch of path) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xdc80 && cp <= 0xdcff) out.push(cp - 0xdc00);
    else if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return Uint8Array.from(out);
}
