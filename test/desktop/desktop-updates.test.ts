import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { checkUpdateFeed } from '../../core/policy/update-feed.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { tempHome } from '../helpers/cli.js';
import { launch } from '../helpers/desktop.js';
import { realDebUpdater } from '../helpers/fake-electron-updater.js';

const cleanup = closeAfterEach();

/**
 * A release folder as electron-builder publishes it for a generic provider: `latest-linux.yml`
 * naming the package with its sha512 and size, and the package. Every request is recorded.
 */
async function feedServer(version: string) {
  const deb = Buffer.from(`not really a deb, version ${version}\n`.repeat(100));
  const name = `headroom_${version}_amd64.deb`;
  const sha512 = createHash('sha512').update(deb).digest('base64');
  const yml = [
    `version: ${version}`,
    'files:',
    `  - url: ${name}`,
    `    sha512: ${sha512}`,
    `    size: ${deb.length}`,
    `path: ${name}`,
    `sha512: ${sha512}`,
    "releaseDate: '2026-12-01T00:00:00.000Z'",
    '',
  ].join('\n');
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    // Without the query electron-updater adds to get past caches (?noCache=…).
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(`${req.method} ${path}`);
    if (path === '/releases/latest-linux.yml') res.end(yml);
    else if (path === `/releases/${name}`) res.end(deb);
    else res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup(async () => void server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/releases/`;
  return { server, url, requests, deb, name };
}

async function policyFile(policy: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'headroom-policy-')), 'policy.json');
  await writeFile(file, JSON.stringify(policy));
  return file;
}

async function start(policy: unknown, updater?: ReturnType<typeof realDebUpdater>) {
  const home = await tempHome();
  const env: NodeJS.ProcessEnv = { HEADROOM_HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') };
  if (policy !== undefined) env.HEADROOM_POLICY = await policyFile(policy);
  const app = await launch(home, {
    argv: ['headroom', '--hidden'],
    env,
    updater: updater && (() => updater.updater),
  });
  cleanup(async () => void (await app.quit()));
  return { app, home };
}

const made = (app: Awaited<ReturnType<typeof start>>['app']) =>
  app.fake.log.filter((l) => l.surface === 'updater').length;

describe('desktop updates from the feed the policy names', () => {
  it(
    'finds a newer release, downloads and checks it, and says it installs at quit',
    { timeout: 30_000 },
    async () => {
      const feed = await feedServer('9.9.9');
      const real = realDebUpdater(await tempHome());
      const { app } = await start({ updateFeedUrl: feed.url }, real);
      const ready = await app.fake.until(
        () => app.fake.notifications.find((n) => n.options.title === 'Headroom 9.9.9 is ready'),
        'the update-ready notification',
      );
      assert.equal(ready.options.body, 'It is installed when you quit Headroom.');
      assert.deepEqual(feed.requests, [`GET /releases/latest-linux.yml`, `GET /releases/${feed.name}`]);
      const pending = join(real.cacheDir, 'pending');
      const files = await readdir(pending);
      assert.ok(files.includes(feed.name), files.join(', '));
      assert.ok((await readFile(join(pending, feed.name))).equals(feed.deb), 'the package, whole');
      assert.equal(real.quitHandlers.length, 1, 'to be installed when the app quits');
    },
  );

  it(
    'with the same version as the app, downloads nothing and says nothing',
    { timeout: 30_000 },
    async () => {
      const feed = await feedServer('0.1.0');
      const real = realDebUpdater(await tempHome(), '0.1.0');
      const notAvailable = once(real.updater as unknown as NodeJS.EventEmitter, 'update-not-available');
      const { app } = await start({ updateFeedUrl: feed.url }, real);
      await notAvailable;
      assert.deepEqual(feed.requests, ['GET /releases/latest-linux.yml']);
      assert.deepEqual(
        app.fake.notifications.map((n) => n.options.title),
        [],
      );
    },
  );

  it(
    'without a feed makes no updater at all, so nothing is asked of any server',
    { timeout: 30_000 },
    async () => {
      for (const policy of [undefined, { settings: { warningPercent: 25 } }]) {
        const { app, home } = await start(policy);
        await app.fake.until(() => app.fake.tray.tooltip.startsWith('Headroom — '), 'the first sample');
        assert.equal(made(app), 0, `no updater (policy: ${JSON.stringify(policy)})`);
        assert.ok(!existsSync(join(home, 'updates')), 'no update settings written');
      }
    },
  );

  it(
    'refuses a feed that is not https, naming the field, and checks nothing',
    { timeout: 30_000 },
    async () => {
      const { app } = await start({ updateFeedUrl: 'http://updates.example.com/headroom/' });
      const said = await app.fake.until(
        () => app.fake.notifications.find((n) => /policy does not apply/.test(n.options.title ?? '')),
        'the policy notification',
      );
      assert.match(
        String(said.options.body),
        /^updateFeedUrl: must use https:\/\/ \(plain http:\/\/ only to this machine\)/,
      );
      assert.equal(made(app), 0);
    },
  );
});

describe('the update feed a policy may name', () => {
  it('takes https anywhere and http only to this machine, and says what is wrong otherwise', () => {
    assert.deepEqual(checkUpdateFeed('https://updates.example.com/headroom'), {
      url: 'https://updates.example.com/headroom',
    });
    assert.deepEqual(checkUpdateFeed(' http://127.0.0.1:8080/r/ '), { url: 'http://127.0.0.1:8080/r/' });
    const problem = (v: unknown) => (checkUpdateFeed(v) as { problem?: string }).problem ?? '';
    assert.match(problem(''), /^must be a URL: give the https:\/\/ address/);
    assert.match(problem(42), /^must be a URL/);
    assert.match(problem('updates.example.com'), /^is not a URL/);
    assert.match(problem('ftp://updates.example.com/'), /^must use https:\/\//);
    assert.match(problem('http://updates.example.com/'), /^must use https:\/\//);
    assert.match(problem('https://me:pw@updates.example.com/'), /^must not carry a user name or password/);
    assert.doesNotMatch(problem('https://me:pw@updates.example.com/'), /pw/, 'never quoted back');
  });
});
