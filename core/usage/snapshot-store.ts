import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import type { UsageSnapshot } from '../../shared/usage.js';
import { replaceFile } from '../fs/durable-file.js';
import { createHash } from '../builtins.js';

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
 * A file that does not read back as a snapshot is ignored: the next scan replaces it.
 */
export class SnapshotStore {
  constructor(private readonly dir: string) {}

  fileOf(root: string, apparent: boolean): string {
    const hash = createHash('sha256')
      .update(`${apparent ? 'apparent' : 'allocated'}\0${root}`)
      .digest('hex');
    return join(this.dir, `usage-${hash.slice(0, 16)}.json`);
  }

  load(root: string, apparent: boolean): UsageSnapshot | null {
    let text: string;
    try {
      text = readFileSync(this.fileOf(root, apparent), 'utf8');
    } catch {
      return null; // never scanned (or unreadable: as good as never)
    }
    try {
      const parsed = snapshotSchema.safeParse(JSON.parse(text));
      return parsed.success && parsed.data.root === root ? (parsed.data as UsageSnapshot) : null;
    } catch {
      return null;
    }
  }

  save(snapshot: UsageSnapshot): Promise<void> {
    return replaceFile(this.fileOf(snapshot.root, snapshot.apparent), JSON.stringify(snapshot), 'background');
  }
}
