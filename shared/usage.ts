/**
 * "What is filling my disk?": the shapes of a usage scan, its snapshot and the growth between two
 * snapshots (their words for an alert: usage-note.ts). Pure: the scanner (core/usage) fills them in.
 */

/** One directory: its size with everything below it, and its biggest subdirectories. */
export interface UsageDir {
  name: string;
  /** Bytes allocated (what `du` reports), or apparent bytes when the scan asked for them. */
  size: number;
  /** The biggest subdirectories, biggest first (up to the scan's depth and count). */
  children?: UsageDir[];
  /** The subdirectories left out of `children`: how many, and their size together. */
  more?: { count: number; size: number };
}

/** A place the scan could not read, and why (EACCES, ENAMETOOLONG, …). */
export interface Unreadable {
  path: string;
  code: string;
}

export interface ScanProgress {
  files: number;
  dirs: number;
  size: number;
  /** The directory being read. */
  current: string;
}

export interface ScanReport {
  root: string;
  /** The root's device number: a different one after the scan means the mount was replaced. */
  device: number;
  apparent: boolean;
  startedAt: number;
  finishedAt: number;
  size: number;
  files: number;
  dirs: number;
  /** Directories that could not be listed and entries that could not be read: counted, listed. */
  unreadableCount: number;
  unreadable: Unreadable[];
  /** Entries that went away while the scan ran. */
  vanished: number;
  /** Other filesystems mounted below the root: not entered (like `du -x`). */
  otherMounts: string[];
  tree: UsageDir;
}

/** How many unreadable places a report lists by name (all are counted). */
export const UNREADABLE_LISTED = 50;

/**
 * What is kept of a scan to compare with the next one: the biggest directories down to
 * `SNAPSHOT_DEPTH`, at most `SNAPSHOT_MAX_DIRS` of them. Each directory is
 * `[name, size, parent index]`, parents before children. Names of up to 255 bytes keep even a
 * full snapshot under 1 MB.
 */
export interface UsageSnapshot {
  version: 1;
  root: string;
  apparent: boolean;
  at: number;
  size: number;
  files: number;
  /** A directory missing from the snapshot held at most this much (0: nothing was left out). */
  threshold: number;
  dirs: [name: string, size: number, parent: number][];
}

export const SNAPSHOT_DEPTH = 6;
export const SNAPSHOT_MAX_DIRS = 3000;
/** Subdirectories per directory a scan keeps for its snapshot (more only when asked to show more). */
export const SNAPSHOT_TOP = 20;
/** Growth smaller than this is not worth naming (unless the snapshots are coarser still). */
export const GROWTH_MINIMUM = 64 * 1024;

/** The snapshot of a scan: the biggest directories, bounded in count and depth. */
export function snapshotOf(report: ScanReport): UsageSnapshot {
  const all: { dir: UsageDir; parent: number; depth: number }[] = [];
  let threshold = 0;
  const visit = (dir: UsageDir, parent: number, depth: number) => {
    const index = all.push({ dir, parent, depth }) - 1;
    if (depth >= SNAPSHOT_DEPTH) return;
    const kids = dir.children ?? [];
    // The subdirectories the scan left out are each no bigger than the smallest it kept.
    if (dir.more) threshold = Math.max(threshold, Math.min(dir.more.size, ...kids.map((k) => k.size)));
    for (const child of kids) visit(child, index, depth + 1);
  };
  visit(report.tree, -1, 0);
  // The biggest, shallower first on a tie: a parent is never smaller than its child, so every
  // kept directory's parent is kept too.
  const order = all
    .map((_, i) => i)
    .sort((a, b) => all[b]!.dir.size - all[a]!.dir.size || all[a]!.depth - all[b]!.depth);
  const kept = new Set(order.slice(0, SNAPSHOT_MAX_DIRS));
  for (const i of order.slice(SNAPSHOT_MAX_DIRS)) threshold = Math.max(threshold, all[i]!.dir.size);
  const index = new Map<number, number>();
  const dirs: UsageSnapshot['dirs'] = [];
  all.forEach((item, i) => {
    if (!kept.has(i) || (item.parent >= 0 && !index.has(item.parent))) return;
    index.set(
      i,
      dirs.push([item.dir.name, item.dir.size, item.parent < 0 ? -1 : index.get(item.parent)!]) - 1,
    );
  });
  return {
    version: 1,
    root: report.root,
    apparent: report.apparent,
    at: report.finishedAt,
    size: report.size,
    files: report.files,
    threshold,
    dirs,
  };
}

