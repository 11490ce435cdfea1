import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import type { z } from 'zod';
import { parseWith, describeErrors } from '../../shared/validation.js';

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
  private readonly conf: Conf<Record<string, unknown>>;
  private value: z.output<S>;

  constructor(
    readonly dir: string,
    readonly name: string,
    private readonly schema: S,
    onWarning: (w: StoreWarning) => void = () => {},
  ) {
    this.file = join(dir, `${name}.json`);
    let conf: Conf<Record<string, unknown>>;
    try {
      conf = this.open();
    } catch (error) {
      onWarning({ file: this.file, movedTo: this.moveAside(), reason: (error as Error).message });
      conf = this.open();
    }
    const parsed = parseWith(schema, conf.store);
    if (!parsed.ok) {
      onWarning({ file: this.file, movedTo: this.moveAside(), reason: describeErrors(parsed.errors) });
      conf = this.open();
    }
    this.conf = conf;
    this.value = parsed.ok ? parsed.value : schema.parse({});
  }

  get(): z.output<S> {
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
    return new Conf({
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
