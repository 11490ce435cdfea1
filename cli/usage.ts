import { resolve } from 'node:path';
import { formatBytes, formatCount, formatTime } from '../shared/format.js';
import { joinPath, pruneTree, type Growth, type ScanReport, type UsageDir } from '../shared/usage.js';
import { dataDir, ensureDataDir } from '../core/data-dir.js';
import { lookupMount } from '../core/mount-table.js';
import { scanHelpers, ScanFailed } from '../core/usage/scanner.js';
import { startHelpersEarly } from '../core/usage/scan-helpers.js';
import { scanMount } from '../core/usage/mount-usage.js';
import { trashOn } from '../core/usage/trash.js';
import { monotonicMs } from '../core/builtins.js';
import type { TrashView } from '../shared/ipc/contract.js';
import { warningPrinter, type CliIO } from './context.js';
import { CommandFailed, UserError } from './errors.js';
import { visible } from './escape.js';
import type { CommandHelp } from './help.js';
import { parseOptions, synopsis, type OptionTable } from './options.js';

export const USAGE_OPTIONS = {
  depth: { type: 'string', value: 'N', help: 'show subdirectories this many levels down (default 2)' },
  top: { type: 'string', value: 'N', help: 'show the N biggest subdirectories of each (default 10)' },
  json: {
    type: 'boolean',
    short: 'j',
    help: 'print JSON: the total in bytes as `size`, the tree as `children`',
  },
  apparent: { type: 'boolean', help: 'sizes as files say they are, not the space allocated to them' },
  growth: {
    type: 'boolean',
    help: 'PATH must be a mount: what grew since its previous snapshot, and by how much',
  },
} as const satisfies OptionTable;

export const usageHelp: CommandHelp = {
  usage: [`headroom usage [PATH] ${synopsis(USAGE_OPTIONS)}`],
  about: `What is filling a disk: the space each directory under PATH (default: the current directory)
takes, biggest first, as a tree. Like \`du -x | sort -h\`: nothing mounted below PATH is entered
(a bind mount of the same filesystem neither), a file with several hard links counts once, symbolic links are not followed, and
directories that cannot be read are counted and listed. The scan runs at low priority.
A scan of a whole mount saves a small snapshot in the data directory; --growth compares the new
scan with the one before and names what grew. A line says how much your Trash on that
filesystem holds (~/.local/share/Trash, $topdir/.Trash-UID; \`trash\` in --json): Headroom never
deletes or empties anything.`,
  options: USAGE_OPTIONS,
  more: `Exit code: 0 scanned (even if some directories could not be read: they are listed); 1 the
scan failed; 2 a usage error (PATH missing or not a directory, --growth on a path that is not a
mount).`,
};

function count(flag: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > max)
    throw new UserError(`--${flag} ${visible(text)}: give a whole number from 1 to ${max}`);
  return n;
}

export async function usageCommand(argv: string[], io: CliIO, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseOptions(USAGE_OPTIONS, argv, true);
  if (positionals.length > 1) throw new UserError(`give one PATH (got ${positionals.length})`);
  const depth = count('depth', values.depth, 2, 64);
  const top = count('top', values.top, 10, 1000);
  const root = resolve(positionals[0] ?? '.');
  // The scan's helper processes start first: they are ready as the scan begins (scan-helpers.ts).
  const stopUnused = startHelpersEarly(scanHelpers());
  try {
    return await usage(root, values, depth, top, io, signal);
  } finally {
    stopUnused();
  }
}

async function usage(
  root: string,
  values: ReturnType<typeof parseOptions<typeof USAGE_OPTIONS>>['values'],
  depth: number,
  top: number,
  io: CliIO,
  signal: AbortSignal,
): Promise<number> {
  if (values.growth && !(await lookupMount(root)))
    throw new UserError(
      `--growth compares snapshots of a whole mount, and ${visible(root)} is not a mount point`,
    );
  const started = monotonicMs();
  let result;
  let trash: TrashView | null;
  try {
    result = await scanMount(ensureDataDir(dataDir()), root, {
      // This process is the scanner: no second Node start-up (core/usage/scan-here.ts).
      in: 'here',
      apparent: values.apparent ?? false,
      depth,
      top,
      signal,
      onWarning: warningPrinter(io),
      onProgress:
        io.status &&
        ((p) =>
          io.status!(
            `Scanning… ${formatCount(p.files, 'file')}, ${formatBytes(p.size)}: ${visible(p.current)}`,
          )),
    });
    // A Trash that cannot be sized (emptied meanwhile, say) leaves the scan's answer standing.
    trash = await trashOn(root, { apparent: values.apparent ?? false, signal }).catch((error: unknown) => {
      if ((error as ScanFailed).code === 'ABORTED') throw error;
      return null;
    });
  } catch (error) {
    const code = (error as ScanFailed).code;
    if (code === 'ENOENT') throw new UserError(`${visible(root)} does not exist`);
    if (code === 'ENOTDIR') throw new UserError(`${visible(root)} is not a directory`);
    if (error instanceof ScanFailed)
      throw new CommandFailed(`could not scan ${visible(root)}: ${error.message}`);
    throw error;
  } finally {
    io.status?.('');
  }
  const { growth, saved, notSaved } = result;
  const report = { ...result.report, tree: pruneTree(result.report.tree, depth, top) };
  const seconds = (monotonicMs() - started) / 1000;
  if (values.json) {
    io.out(
      JSON.stringify(
        toJson(report, seconds, saved, notSaved, trash, values.growth ? growth : undefined),
        null,
        2,
      ),
    );
    return 0;
  }
  io.out(
    `${visible(root)}: ${formatBytes(report.size)}${report.apparent ? ' (apparent)' : ''} in ${formatCount(report.files, 'file')} and ${formatCount(report.dirs, 'directory', 'directories')}, scanned in ${seconds.toFixed(1)} s`,
  );
  io.out(renderTree(report.tree, report.size, depth));
  if (trash) io.out(trashLine(trash));
  if (values.growth) io.out(`\n${growthText(growth, root, io.utc)}`);
  for (const line of problems(report)) io.err(`headroom: ${line}`);
  if (notSaved) io.err(`headroom: no snapshot saved: ${notSaved}.`);
  return 0;
}