/** The tree cut to `depth` levels and the `top` biggest subdirectories of each, the rest summed up. */
export function pruneTree(dir: UsageDir, depth: number, top: number): UsageDir {
  const node: UsageDir = { name: dir.name, size: dir.size };
  if (depth <= 0 || !dir.children?.length) return node;
  const kept = dir.children.slice(0, top);
  const left = dir.children.slice(top);
  node.children = kept.map((c) => pruneTree(c, depth - 1, top));
  const more = {
    count: left.length + (dir.more?.count ?? 0),
    size: left.reduce((s, c) => s + c.size, 0) + (dir.more?.size ?? 0),
  };
  if (more.count > 0) node.more = more;
  return node;
}

/** Full paths (relative to the root, '' for the root) and sizes of a snapshot's directories. */
export function snapshotSizes(s: UsageSnapshot): Map<string, number> {
  const paths: string[] = [];
  const sizes = new Map<string, number>();
  s.dirs.forEach(([name, size, parent], i) => {
    const path = parent < 0 ? '' : paths[parent] === '' ? name : `${paths[parent]}/${name}`;
    paths[i] = path;
    sizes.set(path, size);
  });
  return sizes;
}

/** One directory that grew: its path relative to the root ('' is the root's own files). */
export interface Grower {
  path: string;
  /** Bytes more than at the earlier snapshot (a lower bound for a directory new to it). */
  grew: number;
  size: number;
  /** Not in the earlier snapshot: it is new, or was smaller than that snapshot's threshold. */
  isNew: boolean;
}

export interface Growth {
  root: string;
  since: number;
  at: number;
  /** The whole tree's change (negative when it shrank). */
  total: number;
  growers: Grower[];
}

/**
 * What grew between two snapshots of one root, named where it happened: a directory whose growth
 * one child explains (half or more) gives way to that child, so "+12 GiB in /home" becomes
 * "+12 GiB in /home/ann/Downloads"; growth spread over many children stays with the parent, and
 * a directory that grew inside one that shrank (more was deleted beside it) is named all the same.
 * Growth below `minimum` bytes (default: GROWTH_MINIMUM, or the snapshots' threshold when larger)
 * is not named.
 */
export function growthBetween(
  before: UsageSnapshot,
  after: UsageSnapshot,
  top = 5,
  minimum?: number,
): Growth {
  const old = snapshotSizes(before);
  const now = snapshotSizes(after);
  const floor = Math.max(1, minimum ?? Math.max(GROWTH_MINIMUM, before.threshold, after.threshold));
  const children = new Map<string, string[]>();
  for (const path of now.keys()) {
    if (path === '') continue;
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    children.set(parent, [...(children.get(parent) ?? []), path]);
  }
  const grewOf = (path: string) => {
    const size = now.get(path)!;
    const was = old.get(path);
    // Missing before: it was under the earlier threshold (or did not exist): count that much.
    return was === undefined ? Math.max(0, size - before.threshold) : size - was;
  };
  const growers: Grower[] = [];
  const visit = (path: string) => {
    const grew = grewOf(path);
    const kids = (children.get(path) ?? []).filter((c) => grewOf(c) >= floor);
    // Growth that what was freed beside it hides (logs/ deleted, cache/ growing) is still named.
    if (grew < floor) {
      for (const c of kids) visit(c);
      return;
    }
    const explained = kids.reduce((sum, c) => sum + grewOf(c), 0);
    if (!kids.some((c) => grewOf(c) >= grew / 2)) {
      growers.push({ path, grew, size: now.get(path)!, isNew: !old.has(path) });
      return;
    }
    for (const c of kids) visit(c);
    // What the children do not explain stays with this directory, when it is worth naming.
    if (grew - explained >= floor)
      growers.push({ path, grew: grew - explained, size: now.get(path)!, isNew: false });
  };
  visit('');
  growers.sort((a, b) => b.grew - a.grew);
  return {
    root: after.root,
    since: before.at,
    at: after.at,
    total: after.size - before.size,
    growers: growers.slice(0, top),
  };
}

/** `/home/ann/Downloads` as `~/Downloads` when `home` is given and holds it. */
export function shortPath(path: string, home?: string): string {
  if (!home || home === '/') return path;
  if (path === home) return '~';
  return path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

export function joinPath(root: string, relative: string): string {
  if (relative === '') return root;
  return root.endsWith('/') ? `${root}${relative}` : `${root}/${relative}`;
}
