import assert from 'node:assert/strict';
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { describe, it } from '../helpers/node-test.js';
import type { DeliveryRecord } from '../../shared/history.js';
import { HistoryLog } from '../../core/delivery/history-log.js';
import { Outbox } from '../../core/delivery/outbox.js';
import { tempHome } from '../helpers/cli.js';
import { deliveryRecord, sampleEvent } from '../helpers/events.js';

const record = (id: string, createdAt: number, outcome: DeliveryRecord['outcome'] = 'delivered') =>
  deliveryRecord(id, createdAt, { outcome });

describe('delivery history', () => {
  it('keeps the latest snapshot of each delivery, newest delivery first', async () => {
    const log = new HistoryLog(await tempHome());
    const t = Date.now();
    log.append(record('a', t, 'pending'));
    log.append(record('b', t + 1, 'pending'));
    log.append(record('a', t, 'delivered'));
    assert.deepEqual(
      log.list().map((r) => `${r.id}:${r.outcome}`),
      ['b:pending', 'a:delivered'],
    );
  });

  it('stays within retention by count and by age, compacting as it grows', async () => {
    const dir = await tempHome();
    const now = 100 * 86_400_000;
    const log = new HistoryLog(dir, { maxRecords: 50, maxAgeDays: 30 }, () => now);
    log.append(record('old', now - 31 * 86_400_000));
    for (let i = 0; i < 300; i++) log.append(record(`r${i}`, now - 1000 + i));
    const kept = log.list();
    assert.equal(kept.length, 50);
    assert.equal(kept[0]!.id, 'r299');
    assert.ok(!kept.some((r) => r.id === 'old'));
    const lines = (await readFile(log.file, 'utf8')).trim().split('\n').length;
    assert.ok(lines <= 2 * 50 + 100 + 1, `${lines} lines on disk: compaction keeps the file bounded`);
    assert.equal((await stat(log.file)).mode & 0o777, 0o600);
  });

  it('survives a line cut short by a crash: the record before it stands and the next append is whole', async () => {
    const dir = await tempHome();
    const first = new HistoryLog(dir);
    first.append(record('a', Date.now(), 'retrying'));
    await appendFile(first.file, '{"id":"a","outcome":"deliv');
    const reopened = new HistoryLog(dir);
    reopened.append(record('b', Date.now() + 1));
    assert.deepEqual(
      reopened.list().map((r) => `${r.id}:${r.outcome}`),
      ['b:delivered', 'a:retrying'],
    );
  });
});

describe('outbox', () => {
  it('lists pending entries oldest first and sets a corrupt one aside instead of deleting it', async () => {
    const dir = await tempHome();
    const outbox = new Outbox(dir);
    const entry = (id: string, at: number) => ({
      id,
      seq: outbox.nextSeq(at),
      integrationId: 'w',
      event: sampleEvent({ id }),
      createdAt: at,
      attempts: 0,
      nextAttemptAt: at,
    });
    outbox.put(entry('second', 2000));
    outbox.put(entry('first', 1000));
    await writeFile(`${outbox.dir}/000000000000500-000001-1_bad.json`, '{"id": tru');
    // Hand-edited: whole JSON, but an event no channel could render.
    const edited = { ...entry('edited', 700), event: { ...sampleEvent({ id: 'edited' }), mount: 5 } };
    await writeFile(`${outbox.dir}/${edited.seq}_edited.json`, JSON.stringify(edited));
    const corrupt: string[] = [];
    const reasons: string[] = [];
    const listed = new Outbox(dir, (w) => {
      corrupt.push(w.movedTo);
      reasons.push(w.reason);
    }).list();
    assert.deepEqual(
      listed.map((e) => e.id),
      ['first', 'second'],
    );
    assert.equal(corrupt.length, 2);
    assert.match(corrupt[0]!, /_bad\.json\.corrupt$/);
    assert.match(corrupt[1]!, /_edited\.json\.corrupt$/);
    assert.match(reasons[1]!, /^event\.mount: /);
    assert.equal((await stat(`${outbox.dir}/${listed[0]!.seq}_first.json`)).mode & 0o777, 0o600);
  });
});