/** The tree as lines: size, share of the whole, and the name indented under its parent. */
export function renderTree(tree: UsageDir, total: number, depth: number): string {
  const lines: string[] = [];
  const share = (size: number) => (total > 0 ? `${((size / total) * 100).toFixed(1)}%` : '-');
  const add = (size: number, level: number, label: string) =>
    lines.push(
      `${formatBytes(size).padStart(10)}  ${share(size).padStart(6)}  ${'  '.repeat(level)}${label}`,
    );
  const visit = (dir: UsageDir, level: number) => {
    add(dir.size, level, visible(level === 0 ? dir.name : `${dir.name}/`));
    if (level >= depth) return;
    for (const child of dir.children ?? []) visit(child, level + 1);
    if (dir.more)
      add(dir.more.size, level + 1, `… ${formatCount(dir.more.count, 'more directory', 'more directories')}`);
  };
  visit(tree, 0);
  return lines.join('\n');
}

/** Headroom never empties it: the line says how much it holds and where to look. */
function trashLine(trash: TrashView): string {
  return `Trash: ${formatBytes(trash.size)} in ${trash.folders.map(visible).join(', ')}`;
}

function growthText(growth: Growth | null, root: string, utc?: boolean): string {
  if (!growth)
    return `No earlier snapshot of ${visible(root)}: this one is the first. Run again later to see what grew.`;
  const since = formatTime(growth.since, { utc, seconds: false });
  const total = `${growth.total >= 0 ? '+' : '-'}${formatBytes(Math.abs(growth.total))}`;
  const head = `Since ${since}: ${total} in total.`;
  if (growth.growers.length === 0) return `${head} Nothing grew by enough to name.`;
  return [
    `${head} Grew most:`,
    ...growth.growers.map(
      (g) =>
        `${`+${formatBytes(g.grew)}`.padStart(11)}  ${visible(joinPath(growth.root, g.path))}${g.isNew ? ' (new)' : ''}`,
    ),
  ].join('\n');
}

function problems(r: ScanReport): string[] {
  const out: string[] = [];
  if (r.unreadableCount > 0) {
    const listed = r.unreadable.map((u) => `  ${visible(u.path)} (${describeCode(u.code)})`);
    const more = r.unreadableCount - r.unreadable.length;
    out.push(
      [
        `${r.unreadableCount} ${r.unreadableCount === 1 ? 'place' : 'places'} could not be read; their contents are not counted:`,
        ...listed,
        ...(more > 0 ? [`  … and ${more} more`] : []),
      ].join('\n'),
    );
  }
  if (r.vanished > 0) out.push(`${r.vanished} entries went away while the scan ran.`);
  if (r.otherMounts.length > 0)
    out.push(`not entered (mount points): ${r.otherMounts.map(visible).join(', ')}`);
  return out;
}

function describeCode(code: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENAMETOOLONG':
      return 'path too long';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return code;
  }
}

function toJson(
  r: ScanReport,
  seconds: number,
  saved: boolean,
  notSaved: string | undefined,
  trash: TrashView | null,
  growth?: Growth | null,
) {
  return {
    root: r.root,
    size: r.size,
    apparent: r.apparent,
    files: r.files,
    dirs: r.dirs,
    seconds: Math.round(seconds * 1000) / 1000,
    children: r.tree.children ?? [],
    ...(r.tree.more ? { more: r.tree.more } : {}),
    unreadableCount: r.unreadableCount,
    unreadable: r.unreadable,
    vanished: r.vanished,
    otherMounts: r.otherMounts,
    trash,
    snapshot: { saved, ...(notSaved ? { reason: notSaved } : {}) },
    ...(growth === undefined ? {} : { growth }),
  };
}
