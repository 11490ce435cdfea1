import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DeliveryRecord } from '../../shared/history.js';
import { deliveryRecord } from '../../test/helpers/events.js';

/**
 * The `i`-th delivery back from `now`: five integrations, seven disks, warnings, criticals and
 * all-clears, one in 17 failed after retries — what weeks of a busy watcher leave behind.
 */
function delivery(i: number, now: number, spacingMs: number): DeliveryRecord {
  const at = now - i * spacingMs;
  const failed = i % 17 === 0;
  const to = (['warning', 'critical', 'ok'] as const)[i % 3]!;
  const attempt = (n: number) => ({
    at: at + n * 2000,
    status: failed ? 503 : 200,
    result: !failed ? ('delivered' as const) : n < 2 ? ('retry' as const) : ('failed' as const),
    latencyMs: 12 + (i % 40),
  });
  return deliveryRecord(`d-${i}`, at, {
    integrationId: `webhook-${i % 5}`,
    integrationName: `Team ${i % 5}`,
    event: {
      host: 'build-7',
      mount: `/disk${i % 7}`,
      from: to === 'ok' ? 'warning' : 'ok',
      to,
      freePercent: to === 'critical' ? 8.4 : to === 'warning' ? 15.2 : 24.9,
      at,
    },
    outcome: failed ? 'failed' : 'delivered',
    attempts: failed ? [attempt(0), attempt(1), attempt(2)] : [attempt(0)],
    ...(failed ? { reason: 'The endpoint answered 503 three times', reasonCode: 'serverError' } : {}),
    updatedAt: at + (failed ? 6000 : 40),
  });
}

const linesOf = (done: DeliveryRecord) => {
  const queued: DeliveryRecord = {
    ...done,
    outcome: 'pending',
    attempts: [],
    reason: undefined,
    reasonCode: undefined,
    updatedAt: done.createdAt,
  };
  return `${JSON.stringify(queued)}\n${JSON.stringify(done)}\n`;
};

/**
 * Writes `history.jsonl` into `dir`: `records` deliveries, or about as many as make `megabytes`,
 * oldest first as they are appended, the newest now and the rest `spacingMs` apart (inside the
 * default 90-day retention). Each delivery has two lines, queued then finished, as the
 * dispatcher appends them.
 */
export function writeHistory(
  dir: string,
  size: { records: number } | { megabytes: number },
  spacingMs = 10_000,
): { records: number; bytes: number } {
  const now = Date.now();
  let records: number;
  if ('records' in size) records = size.records;
  else {
    const sample = Array.from({ length: 1000 }, (_, i) =>
      Buffer.byteLength(linesOf(delivery(i, now, spacingMs))),
    );
    records = Math.ceil((size.megabytes * 1024 ** 2) / (sample.reduce((a, b) => a + b) / sample.length));
  }
  const fd = openSync(join(dir, 'history.jsonl'), 'w', 0o600);
  let bytes = 0;
  try {
    for (let i = records - 1; i >= 0;) {
      const block: string[] = [];
      for (let n = 0; n < 1000 && i >= 0; n++, i--) block.push(linesOf(delivery(i, now, spacingMs)));
      bytes += writeSync(fd, block.join(''));
    }
  } finally {
    closeSync(fd);
  }
  return { records, bytes };
}
