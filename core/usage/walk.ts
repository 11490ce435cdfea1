import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UNREADABLE_LISTED, type ScanProgress, type ScanReport, type UsageDir } from '../../shared/usage.js';
import { fsPath, pathFromBytes } from '../fs/path-bytes.js';
import { mountPointsBelow } from './mount-points.js';
import { join, readDir, readFromInside, type DirRead, type Path } from './read-dir.js';
import { helpersStartedEarly, ScanHelpers } from './scan-helpers.js';

export interface WalkOptions {
  root: string;
  /** `st_size` instead of allocated blocks (`du --apparent-size`). */
  apparent?: boolean;
  /** Subdirectories kept in the tree: this deep below the root … */
  depth: number;
  /** … and this many per directory, the biggest. */
  top: number;
  /** Helper processes a scan that lasts may start (scan-helpers.ts); 0 reads alone. */
  helpers?: number;
  /** Start them at once and leave every directory to them while one is alive (tests: what they read). */
  helpersOnly?: boolean;
  /** The scanner is a process of its own, which may enter each directory to read it (see readFromInside). */
  enterDirs?: boolean;
  /** Stops the scan: it rejects with code ABORTED once its helpers have exited. */
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
  /** Milliseconds between progress reports. */
  progressMs?: number;
  now?: () => number;
}

/** Directories as parallel arrays: a million of them stay cheap, unlike a million objects. */
interface Dirs {
  name: string[];
  parent: number[];
  depth: number[];
  /** The directory's own bytes plus its files', then (after `total`) everything below it. */
  size: number[];
}

/** A scan still going after this long starts its helpers: a small tree is read before they could start. */
const HELPERS_AFTER_MS = 20;
/** How long the scanner reads at a stretch before it looks for news from the helpers. */
const SLICE_MS = 2;

/**
 * Sizes every directory under `root` on the root's filesystem, like `du -x`: no mount point is
 * entered, a bind mount of the same filesystem neither (see mountPointsBelow), a file with several hard links is counted once, symlinks are counted as themselves and
 * never followed. Whatever cannot be read (a directory without permission, an entry deleted
 * meanwhile, a path longer than PATH_MAX) is counted and listed, never fatal.
 *
 * Run by the scanner (scanner.ts), a process of its own that reads each directory from inside it
 * (`enterDirs`), or in the desktop app a worker thread that reads by full paths. A scan that lasts
 * shares the directories with helper processes, which read in parallel: a profile puts ~55% of a
 * scan in lstat and ~19% in readdir, and GNU du, one thread that stats by name relative to each
 * directory, needs about half the CPU of a Node loop that stats full paths. The scanner keeps the
 * one table of directories, so each is read exactly once, by whoever is free.
 */
