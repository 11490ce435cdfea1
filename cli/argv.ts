import { readFileSync } from 'node:fs';
import { pathFromBytes } from '../core/fs/path-bytes.js';

/**
 * The command's arguments, bytes that are not UTF-8 kept (spelt as shared/path-bytes.ts says).
 * Node decodes argv as UTF-8, each invalid byte becoming U+FFFD, so `--mount $'/mnt/\xff'` would
 * name a path that does not exist. Linux keeps the arguments as given in /proc/self/cmdline: its
 * last entries are this command's (before them come node, its flags and the script). Each is taken
 * only where it decodes to what Node gave, so a changed command line changes nothing.
 */
export function commandArguments(argv: string[] = process.argv.slice(2)): string[] {
  if (process.platform !== 'linux' || !argv.some((a) => a.includes('\uFFFD'))) return argv;
  let raw: Buffer[];
  try {
    const table = readFileSync('/proc/self/cmdline');
    raw = split(table.subarray(0, table.at(-1) === 0 ? -1 : undefined));
  } catch {
    return argv;
  }
  const ours = raw.slice(raw.length - argv.length);
  if (ours.length !== argv.length) return argv;
  return argv.map((arg, i) => (ours[i]!.toString('utf8') === arg ? pathFromBytes(ours[i]!) : arg));
}

function split(bytes: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(0); at !== -1; at = bytes.indexOf(0, from)) {
    parts.push(bytes.subarray(from, at));
    from = at + 1;
  }
  parts.push(bytes.subarray(from));
  return parts;
}
