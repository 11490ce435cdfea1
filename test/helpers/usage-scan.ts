import { pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import type { UsageDir } from '../../shared/usage.js';
import { repoPath } from './root.js';

const run = promisify(execFile);

/** `du -x -B1` of `dir`: every directory's bytes (the root's as ''), as du itself reports them. */
export async function du(dir: string, ...args: string[]): Promise<Map<string, number>> {
  const { stdout } = await run('du', ['-x', '-B1', ...args, dir]).catch((e: { stdout: string }) => e);
  const sizes = new Map<string, number>();
  for (const line of stdout.trim().split('\n')) {
    const [bytes, path] = line.split('\t') as [string, string];
    sizes.set(path === dir ? '' : path.slice(dir.length + 1), Number(bytes));
  }
  return sizes;
}

/** Every directory in a scan's tree by its path relative to the root. */
export function flatten(tree: UsageDir): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (d: UsageDir, path: string) => {
    out.set(path, d.size);
    for (const c of d.children ?? []) visit(c, path === '' ? c.name : `${path}/${c.name}`);
  };
  visit(tree, '');
  return out;
}

export const MiB = 1024 * 1024;
export const bytes = (n: number) => Buffer.alloc(n, 'x');

/**
 * Who reads the directories: the scanning thread alone (what a small scan does), or helper
 * processes from the first directory on (what a scan that lasts does). Each comparison with du runs
 * with each.
 */
export const READERS = [
  ['a worker thread alone, as in the desktop app', { in: 'thread', helpers: 0 }],
  ['the scanning process alone', { in: 'process', helpers: 0 }],
  ['helper processes', { in: 'process', helpers: 2, helpersOnly: true }],
] as const;

/** A scan the helpers answered reports their peak memory: proof that they read. */
export const assertReadBy = (who: (typeof READERS)[number][1], report: { helpersPeakRss: number }) =>
  assert.equal(report.helpersPeakRss > 0, who.helpers > 0, 'read by the helpers when there are some');

const USAGE_SOURCE = pathToFileURL(repoPath('core/usage/'));
const USAGE_BUILT = pathToFileURL(repoPath('dist/core/usage/'));

/**
 * The usage scanner as built (dist/, by `npm run build`, as `npm test` does first): a scan forks
 * its scanning process and its helpers, and from source each of them first loads tsx and compiles
 * the scanner — 1–4 s a scan here under load, where the built ones start in a fraction of that.
 * The same code the CLI ships. Refused while dist/ is older than a source file of the scanner,
 * so that no test passes on code since changed.
 */
export async function builtScanner() {
  const built = (name: string) => new URL(name.replace(/\.ts$/, '.js'), USAGE_BUILT);
  const stale = readdirSync(USAGE_SOURCE)
    .filter((f) => f.endsWith('.ts'))
    .filter((f) => {
      try {
        return statSync(built(f)).mtimeMs < statSync(new URL(f, USAGE_SOURCE)).mtimeMs;
      } catch {
        return true; // not built at all
      }
    });
  if (stale.length)
    throw new Error(
      `dist/core/usage is older than core/usage/${stale.join(', ')} (or missing): run \`npm run build\` first`,
    );
  return {
    ...((await import(built('scanner.ts').href)) as typeof import('../../core/usage/scanner.js')),
    ...((await import(built('mount-usage.ts').href)) as typeof import('../../core/usage/mount-usage.js')),
  };
}
