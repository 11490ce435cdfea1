import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { LoopDisk } from '../helpers/images.js';
import { Receiver } from '../helpers/receiver.js';
import { cannotMount } from '../helpers/tmpfs.js';
import { formatBytes } from '../../shared/format.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/** Why a loop-mounted disk cannot be made here, or false. */
const noMounting = await cannotMount;
const SHARED_KEY = 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow';

describe('headroom integration … (webhook) against a real HTTPS receiver', () => {
  let pki: TestPki;
  let receiver: Receiver;
  before(async () => {
    pki = await makePki();
    receiver = await Receiver.start(pki);
  });
  after(() => receiver.close());

  /** `integration add --type webhook` for a receiver of this test's CA. */
  const addWebhookAt = (home: string, url: string, ...args: string[]) =>
    runCli(['integration', 'add', '--type', 'webhook', '--url', url, '--ca', pki.files.ca, ...args], home);
  const add = (home: string, ...args: string[]) => addWebhookAt(home, `${receiver.url}/hook`, ...args);

  it('adds an integration, printing only its id on stdout, and lists it with secrets masked', async () => {
    const home = await tempHome();
    const r = await add(
      home,
      '--name',
      'Ops',
      '--shared-key',
      SHARED_KEY,
      '--auth',
      'bearer',
      '--token',
      'tok-supersecret',
      '--header',
      'X-Api-Key: key-supersecret',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^webhook-[0-9a-f]{6}\n$/);
    assert.match(r.stderr, /added Webhook integration "Ops"/);
    const id = r.stdout.trim();

    const list = await runCli(['integration', 'list'], home);
    assert.match(list.stdout, new RegExp(`${id}\\s+Ops\\s+webhook\\s+yes\\s+all\\s+all\\+unreachable`));
    const json = await runCli(['integration', 'list', '--json'], home);
    for (const out of [list.stdout, json.stdout]) {
      assert.doesNotMatch(out, /supersecret|AyM1SysPpbyDfgZld3umj1q/);
    }
    const shown = JSON.parse(json.stdout).integrations[0];
    assert.equal(shown.config.url, `${receiver.url}/hook`);
    assert.equal(shown.config.token, '••••••');
    const stored = await readFile(join(home, 'integrations.json'), 'utf8');
    assert.equal(
      JSON.parse(stored).integrations[0].secrets.token,
      'plain:"tok-supersecret"',
      'sealed field by field (plain without a keychain)',
    );
  });

  it('accepts the Web PaaS type name health.webhook', async () => {
    const r = await runCli(
      [
        'integration',
        'add',
        '--type',
        'health.webhook',
        '--url',
        `${receiver.url}/hook`,
        '--ca',
        pki.files.ca,
      ],
      await tempHome(),
    );
    assert.equal(r.code, 0, r.stderr);
  });

  it('refuses bad settings naming the flag and the fix, and saves nothing', async () => {
    const home = await tempHome();
    const r = await runCli(
      [
        'integration',
        'add',
        '--type',
        'webhook',
        '--url',
        'http://example.com/hook',
        '--shared-key',
        'JWS-SYMMETRIC-KEY',
        '--auth',
        'basic',
      ],
      home,
    );
    assert.equal(r.code, 2, 'settings the rules refuse are a usage error');
    assert.match(r.stderr, /--url: must use https:\/\//);
    assert.match(r.stderr, /--shared-key: is not valid base64url/);
    assert.match(r.stderr, /--user: is required with --auth basic/);
    assert.equal(r.stdout, '');
    assert.ok(!(await readdir(home)).includes('integrations.json'));
  });

  it('refuses an unknown severity filter, listing the valid ones', async () => {
    const r = await runCli(
      ['integration', 'add', '--type', 'webhook', '--url', 'https://x.test', '--severity', 'loud'],
      await tempHome(),
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--severity \(all\+unreachable \| all \| critical\): must be one of/);
  });

  it('sends a test notification and reports the outcome, HTTP status and latency', async () => {
    const home = await tempHome();
    const id = (await add(home)).stdout.trim();
    const before = receiver.requests.length;
    const r = await runCli(['integration', 'test', id], home);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /✔ Webhook 127\.0\.0\.1:\d+ \(webhook-\w+\): test notification delivered \(HTTP 200, \d+ ms\)/,
    );
    const got = receiver.requests.slice(before).find((q) => q.method === 'POST')!;
    // The real figures of / (the integration names no disk), read as the test is sent.
    const body = JSON.parse(got.body) as { message: string; info: string };
    assert.match(body.message, /^\[TEST\] \/ on \S+ has \d+\.\d% free: a test from Headroom$/);
    assert.match(body.info, /with \/'s figures of now \(.+\): size /);

    const history = await runCli(['history', '--json'], home);
    const [record] = JSON.parse(history.stdout);
    assert.equal(record.test, true);
    assert.equal(record.outcome, 'delivered');
  });

  it(
    "quotes the disk's figures as its card does: size, used, available and what is reserved",
    { skip: noMounting, timeout: 30_000 },
    async () => {
      const disk = await LoopDisk.create(32);
      try {
        // A quarter kept back for root: df counts it in the size, not in used or available.
        await new Promise((done, fail) =>
          execFile('tune2fs', ['-m', '25', disk.image], (e) => (e ? fail(e) : done(null))),
        );
        await disk.mount();
        const home = await tempHome();
        const id = (await add(home, '--mounts', disk.dir)).stdout.trim();
        const before = receiver.requests.length;
        const r = await runCli(['integration', 'test', id], home);
        assert.equal(r.code, 0, r.stderr);
        const got = receiver.requests.slice(before).find((q) => q.method === 'POST')!;
        const { info } = JSON.parse(got.body) as { info: string };
        const s = await statfs(disk.dir);
        const [size, used, available] = [s.blocks, s.blocks - s.bfree, s.bavail].map((n) => n * s.bsize);
        const shown = `size ${formatBytes(size!)}, ${formatBytes(used!)} used, ${formatBytes(available!)} available, ${formatBytes(size! - used! - available!)} reserved for the system`;
        assert.ok(info.includes(shown), `${info}\nshould say, as the card does: ${shown}`);
        assert.ok(size! - used! - available! > size! * 0.2, 'a quarter kept back');
      } finally {
        await disk.dispose();
      }
    },
  );

  it('fails the test command with the receiver reason when it refuses', async () => {
    const home = await tempHome();
    const failing = await Receiver.start(pki);
    failing.always({ status: 410, body: 'hook deleted' });
    const id = (await addWebhookAt(home, failing.url)).stdout.trim();
    const r = await runCli(['integration', 'test', id], home);
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /✘ .*failed: the receiver rejected the request \(HTTP 410\): hook deleted \(\d+ ms\)/,
    );
    await failing.close();
  });

  it('edits, disables, enables and removes, re-validating on every save', async () => {
    const home = await tempHome();
    const id = (await add(home, '--name', 'Before')).stdout.trim();
    const edit = await runCli(
      ['integration', 'edit', id, '--name', 'After', '--severity', 'critical', '--mounts', '/,/home'],
      home,
    );
    assert.equal(edit.code, 0, edit.stderr);
    const bad = await runCli(['integration', 'edit', id, '--url', 'http://example.com'], home);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--url: must use https/);
    assert.equal((await runCli(['integration', 'disable', id], home)).code, 0);
    let shown = JSON.parse((await runCli(['integration', 'list', '--json'], home)).stdout).integrations[0];
    assert.deepEqual(
      [shown.name, shown.severity, shown.mounts, shown.enabled, shown.config.url],
      ['After', 'critical', ['/', '/home'], false, `${receiver.url}/hook`],
    );
    assert.equal((await runCli(['integration', 'enable', id], home)).code, 0);
    shown = JSON.parse((await runCli(['integration', 'list', '--json'], home)).stdout).integrations[0];
    assert.equal(shown.enabled, true);
    assert.equal((await runCli(['integration', 'remove', id], home)).code, 0);
    assert.deepEqual(
      JSON.parse((await runCli(['integration', 'list', '--json'], home)).stdout).integrations,
      [],
    );
    const gone = await runCli(['integration', 'remove', id], home);
    assert.equal(gone.code, 2);
    assert.match(gone.stderr, new RegExp(`no integration with id ${id}`));
  });

  it('reports an integration that cannot be loaded and keeps the others working', async () => {
    const home = await tempHome();
    const id = (await add(home)).stdout.trim();
    const file = join(home, 'integrations.json');
    const data = JSON.parse(await readFile(file, 'utf8'));
    data.integrations.push({
      ...data.integrations[0],
      id: 'webhook-broken',
      name: 'Broken',
      config: { url: 'ftp://nope' },
    });
    await import('node:fs/promises').then((fs) => fs.writeFile(file, JSON.stringify(data)));
    const v = await runCli(['integration', 'validate'], home);
    assert.equal(v.code, 1);
    assert.match(
      v.stdout,
      /✘ Broken \(webhook-broken\): cannot be loaded: invalid settings: url: must be an https:\/\/ URL/,
    );
    // A webhook without a challenge secret has nothing to check: not a green tick, not an error.
    assert.match(v.stdout, new RegExp(`○ .*\\(${id}\\): not checked`));
  });

  it('adds vendor channels with their own flags, naming a flag given to the wrong channel', async () => {
    const home = await tempHome();
    const short = await runCli(
      ['integration', 'add', '--type', 'pagerduty', '--routing-key', 'R0123456789abcdef0123456789abcd'],
      home,
    );
    assert.equal(short.code, 2);
    assert.match(short.stderr, /--routing-key: must be 32 characters, got 31/);
    const wrong = await runCli(
      ['integration', 'add', '--type', 'pagerduty', '--url', 'https://x.test'],
      home,
    );
    assert.equal(wrong.code, 2);
    assert.match(
      wrong.stderr,
      /--url is an option of webhook and alertmanager integrations, not of pagerduty; did you mean --/,
    );
    const ok = await runCli(
      [
        'integration',
        'add',
        '--type',
        'health.pagerduty',
        '--routing-key',
        'R0123456789abcdef0123456789abcde',
        '--severity',
        'critical',
      ],
      home,
    );
    assert.equal(ok.code, 0, ok.stderr);
    const slack = await runCli(
      [
        'integration',
        'add',
        '--type',
        'slack',
        '--webhook-url',
        'https://hooks.slack.test/services/T1/B1/abcdefghijklmnopqrstuvwx',
      ],
      home,
    );
    assert.equal(slack.code, 0, slack.stderr);
    const list = await runCli(['integration', 'list', '--json'], home);
    assert.doesNotMatch(list.stdout, /R0123456789abcdef|abcdefghijklmnopqrstuvwx/);
    const types = JSON.parse(list.stdout).integrations.map(
      (i: { type: string; name: string }) => `${i.type}:${i.name}`,
    );
    assert.deepEqual(types, ['pagerduty:PagerDuty', 'slack:Slack hooks.slack.test']);
  });
});
