import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from '../helpers/node-test.js';
import { Heartbeat } from '../../core/heartbeat.js';
import type { Transport } from '../../core/delivery/transport.js';
import type { HttpRequest } from '../../shared/http-outcome.js';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings.js';
import { addWebhook, CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { Receiver } from '../helpers/receiver.js';
import { assertReported } from '../helpers/report.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/** A heartbeat on a clock the test moves, sending through a transport that records. */
function rig(settings: Partial<Settings>) {
  const sent: HttpRequest[] = [];
  let now = 0;
  const transport: Transport = async (req) => {
    sent.push(req);
    return { ok: true, response: { status: 200, headers: {}, body: 'OK' }, latencyMs: 1 };
  };
  const heartbeat = new Heartbeat({
    settings: () => ({ ...DEFAULT_SETTINGS, ...settings }),
    transport,
    host: 'ws 17.lan',
    now: () => now,
  });
  return {
    heartbeat,
    urls: () => sent.map((r) => `${r.method} ${r.url}`),
    advance: (minutes: number) => void (now += minutes * 60_000),
  };
}

describe('the heartbeat', () => {
  it('pings at start and then every heartbeatMinutes, with {host} filled in', async () => {
    const r = rig({ heartbeatUrl: 'https://hc-ping.com/KEY/{host}?create=1', heartbeatMinutes: 5 });
    await r.heartbeat.tick();
    r.advance(4.9);
    await r.heartbeat.tick();
    r.advance(0.1);
    await r.heartbeat.tick();
    assert.deepEqual(r.urls(), [
      'GET https://hc-ping.com/KEY/ws%2017.lan?create=1',
      'GET https://hc-ping.com/KEY/ws%2017.lan?create=1',
    ]);
  });

  it('tells trouble at once on /fail, and that it is over at once too', async () => {
    const r = rig({ heartbeatUrl: 'https://hc-ping.com/UUID', heartbeatMinutes: 60 });
    await r.heartbeat.tick();
    r.heartbeat.set('file:/d/state.json', 'cannot write /d/state.json (ENOSPC)');
    r.heartbeat.set('integration:x', 'deliveries to "Ops" fail: HTTP 400');
    await r.heartbeat.tick();
    r.heartbeat.set('file:/d/state.json', null);
    await r.heartbeat.tick();
    assert.equal(r.heartbeat.status(), 'fail', 'one trouble is left');
    r.heartbeat.set('integration:x', null);
    await r.heartbeat.tick();
    assert.deepEqual(r.urls(), [
      'GET https://hc-ping.com/UUID',
      'GET https://hc-ping.com/UUID/fail',
      'GET https://hc-ping.com/UUID',
    ]);
  });

  it("puts the reason in an Uptime Kuma fail URL's msg, and forgets integrations that are gone", async () => {
    const r = rig({
      heartbeatUrl: 'https://kuma.example/api/push/TOKEN?status=up&msg=OK',
      heartbeatFailUrl: 'https://kuma.example/api/push/TOKEN?status=down&msg=trouble',
    });
    await r.heartbeat.tick();
    r.heartbeat.noteDelivery({
      id: 'd1',
      integrationId: 'ops',
      integrationName: 'Ops',
      channel: 'webhook',
      outcome: 'failed',
      reason: 'HTTP 400',
      attempts: [],
      event: { host: 'h', mount: '/', from: 'ok', to: 'warning', freePercent: 15, at: 0 },
      createdAt: 0,
      updatedAt: 0,
    });
    await r.heartbeat.tick();
    r.heartbeat.keepIntegrations([]);
    await r.heartbeat.tick();
    assert.deepEqual(r.urls(), [
      'GET https://kuma.example/api/push/TOKEN?status=up&msg=OK',
      `GET https://kuma.example/api/push/TOKEN?status=down&msg=${new URLSearchParams({ msg: 'deliveries to "Ops" fail: HTTP 400' }).toString().slice(4)}`,
      'GET https://kuma.example/api/push/TOKEN?status=up&msg=OK',
    ]);
  });

  it('sends nothing without a heartbeatUrl', async () => {
    const r = rig({});
    await r.heartbeat.tick();
    r.heartbeat.set('sampling', 'sampling failed: EMFILE');
    await r.heartbeat.tick();
    assert.deepEqual(r.urls(), []);
  });
});

describe('heartbeat settings', () => {
  it('are checked at save, read from a file, and shown masked', async () => {
    const home = await tempHome();
    const plain = await runCli(['settings', 'set', 'heartbeatUrl=http://hc.example/ping/abc'], home);
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /heartbeatUrl: must use https:\/\//);
    const fail = await runCli(['settings', 'set', 'heartbeatFailUrl=https://hc.example/x'], home);
    assert.equal(fail.code, 2);
    assert.match(fail.stderr, /heartbeatFailUrl: goes with heartbeatUrl/);
    const file = join(home, 'hb-url');
    await writeFile(file, 'https://hc-ping.com/5f1c-SECRET-9a/{host}\n');
    const set = await runCli(['settings', 'set', '--heartbeat-url-file', file, 'heartbeatMinutes=2'], home);
    assert.equal(set.code, 0, set.stderr);
    assert.doesNotMatch(set.stdout + set.stderr, /SECRET/);
    assert.match(set.stderr, /saved: heartbeatMinutes=2 heartbeatUrl=https:\/\/hc-ping\.com\/••••••/);
    const shown = await runCli(['settings', '--json'], home);
    assert.equal(JSON.parse(shown.stdout).heartbeatUrl, 'https://hc-ping.com/••••••');
    const masked = await runCli(['settings', 'set', 'heartbeatUrl=https://hc-ping.com/••••••'], home);
    assert.equal(masked.code, 2, 'a masked value sent back is refused, not saved');
  });

  it('refuse user:password@ in a heartbeat URL, which would never be sent', { timeout: 30_000 }, async () => {
    const home = await tempHome();
    for (const key of ['heartbeatUrl', 'heartbeatFailUrl']) {
      const pairs = [`heartbeatUrl=https://${key === 'heartbeatUrl' ? 'ops:s3cret@' : ''}hc-ping.com/abc`];
      if (key === 'heartbeatFailUrl') pairs.push('heartbeatFailUrl=https://ops:s3cret@hc-ping.com/abc/fail');
      const r = await runCli(['settings', 'set', ...pairs], home);
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `${key}: cannot hold a user name or password \\(user:password@ is never sent\\); remove user:password@`,
        ),
      );
      assert.doesNotMatch(r.stderr, /s3cret|\n\s+at /, 'no secret echoed, no stack trace');
    }
    const shown = await runCli(['settings', '--json'], home);
    assert.equal(JSON.parse(shown.stdout).heartbeatUrl, null, 'nothing saved');
  });
});

