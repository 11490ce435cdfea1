import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from '../helpers/node-test.js';
import { HistoryLog } from '../../core/delivery/history-log.js';
import type { DeliveryRecord } from '../../shared/history.js';
import { writeHistory } from '../../scripts/bench/history-file.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { deliveryRecord } from '../helpers/events.js';

// A busy watcher's history: more deliveries than retention keeps (10,000), as the file holds them
// until its next compaction (at twice the limit).
describe('headroom history with 10,150 deliveries on file', () => {
  let home: string;
  before(async () => {
    home = await tempHome();
    writeHistory(home, { records: 10_150 });
    const failed = (id: string, at: number, test = false): DeliveryRecord =>
      deliveryRecord(id, at, {
        outcome: 'failed',
        test,
        attempts: [{ at, result: 'failed', reason: 'networkError', latencyMs: 3 }],
        reason: 'connect ECONNREFUSED 127.0.0.1:9',
        reasonCode: 'networkError',
      });
    const now = Date.now() + 1000;
    await appendFile(
      join(home, 'history.jsonl'),
      `${JSON.stringify(failed('refused', now))}\n${JSON.stringify(failed('a-test', now + 1, true))}\n`,
    );
  });

  it('says how many older deliveries a limit leaves out, counting as far as retention keeps', async () => {
    const r = await runCli(['history', '--limit', '20'], home);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 21, 'a header and 20 rows');
    // Counted up to a thousand more: counting all of a large history would cost more than the page.
    assert.equal(
      r.stderr,
      'headroom: 1,000 or more older deliveries not shown; --limit 10000 lists every one.\n',
    );
    const near = await runCli(['history', '--limit', '9500'], home);
    assert.equal(near.stderr, 'headroom: 500 older deliveries not shown; --limit 10000 lists every one.\n');
    const all = await runCli(['history', '--json', '--limit', '20000'], home);
    assert.equal(JSON.parse(all.stdout).length, 10_000);
  });

  it('and the window, paging from newest to oldest, counts the same 10,000', () => {
    const log = new HistoryLog(home);
    let rows: DeliveryRecord[] = [];
    for (let page = log.list(500); page.length;) {
      rows = rows.concat(page);
      page = log.list({ limit: 500, before: page.at(-1)! });
    }
    assert.equal(rows.length, 10_000);
    assert.equal(new Set(rows.map((r) => r.id)).size, 10_000);
  });

  it('shows a status in words and a test as a test, not as a change of a disk', async () => {
    const r = await runCli(['history', '--limit', '2'], home);
    const [header, test, refused] = r.stdout.split('\n');
    assert.match(header!, /^Time\s+Integration\s+Disk\s+Change\s+Outcome\s+Tries\s+Status\s+Reason$/);
    assert.match(test!, /\s\(test\)\s+test notification\s+failed\s+1\s+Network error\s/);
    assert.match(
      refused!,
      /\s\/data\s+ok → warning \(15\.0%\)\s+failed\s+1\s+Network error\s+connect ECONNREFUSED/,
    );
  });

  it('prints 10,000 rows as a table about as fast as the JSON of them', { timeout: 120_000 }, async () => {
    const timed = async (args: string[]) => {
      const start = performance.now();
      const r = await runCli(args, home);
      assert.equal(r.code, 0, r.stderr);
      return performance.now() - start;
    };
    const json = await timed(['history', '--json', '--limit', '10000']);
    const table = await timed(['history', '--limit', '10000']);
    // Loose on purpose (a busy machine): a table that formats rows slowly took 10× the JSON.
    assert.ok(table < 2 * json + 1500, `table ${table.toFixed(0)} ms, JSON ${json.toFixed(0)} ms`);
  });
});
