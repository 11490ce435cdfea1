import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from '../helpers/node-test.js';
import type { DeliveryRecord } from '../../shared/history.js';
import { storageHealth } from '../../core/fs/storage-health.js';
import { SettingsStore } from '../../core/settings-store.js';
import { SnoozeStore } from '../../core/snooze-store.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { tempHome } from '../helpers/cli.js';
import { deliveryRig, transitionOf } from '../helpers/delivery.js';
import { Receiver } from '../helpers/receiver.js';
import { assertReported } from '../helpers/report.js';
import { makePki } from '../helpers/tls.js';

// jose is deliberately not imported here: the test is that the app loads it under pressure.
const KEY = Buffer.alloc(32, 7).toString('base64url');

/** Lowers this process's own open-file limit, then opens /dev/null until no descriptor is left. */
function exhaustFileTable(limit: number): () => void {
  execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${limit}:`]);
  const held: number[] = [];
  try {
    for (;;) held.push(openSync('/dev/null', 'r'));
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'EMFILE');
  }
  return () => held.splice(0).forEach((fd) => closeSync(fd));
}

const skip = process.platform !== 'linux' ? 'prlimit is Linux' : false;

describe('when this machine runs out of open files', { skip }, () => {
  const opened = closeAfterEach();
  let cases = 0;
  after(() => assertReported('Open-file table exhausted while alerting', cases));

  it('deliveries wait with the reason, and go out once files are free: nothing is loaded for good as failed', async () => {
    const pki = await makePki();
    const receiver = await Receiver.start(pki);
    const rig = await deliveryRig();
    opened(
      () => rig.close(),
      () => receiver.close(),
    );
    // Signed: its first attempt loads jose (ESM); plain: its first attempt loads undici.
    rig.addWebhook({ url: `${receiver.url}/signed`, ca: pki.ca, sharedKey: KEY }, { name: 'Signed' });
    rig.addWebhook({ url: `${receiver.url}/plain`, ca: pki.ca }, { name: 'Plain' });
    // Records as the dispatcher reports them: the history file cannot be written meanwhile either.
    const short = new Map<string, DeliveryRecord>();
    let freedAt: number | undefined;
    let gaveUp: (error: Error) => void = () => {};
    const givenUp = new Promise<never>((_, reject) => (gaveUp = reject));
    const bothShort = new Promise<void>((resolve) =>
      rig.dispatcher.onRecord((r: DeliveryRecord) => {
        if (r.outcome === 'failed')
          gaveUp(new Error(`${r.integrationName} gave up: ${JSON.stringify(r.attempts)}`));
        const since = r.attempts.filter((a) => freedAt !== undefined && a.at >= freedAt);
        if (since.length >= 3 && since.every((a) => a.result !== 'delivered'))
          gaveUp(new Error(`${r.integrationName} still fails with files free: ${JSON.stringify(since)}`));
        if (r.attempts.some((a) => a.reason === 'localResources')) short.set(r.integrationName, r);
        if (short.size === 2) resolve();
      }),
    );

    const release = exhaustFileTable(256);
    try {
      rig.dispatcher.enqueue(...transitionOf('critical'));
      await Promise.race([bothShort, givenUp]);
    } finally {
      release();
      freedAt = Date.now();
    }
    for (const record of short.values()) {
      const attempt = record.attempts.find((a) => a.reason === 'localResources');
      assert.match(attempt!.message!, /this machine ran out of open files \(EMFILE\)/);
      assert.equal(record.outcome, 'retrying', 'never given up for a local shortage');
    }

    rig.dispatcher.sendPendingNow();
    const accepted = await Promise.race([receiver.accepted(2), givenUp]);
    const signed = accepted.find((r) => r.url === '/signed')!;
    const [protectedHeader, signature] = String(signed.headers['x-jws-signature']).split('..');
    const expected = createHmac('sha256', Buffer.from(KEY, 'base64url'))
      .update(`${protectedHeader}.${signed.body}`)
      .digest('base64url');
    assert.equal(signature, expected, 'signed by jose, loaded after the shortage');
    await rig.dispatcher.idle();
    assert.deepEqual(
      rig.history.list().map((r) => r.outcome),
      ['delivered', 'delivered'],
    );
    cases++;
  });

  it('a data file it cannot read is kept as it is, with its value in memory; nothing is written over it', async () => {
    const dir = await tempHome();
    let now = Date.now();
    const snoozes = new SnoozeStore(dir, () => now);
    const until = snoozes.snooze(null, '8h');
    const settings = new SettingsStore(dir);
    settings.update({ warningPercent: 30 });
    const before = await readFile(join(dir, 'pause.json'), 'utf8');
    const unreadable: string[] = [];
    const onRead = (file: string) => unreadable.push(file);
    storageHealth.on('readFailed', onRead);

    const release = exhaustFileTable(256);
    let refused: unknown;
    try {
      now += 2000; // past the snooze store's one-second re-read
      assert.equal(snoozes.pausedUntil(), until, 'the 8 h snooze holds');
      assert.equal(settings.get().warningPercent, 30);
      try {
        settings.update({ warningPercent: 35 });
      } catch (error) {
        refused = error;
      }
    } finally {
      release();
      storageHealth.off('readFailed', onRead);
    }
    assert.match(
      String(refused),
      /could not be (read|locked for a change) \(EMFILE\), so nothing was written/,
    );
    assert.deepEqual(unreadable.sort(), [join(dir, 'pause.json'), join(dir, 'settings.json')]);
    assert.deepEqual((await readdir(dir)).sort(), ['pause.json', 'settings.json'], 'nothing moved aside');
    assert.equal(await readFile(join(dir, 'pause.json'), 'utf8'), before);
    assert.equal(settings.update({ warningPercent: 35 }).warningPercent, 35, 'saving works again');
    cases++;
  });
});
