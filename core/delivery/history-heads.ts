import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { newestFirst, type DeliveryRecord, type HistoryCursor } from '../../shared/history.js';

// Reading history.jsonl from its end. A listing parses the lines it shows; counting what retention
// keeps (`history` says how many it left out) picks each line's id and times out of its bytes, so
// a count of 10,000 deliveries costs neither their parsing nor their memory.

const CHUNK = 256 * 1024;

/**
 * The file's lines as byte ranges, last first, read in chunks from the end into one buffer that is
 * reused (a range is good until the next one is asked for): memory stays at a chunk or two.
 */
function* rangesFromEnd(file: string): Generator<[Buffer, number, number]> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    let position = fstatSync(fd).size;
    let work = Buffer.allocUnsafe(2 * CHUNK);
    // The start of a line whose end was read already, kept at the buffer's start.
    let rest = 0;
    while (position > 0) {
      const size = Math.min(CHUNK, position);
      position -= size;
      if (work.length < size + rest) {
        const bigger = Buffer.allocUnsafe(2 * (size + rest));
        work.copy(bigger, 0, 0, rest);
        work = bigger;
      }
      work.copy(work, size, 0, rest);
      readSync(fd, work, 0, size, position);
      let length = size + rest;
      // Split on bytes, not characters: a chunk may start inside a multi-byte character.
      for (let end = length, i = work.lastIndexOf(0x0a, end - 1); i !== -1;) {
        if (end - i > 1) yield [work, i + 1, end];
        end = i;
        i = i > 0 ? work.lastIndexOf(0x0a, i - 1) : -1;
        if (i === -1) length = end;
      }
      rest = length;
    }
    if (rest) yield [work, 0, rest];
  } finally {
    closeSync(fd);
  }
}

/** The file's lines, last first. */
export function* linesFromEnd(file: string): Generator<string> {
  for (const [buffer, start, end] of rangesFromEnd(file)) yield buffer.toString('utf8', start, end);
}

const ID = Buffer.from('{"id":"');
const CREATED = Buffer.from(',"createdAt":');
const UPDATED = Buffer.from(',"updatedAt":');

/** The digits after `at`, up to `end`, as a number; NaN where there are none. */
function numberAt(buffer: Buffer, at: number, end: number): number {
  let n = 0;
  let i = at;
  for (; i < end && buffer[i]! >= 0x30 && buffer[i]! <= 0x39; i++) n = n * 10 + buffer[i]! - 0x30;
  return i === at ? NaN : n;
}

/**
 * A line's id and times. Lines are JSON.stringify of a record: it begins with its id, and its one
 * top-level createdAt is followed by updatedAt. A line of another shape (a hand edit) is parsed.
 */
function headOf(
  buffer: Buffer,
  start: number,
  end: number,
  parse: (line: string) => DeliveryRecord | undefined,
): { id: string; createdAt: number; touched: number } | undefined {
  const idEnd = buffer.indexOf(0x22, start + ID.length);
  const created = buffer.indexOf(CREATED, start);
  if (buffer.subarray(start, start + ID.length).equals(ID) && idEnd > 0 && created > 0 && created < end) {
    const id = buffer.toString('utf8', start + ID.length, idEnd);
    const createdAt = numberAt(buffer, created + CREATED.length, end);
    const updated = buffer.indexOf(UPDATED, created);
    const updatedAt = updated > 0 && updated < end ? numberAt(buffer, updated + UPDATED.length, end) : NaN;
    if (!id.includes('\\') && !Number.isNaN(createdAt) && buffer[end - 1] === 0x7d)
      return { id, createdAt, touched: Number.isNaN(updatedAt) ? createdAt : Math.max(createdAt, updatedAt) };
  }
  const record = parse(buffer.toString('utf8', start, end));
  return (
    record && {
      id: record.id,
      createdAt: record.createdAt,
      touched: Math.max(record.updatedAt ?? 0, record.createdAt),
    }
  );
}

/**
 * What `HistoryLog.list()` returns within retention (at most `max`, none created before
 * `oldest`), as cursors: the same reading from the end and the same point to stop.
 */
export function retainedHeads(
  file: string,
  max: number,
  oldest: number,
  parse: (line: string) => DeliveryRecord | undefined,
  /** Stop once this many are found: enough to say "at least". */
  enough = Infinity,
): HistoryCursor[] {
  const seen = new Map<string, number>();
  let floor = -Infinity;
  for (const [buffer, start, end] of rangesFromEnd(file)) {
    const head = headOf(buffer, start, end, parse);
    if (!head || seen.has(head.id)) continue;
    if (head.touched < oldest || (seen.size >= max && head.touched < floor)) break;
    if (head.createdAt < oldest) continue;
    seen.set(head.id, head.createdAt);
    if (seen.size >= enough) break;
    if (seen.size >= max && (seen.size === max || seen.size % 1024 === 0))
      floor = [...seen.values()].sort((a, b) => b - a)[max - 1]!;
  }
  return [...seen]
    .map(([id, createdAt]) => ({ id, createdAt }))
    .sort(newestFirst)
    .slice(0, max);
}
