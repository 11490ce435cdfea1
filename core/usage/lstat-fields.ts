import { lstatSync } from 'node:fs';

// The scan's one call per file: an lstat, read for six numbers. fs.lstatSync costs ~3.3 µs here,
// of which the system call is ~1.5 µs; the rest is argument checks and a Stats object built per
// file. Node's own fs binding — what lstatSync calls — fills one shared array instead, in ~2.2 µs:
// on a 200,000-file tree that is ~0.2 s of a scan that `du` finishes in ~0.45 s.
//
// process.binding('fs') is deprecated in the documentation only (DEP0111): Node 20 still serves it,
// with the signature lstatSync uses. Another Node (or Electron's) may not, so it is checked against
// lstatSync before it is trusted, and where it is missing, answers otherwise, or would print a
// deprecation warning, the scan uses lstatSync.

/** Positions in the array (Node's lib/internal/fs/utils.js, getStatsFromBinding). */
export const DEV = 0;
export const MODE = 1;
export const NLINK = 2;
export const INO = 7;
export const SIZE = 8;
export const BLOCKS = 9;

/**
 * lstat `path` into an array that the next call overwrites: read it at once. Undefined when the
 * path no longer exists; any other failure throws as lstatSync does (an Error with a `code`).
 */
export type LstatFields = (path: string | Buffer) => Float64Array | undefined;

const NO_THROW = { throwIfNoEntry: false } as const;
const copy = new Float64Array(10);

/** Through the public API: a Stats object per call, copied into the same positions. */
export const publicLstat: LstatFields = (path) => {
  const st = lstatSync(path, NO_THROW);
  if (!st) return undefined;
  copy[DEV] = st.dev;
  copy[MODE] = st.mode;
  copy[NLINK] = st.nlink;
  copy[INO] = st.ino;
  copy[SIZE] = st.size;
  copy[BLOCKS] = st.blocks;
  return copy;
};

type FsBinding = {
  lstat(path: string | Buffer, bigint: false, req: undefined, throwIfNoEntry: false): unknown;
};

/** The binding's lstat when it answers as lstatSync does for this Node; null otherwise. */
export function bindingLstat(): LstatFields | null {
  // --permission is enforced in lib/fs.js, above the binding; a deprecation asked for would print.
  const { permission } = process as { permission?: unknown };
  const flags = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (permission !== undefined || flags.includes('--pending-deprecation')) return null;
  try {
    const fs = (process as unknown as { binding(name: 'fs'): FsBinding }).binding('fs');
    const lstat: LstatFields = (path) => fs.lstat(path, false, undefined, false) as Float64Array | undefined;
    const a = lstat(process.execPath);
    const b = lstatSync(process.execPath);
    const same =
      a instanceof Float64Array &&
      a[DEV] === b.dev &&
      a[MODE] === b.mode &&
      a[NLINK] === b.nlink &&
      a[INO] === b.ino &&
      a[SIZE] === b.size &&
      a[BLOCKS] === b.blocks;
    return same && lstat(`${process.execPath}.headroom-missing`) === undefined ? lstat : null;
  } catch {
    return null;
  }
}

let chosen: LstatFields | undefined;

/** The scan's lstat: the binding's where it can be trusted, else the public one (chosen at first use). */
export const scanLstat = (): LstatFields => (chosen ??= bindingLstat() ?? publicLstat);
