import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type * as z from 'zod';
import { withFileLock } from './fs/file-lock.js';
import { JsonFile, type DocumentFile } from './fs/json-file.js';
import { isIoError, readFailed, readSucceeded, writeFailed, writeSucceeded } from './fs/storage-health.js';
import { describeErrors, parseWith } from '../shared/validation.js';

/** How each store's file is opened: `JsonFile` in plain Node, electron-store in the app. */
export interface StoreFileOptions {
  cwd: string;
  /**
   * The file's name without `.json`. electron-store's own option: it defaults `name` to 'config'
   * and lets it win over conf's `configName`, so a store given only `configName` writes
   * `config.json` — every store then shares one file.
   */
  name: string;
  configFileMode: number;
  clearInvalidConfig: false;
  accessPropertiesByDotNotation: false;
  /** When the bytes must be on the disk (see replaceFile). */
  sync: 'now' | 'background';
}

let makeFile: (options: StoreFileOptions) => DocumentFile = (o) => new JsonFile(o.cwd, o.name, o.sync);

/**
 * The Electron main process swaps in electron-store, which reads and writes the identical format
 * (it takes the conf options above).
 */
export function useStoreFactory(factory: typeof makeFile): void {
  makeFile = factory;
}

export interface StoreWarning {
  file: string;
  movedTo: string;
  reason: string;
  /** What Headroom does without the file, when not "starting from defaults". */
  instead?: string;
}

/**
 * A JSON document in the data directory, in electron-store's file format, written atomically with
 * mode 0600. A file that is not valid JSON or does not match the schema is moved aside — never
 * silently wiped — and reported through `onWarning`, and the store starts from the schema's
 * defaults.
 */
export class JsonStore<S extends z.ZodType<object>> {
  readonly file: string;
  private document!: DocumentFile;
  private value!: z.output<S>;
  /** Why the last read failed, while it does. */
  private unread: NodeJS.ErrnoException | undefined;

  constructor(
    readonly dir: string,
    readonly name: string,
    private readonly schema: S,
    private readonly onWarning: (w: StoreWarning) => void = () => {},
    private readonly sync: 'now' | 'background' = 'now',
    private readonly onWriteFailure: 'throw' | 'keep in memory' = 'throw',
  ) {
    this.file = join(dir, `${name}.json`);
    this.reload();
  }

  get(): z.output<S> {
    return this.value;
  }

  /**
   * Reads the file again: another process (the CLI beside the app) may have changed it. A file
   * that cannot be *read* (out of open files, an I/O error) is not corrupt: it stays where it is,
   * the value in memory is kept (defaults, at start), and the next read tries again.
   */
  reload(): z.output<S> {
    let file: DocumentFile;
    let data: unknown;
    try {
      file = this.open();
      data = file.store;
    } catch (error) {
      if (isIoError(error)) {
        readFailed(this.file, error);
        this.unread = error;
        return (this.value ??= this.schema.parse({}));
      }
      this.onWarning({ file: this.file, movedTo: this.moveAside(), reason: (error as Error).message });
      file = this.open();
      data = {};
    }
    this.unread = undefined;
    readSucceeded(this.file);
    const parsed = parseWith(this.schema, data);
    if (!parsed.ok) {
      this.onWarning({ file: this.file, movedTo: this.moveAside(), reason: describeErrors(parsed.errors) });
      file = this.open();
    }
    this.document = file;
    this.value = parsed.ok ? parsed.value : this.schema.parse({});
    return this.value;
  }

  /**
   * A read-modify-write under a lock that other Headroom processes honour too: `change` gets the
   * file as it is now, and what it returns is saved before anyone else can read the old one.
   * Returning `current` itself changes nothing, and nothing is written.
   */
  update(change: (current: z.output<S>) => z.input<S>): z.output<S> {
    return withFileLock(this.file, () => {
      const current = this.reload();
      if (this.unread) throw this.unreadError();
      const next = change(current);
      return next === current ? current : this.set(next);
    });
  }

  /** Whether the file could be read the last time it was tried. */
  get readable(): boolean {
    return !this.unread;
  }

  private unreadError(): Error {
    return new Error(
      `${this.file} could not be read (${this.unread?.code}), so nothing was written; try again`,
      {
        cause: this.unread,
      },
    );
  }

  /** Validates, then replaces the whole document on disk (atomic rename). */
  set(next: z.input<S>): z.output<S> {
    const value = this.schema.parse(next);
    try {
      // Never write over a file that could not be read: what it holds would be lost, and `next`
      // was made from what was in memory instead. Read it again for the next change.
      if (this.unread) {
        const error = this.unreadError();
        this.reload();
        throw error;
      }
      this.document.store = value as Record<string, unknown>;
      writeSucceeded(this.file);
    } catch (error) {
      // A setting the user saves must say it failed; state the watcher keeps can live in
      // memory until the disk has room again (and is written with the next change).
      if (this.onWriteFailure === 'throw') throw error;
      writeFailed(this.file, error);
    }
    this.value = value;
    return value;
  }

  private open(): DocumentFile {
    return makeFile({
      sync: this.sync,
      cwd: this.dir,
      name: this.name,
      configFileMode: 0o600,
      clearInvalidConfig: false,
      // Headroom's own schemas validate; conf's ajv would reject without saying which file.
      accessPropertiesByDotNotation: false,
    });
  }

  private moveAside(): string {
    return moveAside(this.dir, this.name);
  }
}

/**
 * Moves `DIR/NAME.json`, which is not what it should be, to `NAME.corrupt-<time>.json` beside it
 * (never wiped: someone may want it), and returns where it went, for the StoreWarning.
 */
export function moveAside(dir: string, name: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = join(dir, `${name}.corrupt-${stamp}.json`);
  if (existsSync(join(dir, `${name}.json`))) renameSync(join(dir, `${name}.json`), target);
  return target;
}
