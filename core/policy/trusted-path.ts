import { lstatSync, readlinkSync, type Stats } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';

/** More links than this on the way: a loop, or a maze no administrator meant. */
const MAX_LINKS = 40;

/**
 * Why the policy file cannot be trusted, or null when it can (or cannot be told: Windows, where
 * modes mean nothing, or a file that is not there). A policy decides which files a watcher —
 * often run as root — reads as secrets and where it sends them: whoever can change it, or swap it
 * for another, can make root send a root-only file as a token. So, as OpenSSH's StrictModes does
 * for authorized_keys, the file and every folder on the way to it (through every symbolic link)
 * must belong to root or to the user Headroom runs as, and be writable by no one else.
 *
 * One exception, chosen on purpose: a folder with the sticky bit (/tmp) may be writable by all,
 * because there only the owner of an entry (or of the folder, or root) can rename or remove it —
 * so an entry there that belongs to root or to this user cannot be swapped. A writable folder
 * without the sticky bit, a folder or file of another user, or a link whose folder is either, is
 * refused: the file could be replaced between two reads.
 */
export function untrustedPolicy(file: string, uid = process.geteuid?.()): string | null {
  if (process.platform === 'win32' || uid === undefined) return null;
  const trusted = (s: Stats) => s.uid === 0 || s.uid === uid;
  const owner = (s: Stats, what: string) =>
    `${what} belongs to user ${s.uid}, not to root or to the user Headroom runs as (${uid}), so that user could change it`;
  const mode = (s: Stats) => (s.mode & 0o7777).toString(8);
  let parts = resolve(file).split(sep).filter(Boolean);
  let dir = '/';
  let dirStat: Stats;
  try {
    dirStat = lstatSync(dir);
    for (let links = 0; parts.length;) {
      if (!trusted(dirStat)) return owner(dirStat, `the folder ${dir}`);
      const entry = join(dir, parts.shift()!);
      const s = lstatSync(entry);
      if (dirStat.mode & 0o022 && !(dirStat.mode & 0o1000 && trusted(s)))
        return `the folder ${dir} can be written by others (mode ${mode(dirStat)}), so ${entry} could be replaced; chmod go-w ${dir}`;
      if (s.isSymbolicLink()) {
        if (++links > MAX_LINKS) return `more than ${MAX_LINKS} symbolic links lead to it`;
        const target = readlinkSync(entry);
        parts = [
          ...resolve(isAbsolute(target) ? target : join(dir, target))
            .split(sep)
            .filter(Boolean),
          ...parts,
        ];
        dir = '/';
        dirStat = lstatSync(dir);
        continue;
      }
      if (parts.length === 0) {
        if (!trusted(s)) return owner(s, entry);
        if (s.mode & 0o022) return `${entry} can be changed by others (mode ${mode(s)}); chmod go-w ${entry}`;
        return null;
      }
      dir = entry;
      dirStat = s;
    }
  } catch (error) {
    // Not there (readPolicy says so, or it is simply absent) or not readable: reading it fails too.
    if ((error as NodeJS.ErrnoException).code) return null;
    throw error;
  }
  return null;
}
