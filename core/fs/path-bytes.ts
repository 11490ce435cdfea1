import { decodePathBytes, encodePathBytes, hasEscapedBytes } from '../../shared/path-bytes.js';

/**
 * Bytes from the kernel (a mount table, a directory name) as a path string, spelt losslessly where
 * they are not UTF-8 (shared/path-bytes.ts says how and why). Node's own decoder first: it is the
 * fast path, and a U+FFFD in its answer is the only sign of an invalid byte.
 */
export function pathFromBytes(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.includes('\uFFFD') ? decodePathBytes(bytes) : text;
}

/**
 * What to hand a file call for `path`: the string itself while it is UTF-8 (the common case, no
 * copy), else its bytes — Node would encode the escaped bytes as U+FFFD and name another file.
 */
export function fsPath(path: string): string | Buffer {
  return hasEscapedBytes(path) ? Buffer.from(encodePathBytes(path)) : path;
}
