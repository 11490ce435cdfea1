import { closeSync, constants, existsSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { comesAfter, newestFirst, type DeliveryRecord, type HistoryCursor } from '../../shared/history.js';
import { openNoFollow, replaceFile } from '../fs/durable-file.js';
import { linesFromEnd, retainedHeads } from './history-heads.js';
import { writeFailed, writeSucceeded } from '../fs/storage-health.js';

export interface Retention {
  maxRecords: number;
  maxAgeDays: number;
}

export const DEFAULT_RETENTION: Retention = { maxRecords: 10_000, maxAgeDays: 90 };

/** Which records a listing wants, newest first; `before` is the last record of the page before. */
export interface HistoryQuery {
  limit?: number;
  before?: HistoryCursor;
  keep?: (record: DeliveryRecord) => boolean;
}

/**
 * The delivery history: an append-only JSON-lines file where each line is the latest snapshot of
 * one delivery (the last line for an id wins). Appending costs the same at 100 records as at
 * 100,000; the file is compacted — rewritten with only the retained records — when it has grown
 * to twice the retention (and at start), so that cost is spread thin. It is read from the end and
 * only as far as a listing needs: `history --limit 3` costs three records, not the whole file.
 */
export class HistoryLog {
  readonly file: string;
  private lines: number;
  private counted?: { version: string; count: number; oldest: HistoryCursor | null };

  constructor(
    dataDir: string,
    /** A function where settings can change it while running. */
    private readonly retentionOf: Retention | (() => Retention) = DEFAULT_RETENTION,
    private readonly now: () => number = Date.now,
  ) {
    this.file = join(dataDir, 'history.jsonl');
    const { lines, endsWithNewline } = scan(this.file);
    this.lines = lines;
    // A crash mid-append can leave a line without its end: close it, or the next record would
    // be glued to it and lost with it.
    if (!endsWithNewline) {
      try {
        appendLine(this.file, '');
      } catch (error) {
        writeFailed(this.file, error);
      }
    }
  }

  /**
   * Retention applied now rather than at the next append (the watcher, at start): a file that
   * grew past it — an old version, a disk that was full at the last compaction — is cut down.
   * Only the watcher compacts: a rename under another process's append would lose its line.
   */
  enforceRetention(): void {
    if (this.overRetention()) this.compact();
  }

  private get retention(): Retention {
    return typeof this.retentionOf === 'function' ? this.retentionOf() : this.retentionOf;
  }

  private overRetention(): boolean {
    return this.lines > 2 * this.retention.maxRecords + 100;
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
    this.lines++;
    if (this.overRetention()) this.compact();
  }

  /**
   * Newest first (by creation), one entry per delivery, within retention. Lines are read from the
   * end of the file; reading stops once no older line can change the answer: lines are appended
   * in time order, and a record is never updated before it is created.
   */
  list(query: HistoryQuery | number = {}): DeliveryRecord[] {
    const {
      limit = Infinity,
      before,
      keep: wanted = () => true,
    } = typeof query === 'number' ? { limit: query } : query;
    // Pages after the first stop where retention does: the file keeps up to twice as many records
    // until it is compacted, and those are as good as gone (the window counted 10,143 of 10,000).
    const last = before ? this.retained().oldest : null;
    const keep = last ? (r: DeliveryRecord) => !comesAfter(r, last) && wanted(r) : wanted;
    const max = Math.min(limit, this.retention.maxRecords);
    const oldest = this.now() - this.retention.maxAgeDays * 86_400_000;
    const seen = new Set<string>();
    let found: DeliveryRecord[] = [];
    let floor = -Infinity; // the createdAt a record needs to make the page, once it is full
    for (const line of linesFromEnd(this.file)) {
      const record = parseRecord(line);
      if (!record || seen.has(record.id)) continue;
      seen.add(record.id);
      const touched = Math.max(record.updatedAt ?? 0, record.createdAt);
      if (touched < oldest || (found.length >= max && touched < floor)) break;
      if (record.createdAt < oldest || (before && !comesAfter(record, before)) || !keep(record)) continue;
      found.push(record);
      if (found.length >= max && (found.length === max || found.length % 256 === 0)) {
        found = found.sort(newestFirst).slice(0, max);
        floor = found.at(-1)!.createdAt;
      }
    }
    return found.sort(newestFirst).slice(0, max);
  }

  /**
   * How many deliveries the history holds within retention — what `history` and the window count
   * — and the oldest of them. Read once per version of the file: a listing of pages asks each time.
   */
  retained(): { count: number; oldest: HistoryCursor | null } {
    const { maxRecords, maxAgeDays } = this.retention;
    const file = existsSync(this.file) ? statSync(this.file) : null;
    const version = `${file?.size}:${file?.mtimeMs}:${maxRecords}:${maxAgeDays}`;
    if (this.counted?.version !== version) {
      const all = retainedHeads(this.file, maxRecords, this.now() - maxAgeDays * 86_400_000, parseRecord);
      this.counted = { version, count: all.length, oldest: all.at(-1) ?? null };
    }
    return this.counted;
  }

  /**
   * How many deliveries retention keeps, counted only up to `enough` (a table's note needs no more:
   * counting all 10,000 of a large history would cost more than listing a page of it).
   */
  countUpTo(enough: number): { count: number; exact: boolean; max: number } {
    const { maxRecords: max, maxAgeDays } = this.retention;
    const oldest = this.now() - maxAgeDays * 86_400_000;
    const count = retainedHeads(this.file, max, oldest, parseRecord, enough).length;
    return { count, exact: count < enough || count === max, max };
  }

  get(id: string): DeliveryRecord | undefined {
    return this.list({ limit: 1, keep: (r) => r.id === id })[0];
  }

  /** Keeps the retained records, oldest first, in a file replaced atomically. */
  compact(): void {
    const kept = this.list().reverse();
    try {
      void replaceFile(this.file, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
      this.lines = kept.length;
    } catch (error) {
      // Housekeeping: on a full disk the file stays as it was, and deliveries go on.
      writeFailed(this.file, error);
    }
  }

  get sizeBytes(): number {
    return existsSync(this.file) ? statSync(this.file).size : 0;
  }
}

function parseRecord(line: string): DeliveryRecord | undefined {
  try {
    const value: unknown = JSON.parse(line);
    // A hand-edited line may be JSON but no record (null, a number, a field of the wrong type);
    // a line cut short by a crash mid-append is no JSON: the record's previous line still stands.
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
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

const CHUNK = 256 * 1024;

/** Counts lines and checks the last byte in one pass of chunks: a file of any size, little memory. */
function scan(file: string): { lines: number; endsWithNewline: boolean } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return { lines: 0, endsWithNewline: true };
  }
  try {
    const chunk = Buffer.alloc(CHUNK);
    let lines = 0;
    let last = 0x0a;
    for (let read: number; (read = readSync(fd, chunk, 0, CHUNK, null)) > 0;) {
      for (let i = chunk.indexOf(0x0a); i !== -1 && i < read; i = chunk.indexOf(0x0a, i + 1)) lines++;
      last = chunk[read - 1]!;
    }
    return { lines, endsWithNewline: last === 0x0a };
  } finally {
    closeSync(fd);
  }
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
