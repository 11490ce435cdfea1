import { closeSync, constants, existsSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DeliveryRecord } from '../../../shared/history.js';
import { openNoFollow, replaceFile } from '../fs/durable-file.js';
import { writeFailed, writeSucceeded } from '../fs/storage-health.js';

export interface Retention {
  maxRecords: number;
  maxAgeDays: number;
}

export const DEFAULT_RETENTION: Retention = { maxRecords: 10_000, maxAgeDays: 90 };

/**
 * The delivery history: an append-only JSON-lines file where each line is the latest snapshot of
 * one delivery (the last line for an id wins). Appending costs the same at 100 records as at
 * 100,000; the file is compacted — rewritten with only the retained records — when it has grown
 * to twice the retention, so that cost is spread thin.
 */
export class HistoryLog {
  readonly file: string;
  private lines: number;

  constructor(
    dataDir: string,
    /** A function where settings can change it while running. */
    private readonly retentionOf: Retention | (() => Retention) = DEFAULT_RETENTION,
    private readonly now: () => number = Date.now,
  ) {
    this.file = join(dataDir, 'history.jsonl');
    this.lines = existsSync(this.file) ? countLines(this.file) : 0;
    // A crash mid-append can leave a line without its end: close it, or the next record would
    // be glued to it and lost with it.
    if (this.sizeBytes > 0 && !readFileSync(this.file, 'utf8').endsWith('\n')) {
      try {
        appendLine(this.file, '');
      } catch (error) {
        writeFailed(this.file, error);
      }
    }
  }

  private get retention(): Retention {
    return typeof this.retentionOf === 'function' ? this.retentionOf() : this.retentionOf;
  }

  append(record: DeliveryRecord): void {
    try {
      appendLine(this.file, JSON.stringify(record));
      writeSucceeded(this.file);
    } catch (error) {
      // A full disk must not stop deliveries: the record is lost from the history, said once.
      writeFailed(this.file, error);
      return;
    }
    if (++this.lines > 2 * this.retention.maxRecords + 100) this.compact();
  }

  /** Newest first, one entry per delivery, within retention. */
  list(limit = Infinity): DeliveryRecord[] {
    const latest = new Map<string, DeliveryRecord>();
    for (const record of this.read()) latest.set(record.id, record);
    const oldest = this.now() - this.retention.maxAgeDays * 86_400_000;
    return [...latest.values()]
      .filter((r) => r.createdAt >= oldest)
      .sort((a, b) => b.createdAt - a.createdAt || (b.id < a.id ? -1 : 1))
      .slice(0, Math.min(limit, this.retention.maxRecords));
  }

  /** Every line, oldest first; one JSON.parse for the whole file when no line is damaged. */
  private read(): DeliveryRecord[] {
    if (!existsSync(this.file)) return [];
    const text = readFileSync(this.file, 'utf8').trimEnd();
    if (!text) return [];
    let lines: unknown[];
    try {
      lines = JSON.parse(`[${text.replaceAll('\n', ',')}]`) as unknown[];
    } catch {
      lines = [];
      for (const line of text.split('\n')) {
        try {
          lines.push(JSON.parse(line));
        } catch {
          // A line cut short by a crash mid-append: the record's previous line still stands.
        }
      }
    }
    // A hand-edited line may be JSON but no record (null, a number, a field of the wrong type).
    return lines.filter(isRecord);
  }

  get(id: string): DeliveryRecord | undefined {
    return this.list().find((r) => r.id === id);
  }

  /** Keeps the retained records, oldest first, in a file replaced atomically. */
  compact(): void {
    const kept = this.list().reverse();
    void replaceFile(this.file, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
    this.lines = kept.length;
  }

  get sizeBytes(): number {
    return existsSync(this.file) ? statSync(this.file).size : 0;
  }
}

function isRecord(line: unknown): line is DeliveryRecord {
  const r = line as Partial<DeliveryRecord> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.id === 'string' &&
    typeof r.createdAt === 'number' &&
    Array.isArray(r.attempts) &&
    typeof r.event === 'object' &&
    r.event !== null
  );
}

function countLines(file: string): number {
  const text = readFileSync(file, 'utf8');
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);

/** One line at the end of the file (created 0600), never through a symlink planted in its place. */
function appendLine(file: string, line: string): void {
  const fd = openNoFollow(file, APPEND);
  try {
    writeSync(fd, `${line}\n`);
  } finally {
    closeSync(fd);
  }
}
