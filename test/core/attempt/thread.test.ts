import assert from 'node:assert/strict';
import { describe, it } from '../../helpers/node-test.js';
import { sendScrubbed } from '../../../core/delivery/attempt/send.js';
import { deliverThreaded, type Threads } from '../../../core/delivery/attempt/thread.js';
import type { Thread } from '../../../shared/channels/channel.js';
import type { AlertEvent } from '../../../shared/event.js';
import { classifyStatus } from '../../../shared/http-outcome.js';
import { sampleEvent } from '../../helpers/events.js';
import { receiversRig } from '../../helpers/receivers.js';

/** Threads kept in memory, as the ThreadStore keeps them on disk. */
function memoryThreads(): Threads & { all: Map<string, Thread> } {
  const all = new Map<string, Thread>();
  return {
    all,
    get: (id, key) => all.get(`${id} ${key}`),
    set: (id, key, thread) => (thread ? all.set(`${id} ${key}`, thread) : all.delete(`${id} ${key}`)),
  };
}

describe('the thread stage', () => {
  const rig = receiversRig();

  // A channel that posts into `?thread=` when the event has one, and whose answer names the post.
  const channel = { threadOf: (res: { body: string }) => ({ threadId: res.body }) };
  const deliver = async (e: AlertEvent) => {
    const url = `${rig.receivers[0]!.url}/post${e.thread ? `?thread=${e.thread.threadId}` : ''}`;
    const sent = await sendScrubbed(rig.transport, { method: 'POST', url, headers: {} }, 10_000, [], (res) =>
      classifyStatus(res, Date.now()),
    );
    return { first: sent, sent };
  };
  const urls = (from: number) => rig.receivers[0]!.requests.slice(from).map((r) => r.url);

  it(
    'sends an alert’s later messages into the post its first opened, and the all-clear ends it',
    { timeout: 30_000 },
    async () => {
      const threads = memoryThreads();
      const start = rig.receivers[0]!.requests.length;
      rig.receivers[0]!.reply(
        { status: 200, body: 'post-1' },
        { status: 200, body: 'reply' },
        { status: 200, body: 'reply' },
      );
      await deliverThreaded(sampleEvent({ from: 'ok', to: 'warning' }), channel, {}, 'i1', threads, deliver);
      await deliverThreaded(
        sampleEvent({ from: 'warning', to: 'critical' }),
        channel,
        {},
        'i1',
        threads,
        deliver,
      );
      assert.equal(threads.all.size, 1);
      await deliverThreaded(sampleEvent({ from: 'critical', to: 'ok' }), channel, {}, 'i1', threads, deliver);
      assert.deepEqual(urls(start), ['/post', '/post?thread=post-1', '/post?thread=post-1']);
      assert.equal(threads.all.size, 0, 'the all-clear ends the thread');
    },
  );

  it(
    'sends it on its own when the thread is refused, follows the post it opened, and says so',
    { timeout: 30_000 },
    async () => {
      const threads = memoryThreads();
      threads.set('i1', '/data', { threadId: 'gone' });
      const start = rig.receivers[0]!.requests.length;
      rig.receivers[0]!.reply({ status: 404, body: 'Unknown Channel' }, { status: 200, body: 'post-2' });
      const sent = await deliverThreaded(sampleEvent(), channel, {}, 'i1', threads, deliver);
      assert.deepEqual(urls(start), ['/post?thread=gone', '/post']);
      assert.equal(sent.outcome.kind, 'delivered');
      assert.match(
        sent.outcome.kind === 'delivered' ? (sent.outcome.note ?? '') : '',
        /its thread was refused .* sent on its own/,
      );
      assert.deepEqual([...threads.all.values()], [{ threadId: 'post-2' }], 'the new post is the thread now');
    },
  );

  it('keeps a test out of threads', { timeout: 30_000 }, async () => {
    const threads = memoryThreads();
    threads.set('i1', '/data', { threadId: 'open' });
    const start = rig.receivers[0]!.requests.length;
    rig.receivers[0]!.reply({ status: 200, body: 'post-3' });
    await deliverThreaded(sampleEvent({ test: true }), channel, {}, 'i1', threads, deliver);
    assert.deepEqual(urls(start), ['/post']);
    assert.deepEqual([...threads.all.values()], [{ threadId: 'open' }]);
  });
});
