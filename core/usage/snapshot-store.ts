import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import type { UsageSnapshot } from '../../shared/usage.js';
import { replaceFile } from '../fs/durable-file.js';
import { createHash } from '../builtins.js';
import { moveAside, type StoreWarning } from '../json-store.js';
import { describeErrors, parseWith } from '../../shared/validation.js';

// Built at the first snapshot read (`z.lazy`): a watcher whose disks stay ok never needs it.
const snapshotSchema = z.lazy(() =>
  z.object({
    version: z.literal(1),
    root: z.string(),
    apparent: z.boolean(),
    at: z.number(),
    size: z.number().nonnegative(),
    files: z.number().int().nonnegative(),
    threshold: z.number().nonnegative(),
    dirs: z.array(z.tuple([z.string(), z.number().nonnegative(), z.number().int().min(-1)])).min(1),
  }),
);

/**
 * The last complete snapshot of each scanned mount (allocated and apparent sizes apart), one small
 * file each in the data directory: `usage-<hash of the mount>.json`, 0600, replaced atomically.
 * A file that does not read back as a snapshot is moved aside and reported, as the other stores'
 * are (StoreWarning): growth is then told from the next scan on, not from a made-up "first".
 */
export class SnapshotStore {
  constructor(
    private readonly dir: string,
    private readonly onWarning: (w: StoreWarning) => void = () => {},
  ) {}

  /** The file's name without `.json`. */
  private nameOf(root: string, apparent: boolean): string {
    const hash = createHash('sha256')
      .update(`${apparent ? 'apparent' : 'allocated'}\0${root}`)
      .digest('hex');
    return `usage-${hash.slice(0, 16)}`;
  }

  fileOf(root: string, apparent: boolean): string {
    return join(this.dir, `${this.nameOf(root, apparent)}.json`);
  }

  load(root: string, apparent: boolean): UsageSnapshot | null {
    const file = this.fileOf(root, apparent);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return null; // never scanned (or unreadable: as good as never)
    }
    let reason: string;
    try {
      const parsed = parseWith(snapshotSchema, JSON.parse(text));
      // Another mount's snapshot under the same short hash is not damage: the save replaces it.
      if (parsed.ok) return parsed.value.root === root ? (parsed.value as UsageSnapshot) : null;
      reason = describeErrors(parsed.errors);
    } catch (error) {
      reason = (error as Error).message;
    }
    this.onWarning({
      file,
      movedTo: moveAside(this.dir, this.nameOf(root, apparent)),
      reason,
      instead: `what grew on ${root} is told from its next scan on`,
    });
    return null;
  }

  save(snapshot: UsageSnapshot): Promise<void> {
    return replaceFile(this.fileOf(snapshot.root, snapshot.apparent), JSON.stringify(snapshot), 'background');
  }
}