describe(
  'the heartbeat of headroom watch, heard by a local HTTPS receiver',
  { skip: await cannotMount },
  () => {
    let pki: TestPki;
    let disk: Tmpfs;
    let beats: Receiver;
    let cases = 0;
    const watchers: CliProcess[] = [];
    const host = encodeURIComponent(hostname());
    before(async () => {
      pki = await makePki();
    });
    beforeEach(async () => {
      disk = await Tmpfs.mount(20);
      beats = await Receiver.start(pki);
    });
    afterEach(async () => {
      for (const w of watchers.splice(0)) await w.stop('SIGKILL');
      await beats.close();
      await disk.dispose();
    });
    after(() => assertReported("Watcher in trouble, told to a dead-man's switch", cases));

    /** `watch` with the heartbeat pointed at the receiver, trusting the test CA as a fleet's would. */
    async function watch(home: string) {
      const set = await runCli(
        ['settings', 'set', `heartbeatUrl=${beats.url}/ping/{host}`, 'heartbeatMinutes=60'],
        home,
      );
      assert.equal(set.code, 0, set.stderr);
      const w = new CliProcess(['watch', '--json', '--interval', '1', '--mount', disk.dir], home, {
        NODE_EXTRA_CA_CERTS: pki.files.ca,
      });
      watchers.push(w);
      return w;
    }

    it('says /fail while deliveries to an integration fail, and all is well once one gets through', async () => {
      const home = await tempHome();
      const hook = await Receiver.start(pki);
      try {
        const added = await addWebhook(home, { name: 'Ops', url: hook.url, ca: pki.files.ca });
        assert.equal(added.code, 0, added.stderr);
        await disk.setFreePercent(50);
        const w = await watch(home);
        const first = await beats.request(1);
        assert.equal(`${first.method} ${first.url}`, `GET /ping/${host}`);
        await w.waitForStderr(/heartbeat to 127\.0\.0\.1:\d+: all is well \(HTTP 200\)/);

        hook.reply({ status: 400, body: 'no such channel' });
        await disk.setFreePercent(15);
        const trouble = await beats.request(2);
        assert.equal(`${trouble.method} ${trouble.url}`, `GET /ping/${host}/fail`);
        await w.waitForStderr(/told of trouble: deliveries to "Ops" fail/);

        await disk.setFreePercent(50);
        const well = await beats.request(3);
        assert.equal(`${well.method} ${well.url}`, `GET /ping/${host}`);
        assert.equal(beats.requests.length, 3, 'one ping per change, none in between');
        cases++;
      } finally {
        await hook.close();
      }
    });

    it("says /fail while its data directory's disk is full, and all is well once it has room", async () => {
      const home = await Tmpfs.mount(4);
      try {
        await disk.setFreePercent(50);
        const w = await watch(home.dir);
        await beats.request(1);
        // Filled while the first sample may still be saving state.json: whichever writes fail
        // (samples.json at every sample, state.json perhaps) are trouble until made again.
        await home.fill();
        const trouble = await beats.request(2);
        assert.equal(trouble.url, `/ping/${host}/fail`);
        await w.waitForStderr(/told of trouble: cannot write .*\(ENOSPC/);
        await home.empty();
        const well = await beats.request(3);
        assert.equal(well.url, `/ping/${host}`);
        const state = JSON.parse(await readFile(join(home.dir, 'state.json'), 'utf8'));
        assert.equal(state.mounts[disk.dir].state, 'ok', 'the state was saved once there was room');
        cases++;
      } finally {
        for (const w of watchers.splice(0)) await w.stop('SIGKILL');
        await home.dispose();
      }
    });
  },
);
