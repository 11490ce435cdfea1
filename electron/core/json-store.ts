import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import type { z } from 'zod';
import { describeErrors, parseWith } from '../../shared/validation.js';

type ConfOptions = ConstructorParameters<typeof Conf<Record<string, unknown>>>[0] & object;

/**
 * Makes the underlying store. Plain Node (the CLI, tests) uses `conf`; the Electron main process
 * swaps in electron-store, its Electron subclass, which reads and writes the identical format.
 */
let makeConf: (options: ConfOptions) => Conf<Record<string, unknown>> = (options) => new Conf(options);

export function useStoreFactory(factory: typeof makeConf): void {
  makeConf = factory;
}

export interface StoreWarning {
  file: string;
  movedTo: string;
  reason: string;
}

/**
 * A JSON document in the data directory, in electron-store's file format (its base library `conf`,
 * which works without Electron). Written atomically with mode 0600. A file that is not valid JSON
 * or does not match the schema is moved aside — never silently wiped — and reported through
 * `onWarning`, and the store starts from the schema's defaults.
 */
export class JsonStore<S extends z.ZodType<object>> {
  readonly file: string;
  private conf!: Conf<Record<string, unknown>>;
  private value!: z.output<S>;

  constructor(
    readonly dir: string,
    readonly name: string,
    private readonly schema: S,
    private readonly onWarning: (w: StoreWarning) => void = () => {},
  ) {
    this.file = join(dir, `${name}.json`);
    this.reload();
  }

  get(): z.output<S> {
    return this.value;
  }

  /** Reads the file again: another process (the CLI beside the app) may have changed it. */
  reload(): z.output<S> {
    let conf: Conf<Record<string, unknown>>;
    try {
      conf = this.open();
    } catch (error) {
      this.onWarning({ file: this.file, movedTo: this.moveAside(), reason: (error as Error).message });
      conf = this.open();
    }
    const parsed = parseWith(this.schema, conf.store);
    if (!parsed.ok) {
      this.onWarning({ file: this.file, movedTo: this.moveAside(), reason: describeErrors(parsed.errors) });
      conf = this.open();
    }
    this.conf = conf;
    this.value = parsed.ok ? parsed.value : this.schema.parse({});
    return this.value;
  }

  /** Validates, then replaces the whole document on disk (atomic rename). */
  set(next: z.input<S>): z.output<S> {
    const value = this.schema.parse(next);
    this.conf.store = value as Record<string, unknown>;
    this.value = value;
    return value;
  }

  private open(): Conf<Record<string, unknown>> {
    return makeConf({
      cwd: this.dir,
      configName: this.name,
      configFileMode: 0o600,
      clearInvalidConfig: false,
      // Headroom's own schemas validate; conf's ajv would reject without saying which file.
      accessPropertiesByDotNotation: false,
    });
  }

  private moveAside(): string {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const target = join(this.dir, `${this.name}.corrupt-${stamp}.json`);
    if (existsSync(this.file)) renameSync(this.file, target);
    return target;
  }
}
