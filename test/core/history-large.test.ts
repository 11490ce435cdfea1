import assert from 'node:assert/strict';
import { closeSync, openSync, writeSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { HistoryLog } from '../../core/delivery/history-log.js';
import type { DeliveryRecord } from '../../shared/history.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { deliveryRecord } from '../helpers/events.js';
import { assertReported } from '../helpers/report.js';

const DAY = 86_400_000;

const record = (id: string, createdAt: number, outcome: DeliveryRecord['outcome'] = 'delivered') =>
  deliveryRecord(id, createdAt, { outcome, integrationId: id.startsWith('a') ? 'webhook-a' : 'webhook-b' });

/** Writes `megabytes` of old, out-of-retention records, then `fresh` recent ones. */
function writeHistory(file: string, megabytes: number, fresh: DeliveryRecord[]): void {
  const old = `${JSON.stringify(record('old', Date.now() - 400 * DAY))}\n`;
  const block = Buffer.from(old.repeat(Math.ceil((1024 * 1024) / old.length)));
  const fd = openSync(file, 'w', 0o600);
  try {
    for (let i = 0; i < megabytes; i++) writeSync(fd, block);
    for (const r of fresh) writeSync(fd, `${JSON.stringify(r)}\n`);
  } finally {
    closeSync(fd);
  }
}

describe('a history of any size', () => {
  it('lists the newest records reading only the end of the file, each delivery once with its last state', async () => {
    const dir = await tempHome();
    const now = Date.now();
    const fresh = Array.from({ length: 100 }, (_, i) =>
      record(`${i % 2 ? 'a' : 'b'}-${i}`, now - (100 - i) * 1000),
    );
    // A delivery created early and finished late: its last line comes after newer ones.
    fresh.push({ ...record('b-0', now - 100_000, 'failed'), updatedAt: now });
    writeHistory(join(dir, 'history.jsonl'), 1, fresh);
    const log = new HistoryLog(dir);
    const three = log.list(3);
    assert.deepEqual(
      three.map((r) => r.id),
      ['a-99', 'b-98', 'a-97'],
    );
    assert.equal(
      log.list().find((r) => r.id === 'b-0')?.outcome,
      'failed',
      'the last line of a delivery wins',
    );
    assert.equal(log.list().length, 100, 'one entry per delivery; out-of-retention records left out');

    const page1 = log.list({ limit: 30 });
    const page2 = log.list({ limit: 30, before: page1.at(-1)! });
    assert.deepEqual(
      [...page1, ...page2].map((r) => r.id),
      log.list(60).map((r) => r.id),
      'pages follow on without gap or overlap',
    );
    // One change told to several integrations shares a millisecond: a page break inside it.
    const same = new HistoryLog(await tempHome());
    for (const id of ['x-1', 'x-2', 'x-3', 'x-4']) same.append(record(id, now));
    const first = same.list({ limit: 2 });
    assert.deepEqual(
      [...first, ...same.list({ limit: 2, before: first.at(-1)! })].map((r) => r.id),
      ['x-4', 'x-3', 'x-2', 'x-1'],
    );
    const onlyA = log.list({ limit: 10, keep: (r) => r.integrationId === 'webhook-a' });
    assert.equal(onlyA.length, 10);
    assert.ok(onlyA.every((r) => r.id.startsWith('a-')));
  });

  it('a 600 MB history neither slows `history --limit 3` nor stops `watch` from starting, which cuts it to retention', async () => {
    const home = await tempHome();
    const file = join(home, 'history.jsonl');
    const now = Date.now();
    writeHistory(file, 600, [record('a-1', now - 2000), record('a-2', now - 1000)]);
    assert.ok((await stat(file)).size > 600 * 1024 * 1024);
    const history = await runCli(['history', '--limit', '3', '--json'], home);
    assert.equal(history.code, 0, history.stderr);
    assert.deepEqual(
      (JSON.parse(history.stdout) as DeliveryRecord[]).map((r) => r.id),
      ['a-2', 'a-1'],
    );
    // The watcher cuts it to what retention keeps when it starts.
    const watch = new CliProcess(['watch', '--interval', '3600', '--mount', '/'], home);
    try {
      await watch.waitForStderr(/watching/);
    } finally {
      await watch.stop();
    }
    assert.ok((await stat(file)).size < 1024 * 1024, 'compacted to what retention keeps');
    assertReported('History of any size', 2);
  });
});
