import assert from 'node:assert/strict';
import { before, describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { CliProcess, watchRig } from '../helpers/cli.js';
import type { Received } from '../helpers/receiver.js';
import { cannotMount } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/**
 * A chat channel cannot drop a repeat: each one is a second message people see. A watcher killed
 * with -9 while its request hangs at the receiver sends that alert once more at most, marked as a
 * possible repeat; killed again while sending that, it sends it no third time and says so in the
 * history. Nothing is lost on the way.
 */

const HOOK = '/hooks/abcdefghijklmnopqrstuvwxyz';
const REPEAT = /Possibly a repeat: Headroom was stopped while sending it\./;

/** A Mattermost post's headline ("**Disk warning: …**") and whether it says it may be a repeat. */
function post(r: Received): { title: string; repeat: boolean } {
  const body = JSON.parse(r.body) as { text: string; attachments?: { text: string }[] };
  return { title: body.text.replace(/\*\*/g, ''), repeat: REPEAT.test(body.attachments?.[0]?.text ?? '') };
}

describe('a chat integration when the watcher is killed mid-request', { skip: await cannotMount }, () => {
  let pki: TestPki;
  const closeLater = closeAfterEach();
  before(async () => {
    pki = await makePki();
  });

  it(
    'hears each alert at most twice, the second marked as a possible repeat, and loses none',
    { timeout: 50_000 },
    async () => {
      const env = { NODE_EXTRA_CA_CERTS: pki.files.ca };
      const { disk, receiver, cli, watch } = await watchRig(pki, closeLater, env);
      await cli(
        'integration',
        'add',
        '--type',
        'mattermost',
        '--name',
        'chat',
        '--webhook-url',
        `${receiver.url}${HOOK}`,
      );
      await cli('settings', 'set', 'confirmSeconds=0');
      await disk.setFreePercent(50);
      const kill = async (w: CliProcess) => {
        w.child.kill('SIGKILL');
        await w.exited;
        receiver.release(503); // the dead process's request, answered to no one
      };
      const delivery = (w: CliProcess, outcome: string, to: string) =>
        w.waitUntil(
          () => w.jsonLines('delivery').find((d) => d.outcome === outcome && d.to === to),
          `a ${outcome} delivery of →${to}`,
        );

      // The warning hangs, twice: the watcher is killed each time while it waits for the answer.
      receiver.reply('hang', 'hang');
      let w = await watch();
      await disk.setFreePercent(15);
      await receiver.request(1);
      await kill(w);
      w = await watch();
      await receiver.request(2);
      await kill(w);
      w = await watch();
      const unknown = await delivery(w, 'unknown', 'warning');
      assert.match(String(unknown.reason), /possibly delivered.*not sent a third time/);

      // The all-clear goes out after it, in the same lane: no third copy of the warning before it.
      await disk.setFreePercent(50);
      await delivery(w, 'delivered', 'ok');

      // The critical hangs once; its repeat is answered.
      receiver.reply('hang');
      await disk.setFreePercent(5);
      const beforeCritical = receiver.requests.length;
      await receiver.request(beforeCritical + 1);
      await kill(w);
      w = await watch();
      const repeated = await delivery(w, 'delivered', 'critical');
      assert.match(String(repeated.reason), /possible repeat/);
      await disk.setFreePercent(50);
      await delivery(w, 'delivered', 'ok');
      assert.equal(await w.stop('SIGTERM'), 0);

      const posts = receiver.requests.filter((r) => r.url === HOOK).map(post);
      const copies = (headline: RegExp) => posts.filter((p) => headline.test(p.title));
      const warnings = copies(/^Disk warning/);
      const criticals = copies(/^Disk critical/);
      const clears = copies(/^All clear/);
      assert.deepEqual(
        warnings.map((p) => p.repeat),
        [false, true],
        'the warning: once, then once more marked as a possible repeat, never a third time',
      );
      assert.deepEqual(
        criticals.map((p) => p.repeat),
        [false, true],
      );
      assert.deepEqual(
        clears.map((p) => p.repeat),
        [false, false],
        'each all-clear once, unmarked',
      );
      assert.equal(posts.length, 6, posts.map((p) => p.title).join('\n'));

      // The history says what became of each: nothing silently dropped.
      const history = JSON.parse(await cli('history', '--json')) as {
        outcome: string;
        event: { to: string };
      }[];
      assert.deepEqual(history.map((r) => `${r.event.to}:${r.outcome}`).reverse(), [
        'warning:unknown',
        'ok:delivered',
        'critical:delivered',
        'ok:delivered',
      ]);
    },
  );
});
