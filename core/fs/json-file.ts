import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from './durable-file.js';

/** The part of conf / electron-store's API that Headroom uses: the whole document at once. */
export interface DocumentFile {
  store: Record<string, unknown>;
}

/**
 * A JSON document in electron-store's file format (tab-indented JSON, mode 0600), written by
 * replacing the file. The CLI and the headless watcher use this rather than `conf`, which loads a
 * JSON-schema validator (ajv, ~15 MB of memory) that Headroom does not need: its own zod schemas
 * validate. A file that is not JSON throws on read, like conf, so the caller can move it aside.
 */
export class JsonFile implements DocumentFile {
  readonly path: string;

  constructor(
    dir: string,
    name: string,
    private readonly sync: 'now' | 'background' = 'now',
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.path = join(dir, `${name}.json`);
  }

  get store(): Record<string, unknown> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new SyntaxError('the file does not hold a JSON object');
    return value as Record<string, unknown>;
  }

  set store(value: Record<string, unknown>) {
    void replaceFile(this.path, JSON.stringify(value, undefined, '\t'), this.sync).catch(() => {});
  }
}