export async function walk(o: WalkOptions): Promise<ScanReport & { helpersPeakRss: number }> {
  const now = o.now ?? Date.now;
  const startedAt = now();
  const began = performance.now();
  // The root itself may be reached through a symlink (`headroom usage ~/link`): follow that one.
  // A root that is not UTF-8 is read by its bytes (see fsPath), and so is everything below it.
  const rootPath = fsPath(resolve(o.root));
  const rootStat = statSync(rootPath);
  if (!rootStat.isDirectory())
    throw Object.assign(new Error(`${o.root} is not a directory`), { code: 'ENOTDIR' });
  const read = { device: rootStat.dev, apparent: o.apparent ?? false, mountPoints: mountPointsBelow(o.root) };
  const dirs: Dirs = {
    name: [o.root],
    parent: [-1],
    depth: [0],
    size: [read.apparent ? rootStat.size : rootStat.blocks * 512],
  };
  const seen = new Set<number>();
  const unreadable: ScanReport['unreadable'] = [];
  const otherMounts: string[] = [];
  let unreadableCount = 0;
  let vanished = 0;
  let files = 0;
  let total = dirs.size[0]!;
  // The directories still to read, as two parallel stacks: no object per directory. Absolute:
  // helpers enter each directory, and a relative path would then be read from the wrong place.
  const stack = { ids: [0], paths: [rootPath] as Path[] };
  const progressMs = o.progressMs ?? 100;
  let lastProgress = performance.now();
  let current: Path = o.root;

  const absorb = (r: DirRead, path: Path) => {
    dirs.size[r.id]! += r.bytes;
    total += r.bytes;
    files += r.files;
    vanished += r.vanished;
    unreadableCount += r.unreadable.length;
    unreadable.push(...r.unreadable.slice(0, UNREADABLE_LISTED - unreadable.length));
    otherMounts.push(...r.otherMounts.slice(0, UNREADABLE_LISTED - otherMounts.length));
    // The other names of a hard-linked file point at the same blocks: count them once.
    for (let i = 0; i < r.links.length; i += 2) {
      if (seen.has(r.links[i]!)) continue;
      seen.add(r.links[i]!);
      dirs.size[r.id]! += r.links[i + 1]!;
      total += r.links[i + 1]!;
      files++;
    }
    for (let i = 0; i < r.dirs.length; i++) {
      const id = dirs.name.push(name(r.dirs[i]!)) - 1;
      dirs.parent.push(r.id);
      dirs.depth.push(dirs.depth[r.id]! + 1);
      dirs.size.push(r.dirBytes[i]!);
      total += r.dirBytes[i]!;
      stack.ids.push(id);
      stack.paths.push(join(path, r.dirs[i]!));
    }
    current = path;
  };
  const progress = () => {
    if (!o.onProgress || performance.now() - lastProgress < progressMs) return;
    lastProgress = performance.now();
    o.onProgress({ files, dirs: dirs.name.length, size: total, current: String(current) });
  };

  let helpers: ScanHelpers | null = null;
  let helpersPeakRss: number;
  const interrupt = () => helpers?.notify();
  o.signal?.addEventListener('abort', interrupt);
  try {
    for (;;) {
      if (o.signal?.aborted) throw Object.assign(new Error('the scan was cancelled'), { code: 'ABORTED' });
      const early = helpersStartedEarly();
      if (!helpers && o.helpers && (o.helpersOnly || early || performance.now() - began >= HELPERS_AFTER_MS))
        helpers = new ScanHelpers(
          o.helpers,
          read,
          (reads, batch) => reads.forEach((r, i) => absorb(r, batch[i]!.path)),
          (batch) => batch.forEach((d) => (stack.ids.push(d.id), stack.paths.push(d.path))),
        );
      helpers?.feed(stack);
      // What the helpers have no room for, the scanner reads itself.
      const mine = !o.helpersOnly || !helpers?.alive;
      if (stack.ids.length > 0 && mine) {
        const until = performance.now() + SLICE_MS;
        do {
          const path = stack.paths.pop()!;
          const id = stack.ids.pop()!;
          absorb(o.enterDirs ? readFromInside(path, id, read) : readDir(path, id, read), path);
          progress();
        } while (stack.ids.length > 0 && performance.now() < until);
        // Let the helpers' messages and a cancellation in.
        await new Promise(setImmediate);
        continue;
      }
      if (stack.ids.length === 0 && !helpers?.waiting) break;
      await helpers!.news();
      progress();
    }
  } finally {
    o.signal?.removeEventListener('abort', interrupt);
    helpersPeakRss = (await helpers?.close()) ?? 0;
  }

  // Children come after their parent: adding each size to its parent, last first, sums the tree.
  for (let i = dirs.size.length - 1; i > 0; i--) dirs.size[dirs.parent[i]!]! += dirs.size[i]!;
  return {
    root: o.root,
    device: read.device,
    apparent: read.apparent,
    startedAt,
    finishedAt: now(),
    size: dirs.size[0]!,
    files,
    dirs: dirs.name.length,
    unreadableCount,
    unreadable,
    vanished,
    otherMounts,
    helpersPeakRss,
    tree: treeOf(dirs, o.depth, o.top),
  };
}

/**
 * A name as the tree keeps it: invalid bytes spelt as mount paths are (shared/path-bytes.ts), so
 * the CLI shows which byte it was (`caf\udce9`) and the path still names the folder.
 */
function name(n: Path): string {
  return typeof n === 'string' ? n : pathFromBytes(n);
}

/** The kept part of the tree: `top` biggest subdirectories per directory, `depth` levels down. */
function treeOf(dirs: Dirs, depth: number, top: number): UsageDir {
  const kids = new Map<number, number[]>();
  for (let i = 1; i < dirs.name.length; i++) {
    const p = dirs.parent[i]!;
    if (dirs.depth[p]! >= depth) continue;
    const list = kids.get(p);
    if (list) list.push(i);
    else kids.set(p, [i]);
  }
  const build = (i: number): UsageDir => {
    const node: UsageDir = { name: dirs.name[i]!, size: dirs.size[i]! };
    const all = kids.get(i);
    if (!all) return node;
    all.sort((a, b) => dirs.size[b]! - dirs.size[a]!);
    node.children = all.slice(0, top).map(build);
    if (all.length > top) {
      const rest = all.slice(top);
      node.more = { count: rest.length, size: rest.reduce((s, c) => s + dirs.size[c]!, 0) };
    }
    return node;
  };
  return build(0);
}
