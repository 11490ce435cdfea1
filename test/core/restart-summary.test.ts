import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { addWebhook, CliProcess, watchRig } from '../helpers/cli.js';
import { cannotMount } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/**
 * Changes a stopped watcher left unsent (a receiver that hung held them up) are summed up at the
 * next start in one message of the net change, sent at once — not replayed step by step.
 */

interface WebhookBody {
  info: string;
  headroom: { from: string; to: string; held?: { reason: string; changes: number } };
}

/** A bound on a wait for an event, far above what it takes: the wait itself is on the event. */
async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('changes left unsent by a killed watcher', { skip: await cannotMount }, () => {
  let pki: TestPki;
  const closeLater = closeAfterEach();
  before(async () => {
    pki = await makePki();
  });

  it('go out at the next start as one summary of the net change', { timeout: 50_000 }, async () => {
    const { disk, home, receiver, cli, watch } = await watchRig(pki, closeLater);
    assert.equal(
      (await addWebhook(home, { name: 'hook', url: `${receiver.url}/disk`, ca: pki.files.ca })).code,
      0,
    );
    // Five changes within the hour are not flapping here: each is queued, none held.
    await cli('settings', 'set', 'confirmSeconds=0', 'flappingChanges=100');
    await disk.setFreePercent(50);
    const transitionTo = (w: CliProcess, after: number, to: string) =>
      w.waitUntil(
        () =>
          w
            .transitions()
            .slice(after)
            .find((t) => t.to === to),
        `a transition to ${to}`,
      );

    // The warning is heard; then the receiver hangs and four more changes queue behind it.
    receiver.always('hang').reply({ status: 200, body: 'ok' });
    const w = await watch();
    await disk.setFreePercent(15);
    await w.waitUntil(
      () => w.jsonLines('delivery').find((d) => d.outcome === 'delivered'),
      'the warning delivered',
    );
    for (const [free, to] of [
      [50, 'ok'],
      [5, 'critical'],
      [50, 'ok'],
      [5, 'critical'],
    ] as const) {
      const seen = w.transitions().length;
      await disk.setFreePercent(free);
      await transitionTo(w, seen, to);
    }
    await receiver.request(2); // warning→ok, hanging
    w.child.kill('SIGKILL');
    await w.exited;
    const pending = (await readdir(join(home, 'outbox'))).filter((f) => f.endsWith('.json'));
    assert.equal(pending.length, 4, 'four changes were left in the outbox');
    receiver.release(503);
    receiver.always({ status: 200, body: 'ok' });

    const before = receiver.requests.length;
    const next = await watch();
    // Sent at once on start, well before any retry would be due.
    const summary = await within(10_000, 'summary after the restart', receiver.request(before + 1));
    const body = JSON.parse(summary.body) as WebhookBody;
    assert.equal(`${body.headroom.from}→${body.headroom.to}`, 'warning→critical');
    assert.equal(body.headroom.held?.changes, 4);
    assert.match(
      body.info,
      /Held \(not sent before a restart\) since \d\d:\d\d UTC: 4 changes, summed up here\./,
    );

    // Nothing else of those four follows: the next request is the next change.
    const seen = next.transitions().length;
    await disk.setFreePercent(50);
    await transitionTo(next, seen, 'ok');
    const clear = JSON.parse((await receiver.request(before + 2)).body) as WebhookBody;
    assert.equal(`${clear.headroom.from}→${clear.headroom.to}`, 'critical→ok');
    await next.waitUntil(
      () => next.jsonLines('delivery').find((d) => d.outcome === 'delivered' && d.to === 'ok'),
      'the all-clear delivered',
    );
    assert.equal(await next.stop('SIGTERM'), 0);
    assert.equal(receiver.requests.length, before + 2);

    // The history keeps each change: three summed up into the fourth.
    const history = JSON.parse(await cli('history', '--json')) as {
      outcome: string;
      reason?: string;
      event: { from: string; to: string };
    }[];
    const lines = history.map((r) => `${r.event.from}→${r.event.to} ${r.outcome}`).reverse();
    assert.deepEqual(lines, [
      'ok→warning delivered',
      'warning→ok held',
      'ok→critical held',
      'critical→ok held',
      'warning→critical delivered',
      'critical→ok delivered',
    ]);
    for (const r of history.filter((r) => r.outcome === 'held'))
      assert.match(r.reason ?? '', /summed up in a later message/);
  });

  it(
    'a change held in quiet hours is sent when they were turned off while no watcher ran',
    { timeout: 40_000 },
    async () => {
      const { disk, home, receiver, cli, watch } = await watchRig(pki, closeLater);
      // Quiet hours from two hours ago to two hours ahead, in the watcher's local time.
      const hhmm = (ms: number) => new Date(Date.now() + ms).toTimeString().slice(0, 5);
      const quiet = `${hhmm(-2 * 3600_000)}-${hhmm(2 * 3600_000)}`;
      const hook = { name: 'hook', url: `${receiver.url}/disk`, ca: pki.files.ca };
      const added = await addWebhook(home, hook, '--quiet-hours', quiet);
      assert.equal(added.code, 0, added.stderr);
      const id = added.stdout.trim().split(/\s+/).at(-1)!;
      await cli('settings', 'set', 'confirmSeconds=0');
      await disk.setFreePercent(50);
      const w = await watch();
      await disk.setFreePercent(15);
      const held = await w.waitUntil(
        () => w.jsonLines('delivery').find((d) => d.outcome === 'held'),
        'the warning held',
      );
      assert.match(String(held.reason), /quiet hours/);
      assert.equal(await w.stop('SIGTERM'), 0);

      await cli('integration', 'edit', id, '--quiet-hours', 'off');
      await watch();
      const sent = await within(10_000, 'held warning after the restart', receiver.request(1));
      const body = JSON.parse(sent.body) as WebhookBody;
      assert.equal(`${body.headroom.from}→${body.headroom.to}`, 'ok→warning');
    },
  );
  it(
    'never tells a state the disk has left: a kill between saving what was told and the disk state',
    { timeout: 40_000 },
    async () => {
      const { disk, home, receiver, cli, watch } = await watchRig(pki, closeLater);
      const hook = { name: 'hook', url: `${receiver.url}/disk`, ca: pki.files.ca };
      assert.equal((await addWebhook(home, hook)).code, 0);
      // A change waits 1 s: the first sample after the restart finds the all-clear still pending.
      await cli('settings', 'set', 'confirmSeconds=1');
      await disk.setFreePercent(5);
      const first = await watch();
      await within(10_000, 'the critical', receiver.request(1));
      assert.equal(await first.stop('SIGTERM'), 0);
      // What a kill -9 can leave: the all-clear told (notified.json is saved when it is queued),
      // the disk's state not yet saved (still critical), the disk back at 50 %.
      const notified = join(home, 'notified.json');
      const told = JSON.parse(await readFile(notified, 'utf8')) as {
        integrations: Record<string, Record<string, { state: string }>>;
      };
      for (const alerts of Object.values(told.integrations)) alerts[disk.dir]!.state = 'ok';
      await writeFile(notified, JSON.stringify(told));
      await disk.setFreePercent(50);

      const second = await watch();
      await second.waitUntil(() => second.transitions().find((t) => t.to === 'ok'), 'the all-clear judged');
      await disk.setFreePercent(15);
      // Deliveries go out in order: once the warning is heard, nothing queued before it is left.
      const heard = () =>
        receiver.requests.slice(1).map((r) => {
          const { headroom } = JSON.parse(r.body) as WebhookBody;
          return `${headroom.from}→${headroom.to}`;
        });
      await receiver.until(() => heard().includes('ok→warning'));
      assert.deepEqual(heard(), ['ok→warning'], 'no "critical" for a disk at 50 % free');
    },
  );
});
