import assert from 'node:assert/strict';
import { watch } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, before, beforeEach, describe, it } from '../helpers/node-test.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { Receiver } from '../helpers/receiver.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';

describe('headroom watch delivers transitions to integrations', { skip: await cannotMount }, () => {
  let pki: TestPki;
  let disk: Tmpfs;
  let home: string;
  let receiver: Receiver;
  const watchers: CliProcess[] = [];
  before(async () => {
    pki = await makePki();
  });
  beforeEach(async () => {
    disk = await Tmpfs.mount(20);
    home = await tempHome();
    receiver = await Receiver.start(pki);
    const added = await runCli(
      ['integration', 'add', '--type', 'webhook', '--url', `${receiver.url}/disk`, '--ca', pki.files.ca],
      home,
    );
    assert.equal(added.code, 0, added.stderr);
  });
  afterEach(async () => {
    for (const w of watchers.splice(0)) await w.stop('SIGKILL');
    await receiver.close();
    await disk.dispose();
  });

  const watch = () => {
    const w = new CliProcess(['watch', '--json', '--interval', '1', '--mount', disk.dir], home);
    watchers.push(w);
    return w;
  };

  it('posts the warning to the webhook and reports the delivery', async () => {
    await disk.setFreePercent(50);
    const w = watch();
    await w.waitForStderr(/watching/);
    await disk.setFreePercent(15);
    const req = await receiver.request(1);
    const body = JSON.parse(req.body);
    assert.equal(body.severity, 'warning');
    assert.equal(body.family, disk.dir);
    // Fast detection may read the disk while fallocate is still growing the file: any figure
    // below the warning threshold (and above critical) is a right one.
    assert.ok(
      body.headroom.freePercent < 20 && body.headroom.freePercent >= 10,
      `${body.headroom.freePercent}% free`,
    );
    const delivery = await w.waitUntil(
      () => w.jsonLines('delivery').find((d) => d.outcome === 'delivered'),
      'a delivered line',
    );
    assert.equal(delivery.mount, disk.dir);
    assert.equal(delivery.status, 200);
  });

  it('after kill -9 with a delivery pending, delivers it once on restart', async () => {
    receiver.always({ status: 503, body: 'down for maintenance' });
    await disk.setFreePercent(15);
    const first = watch();
    const failed = await receiver.request(1);
    await first.waitUntil(
      () => first.jsonLines('delivery').find((d) => d.outcome === 'retrying'),
      'a retrying line',
    );
    first.child.kill('SIGKILL');
    await first.exited;
    assert.equal(
      (await readdir(join(home, 'outbox'))).filter((f) => f.endsWith('.json')).length,
      1,
      'the delivery waits in the outbox',
    );

    receiver.always({ status: 200, body: 'ok' });
    const second = watch();
    // Two full samples saved after the restart: the first one's transitions (a wrong re-announce)
    // would be printed by then, however the replay of the outbox and the sampling interleave.
    const sampled = fileWrites(home, 'samples.json', 2);
    await receiver.accepted(1);
    await second.waitUntil(
      () => second.jsonLines('delivery').find((d) => d.outcome === 'delivered'),
      'a delivered line',
    );
    await sampled;
    assert.equal(second.transitions().length, 0, 'the restart did not re-announce the warning');
    const keys = new Set(receiver.requests.map((r) => r.headers['idempotency-key']));
    assert.deepEqual([...keys], [failed.headers['idempotency-key']], 'every attempt is the same delivery');
    assert.equal(receiver.requests.filter((r) => r.answered === 200).length, 1);
    // The history is written first, then the outbox entry removed (a crash between only sends
    // it again): wait for the removal, which follows the "delivered" line.
    await outboxEmptied(join(home, 'outbox'));

    const history = JSON.parse((await runCli(['history', '--json'], home)).stdout);
    assert.equal(history.length, 1);
    assert.equal(history[0].outcome, 'delivered');
    assert.deepEqual(history[0].attempts.map((a: { status: number }) => a.status).slice(-1), [200]);
    assert.equal(history[0].attempts[0].status, 503);
  });
});

/**
 * Resolves once `dir` holds no pending entry, woken by its changes rather than a timer. The
 * callback `watch` starts watching before it returns, so a removal between the first look and
 * the first event cannot be missed (`fs/promises`' watch only starts when first iterated).
 */
/** Resolves once `name` in `dir` has been written (replaced) `times` times from now. */
function fileWrites(dir: string, name: string, times: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const watcher = watch(dir, (_event, file) => {
      if (file !== name || ++seen < times) return;
      watcher.close();
      resolve();
    });
  });
}

async function outboxEmptied(dir: string): Promise<void> {
  const pending = async () => (await readdir(dir)).filter((f) => f.endsWith('.json')).length;
  await new Promise<void>((resolve, reject) => {
    const watcher = watch(dir, () => void look());
    const look = () =>
      pending().then((n) => {
        if (n > 0) return;
        watcher.close();
        resolve();
      }, reject);
    void look();
  });
}
