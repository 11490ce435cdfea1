import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { processStart } from '../../core/fs/process-identity.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { addWebhook, CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { answerChallenge, Receiver } from '../helpers/receiver.js';
import { makePki } from '../helpers/tls.js';
import { assertReported } from '../helpers/report.js';

describe('several Headroom processes at once', () => {
  const cleanup = closeAfterEach();

  it('ten `integration add` run at the same moment store ten integrations', async () => {
    const home = await tempHome();
    const adds = Array.from({ length: 10 }, (_, i) =>
      runCli(
        [
          'integration',
          'add',
          '--type',
          'webhook',
          '--name',
          `hook ${i}`,
          '--url',
          `https://127.0.0.1:1/${i}`,
        ],
        home,
      ),
    );
    const results = await Promise.all(adds);
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const list = await runCli(['integration', 'list', '--json'], home);
    const names = (JSON.parse(list.stdout) as { integrations: { name: string }[] }).integrations
      .map((i) => i.name)
      .sort();
    assert.deepEqual(names, Array.from({ length: 10 }, (_, i) => `hook ${i}`).sort());
    assertReported('Concurrent edits from several processes', 10);
  });

  it(
    'twelve `settings set` of different keys run at the same moment keep all twelve',
    { timeout: 60_000 },
    async () => {
      const home = await tempHome();
      const pairs = [
        'warningPercent=31',
        'criticalPercent=11',
        'intervalSeconds=17',
        'confirmSeconds=7',
        'heartbeatMinutes=9',
        'clearMarginPercent=3',
        'usageScanMinutes=61',
        'watchInodes=false',
        'nativeNotifications=false',
        'historyMaxRecords=5000',
        // Two entries of one setting: each keeps the other's, not the map it first read.
        'mountOverrides./srv/a.criticalPercent=4',
        'mountOverrides./srv/b.criticalPercent=6',
      ];
      const results = await Promise.all(pairs.map((pair) => runCli(['settings', 'set', pair], home)));
      for (const r of results) assert.equal(r.code, 0, r.stderr);
      const shown = await runCli(['settings', '--json'], home);
      const settings = JSON.parse(shown.stdout) as Record<string, unknown>;
      const kept = Object.fromEntries(
        pairs.slice(0, 10).map((pair) => [pair.split('=')[0], settings[pair.split('=')[0]!]]),
      );
      assert.deepEqual(kept, {
        warningPercent: 31,
        criticalPercent: 11,
        intervalSeconds: 17,
        confirmSeconds: 7,
        heartbeatMinutes: 9,
        clearMarginPercent: 3,
        usageScanMinutes: 61,
        watchInodes: false,
        nativeNotifications: false,
        historyMaxRecords: 5000,
      });
      assert.deepEqual(settings.mountOverrides, {
        '/srv/a': { criticalPercent: 4 },
        '/srv/b': { criticalPercent: 6 },
      });
    },
  );

  it('an edit waiting on its receiver check does not undo a change made meanwhile by another process', async () => {
    const home = await tempHome();
    const pki = await makePki();
    const hook = await Receiver.start(pki);
    cleanup(() => hook.close());
    hook.reply(answerChallenge('crc'), 'hang');
    const added = await addWebhook(
      home,
      { name: 'Ops', url: hook.url, ca: pki.files.ca },
      '--challenge-secret',
      'crc',
    );
    assert.equal(added.code, 0, added.stderr);
    const id = added.stdout.trim();

    // The rename waits on the receiver's challenge answer; meanwhile another process disables it.
    const rename = runCli(['integration', 'edit', id, '--name', 'Ops renamed'], home);
    await hook.until(() => hook.requests.length === 2);
    const disabled = await runCli(['integration', 'disable', id], home);
    assert.equal(disabled.code, 0, disabled.stderr);
    hook.release(answerChallenge('crc'));

    const refused = await rename;
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /"Ops" \(.+\) was changed elsewhere .* so this edit was not saved/);
    const [stored] = JSON.parse((await runCli(['integration', 'list', '--json'], home)).stdout).integrations;
    assert.equal(stored.enabled, false, 'the disable made meanwhile stands');
    assert.equal(stored.name, 'Ops');
  });

  it(
    "a watcher lock whose pid now belongs to another process is taken over; a live watcher's is not",
    { skip: process.platform !== 'linux' && 'process start times are read from /proc' },
    async () => {
      const other = spawn('sleep', ['600']);
      cleanup(async () => void other.kill());
      await new Promise((resolve) => other.once('spawn', resolve));
      const start = processStart(other.pid!);
      assert.notEqual(start, null);

      const reused = await tempHome();
      const lock = (home: string, s: number) =>
        writeFile(
          join(home, 'watcher.lock'),
          JSON.stringify({ pid: other.pid, start: s, by: 'cli', since: 0 }),
        );
      await lock(reused, start! - 1); // a watcher that died; `sleep` got its pid later
      const watch = new CliProcess(['watch', '--interval', '3600', '--mount', '/'], reused);
      cleanup(async () => void (await watch.stop()));
      await watch.waitForStderr(/watching/);

      const live = await tempHome();
      await lock(live, start!);
      const refused = await runCli(['watch', '--interval', '3600', '--mount', '/'], live);
      assert.equal(refused.code, 1, 'the work could not be done: not a usage error');
      assert.match(refused.stderr, new RegExp(`already watched by \`headroom watch\` \\(pid ${other.pid}`));
    },
  );

  it('six `headroom watch` started at once over a stale lock: exactly one watches', async () => {
    const home = await tempHome();
    // A pid above Linux's largest: the watcher that wrote this lock is certainly gone.
    await writeFile(join(home, 'watcher.lock'), JSON.stringify({ pid: 2 ** 22 + 1, by: 'cli', since: 0 }));
    const watches = Array.from(
      { length: 6 },
      () => new CliProcess(['watch', '--interval', '3600', '--mount', '/'], home),
    );
    for (const w of watches) cleanup(async () => void (await w.stop()));
    // Five refuse and exit; the sixth is left watching.
    const said = await Promise.all(watches.map((w) => w.waitForStderr(/watching|already watched/)));
    assert.equal(said.filter((line) => /already watched/.test(line)).length, 5, said.join('\n'));
    for (const [i, w] of watches.entries()) {
      if (/already watched by `headroom watch`/.test(said[i]!)) assert.equal(await w.exited, 1);
    }
  });
});
