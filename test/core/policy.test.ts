import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from '../helpers/node-test.js';
import { policyLocation } from '../../core/policy/location.js';
import { Policy } from '../../core/policy/policy.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { Receiver } from '../helpers/receiver.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';
import { cliUnder as cli, writePolicy } from '../helpers/policy.js';

describe('where the policy file is', () => {
  it('the system file wins over HEADROOM_POLICY, which is said to be ignored', () => {
    const env = { HEADROOM_POLICY: '/srv/policy.json', ProgramData: 'D:\\Data' };
    assert.deepEqual(
      policyLocation(env, 'linux', () => false),
      { file: '/srv/policy.json' },
    );
    const both = policyLocation(env, 'linux', (f) => f === '/etc/headroom/policy.json');
    assert.equal(both.file, '/etc/headroom/policy.json');
    assert.match(both.ignored!, /HEADROOM_POLICY=\/srv\/policy\.json is ignored: the system policy/);
    assert.equal(policyLocation(env, 'win32', () => true).file, 'D:\\Data\\Headroom\\policy.json');
    assert.equal(
      policyLocation({}, 'darwin', () => true).file,
      '/Library/Application Support/Headroom/policy.json',
    );
    assert.deepEqual(
      policyLocation({}, 'linux', () => false),
      { file: null },
    );
  });

  it('is read again when it or a secret file it names changes, at most once a second', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-policy-'));
    await writeFile(join(dir, 'hb'), 'https://hc-ping.com/one\n');
    const file = await writePolicy({ settings: { heartbeatUrl: { file: 'hb' }, warningPercent: 25 } }, dir);
    let now = 0;
    const policy = new Policy({ file }, {}, () => now);
    const first = policy.current()!;
    assert.equal(first.settings.heartbeatUrl, 'https://hc-ping.com/one');
    await writeFile(join(dir, 'hb'), 'https://hc-ping.com/two-rotated\n');
    assert.equal(policy.current(), first, 'within the second: the same snapshot');
    now += 1000;
    assert.equal(policy.current()!.settings.heartbeatUrl, 'https://hc-ping.com/two-rotated');
    now += 1000;
    assert.equal(policy.current(), policy.current(), 'unchanged: the same object, which stores cache on');
  });
});

describe('managed settings', () => {
  it('apply, are marked and refused to change, and never go into the user’s own file', async () => {
    const home = await tempHome();
    const policy = await writePolicy({ settings: { warningPercent: 15, criticalPercent: 5 } });
    const shown = await cli(['settings'], home, policy);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^warningPercent = 15 {2}\(managed\)$/m);
    assert.match(shown.stdout, /^intervalSeconds = 300$/m);
    assert.match(shown.stderr, new RegExp(`set by your organisation in ${policy}`));

    const refused = await cli(['settings', 'set', 'warningPercent=30'], home, policy);
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr.trim().split('\n').at(-1),
      `headroom: warningPercent is managed by your organisation (${policy}) and cannot be changed here; nothing saved.`,
    );
    const own = await cli(['settings', 'set', 'intervalSeconds=60'], home, policy);
    assert.equal(own.code, 0, own.stderr);
    const file = JSON.parse(await readFile(join(home, 'settings.json'), 'utf8'));
    assert.equal(file.intervalSeconds, 60);
    assert.equal(file.warningPercent, 20, 'the managed value stays out of the user’s file');

    const without = await runCli(['settings', '--json'], home);
    assert.equal(JSON.parse(without.stdout).warningPercent, 20, 'without the policy, the user’s own');
  });

  it('a user value that cannot stand beside a managed one gives way to its default, said so', async () => {
    const home = await tempHome();
    assert.equal((await runCli(['settings', 'set', 'criticalPercent=18'], home)).code, 0);
    const policy = await writePolicy({ settings: { warningPercent: 15, criticalPercent: 5 } });
    const other = await writePolicy({ settings: { warningPercent: 16 } });
    const shown = await cli(['settings', '--json'], home, other);
    assert.equal(JSON.parse(shown.stdout).criticalPercent, 10);
    assert.match(shown.stderr, /your criticalPercent must be below warningPercent .*; the default applies/);
    assert.equal(JSON.parse((await cli(['settings', '--json'], home, policy)).stdout).criticalPercent, 5);
  });
});

describe('headroom check under a policy, on a real tmpfs', { skip: await cannotMount }, () => {
  let disk: Tmpfs;
  before(async () => {
    disk = await Tmpfs.mount(20);
    await disk.setFreePercent(18);
  });
  after(() => disk.dispose());

  it("judges the disk by the organisation's thresholds", async () => {
    const home = await tempHome();
    const own = await runCli(['check', '--json', '--mount', disk.dir], home);
    assert.equal(JSON.parse(own.stdout)[0].state, 'warning');
    assert.equal(own.code, 1);
    const policy = await writePolicy({ settings: { warningPercent: 15, criticalPercent: 5 } });
    const managed = await cli(['check', '--json', '--mount', disk.dir], home, policy);
    assert.equal(JSON.parse(managed.stdout)[0].state, 'ok');
    assert.equal(managed.code, 0);
  });
});

describe(
  'managed integrations, with secrets from files and the environment',
  { skip: await cannotMount },
  () => {
    let pki: TestPki;
    let receiver: Receiver;
    let disk: Tmpfs;
    let watcher: CliProcess | undefined;
    before(async () => {
      pki = await makePki();
    });
    beforeEach(async () => {
      receiver = await Receiver.start(pki);
      disk = await Tmpfs.mount(20);
    });
    afterEach(async () => {
      await watcher?.stop('SIGKILL');
      await receiver.close();
      await disk.dispose();
    });

    it('alert, are read-only here, and replace the user’s own when the policy says so', async () => {
      const home = await tempHome();
      const mine = await runCli(
        [
          'integration',
          'add',
          '--type',
          'webhook',
          '--name',
          'Mine',
          '--url',
          `${receiver.url}/mine`,
          '--ca',
          pki.files.ca,
        ],
        home,
      );
      assert.equal(mine.code, 0, mine.stderr);
      const dir = await mkdtemp(join(tmpdir(), 'headroom-policy-'));
      await writeFile(join(dir, 'ca.pem'), pki.ca);
      const policy = await writePolicy(
        {
          integrations: [
            {
              id: 'ops-hook',
              type: 'webhook',
              name: 'Ops hook',
              severity: 'all',
              config: {
                url: `${receiver.url}/ops`,
                auth: 'bearer',
                token: { env: 'OPS_HOOK_TOKEN' },
                ca: { file: 'ca.pem' },
              },
            },
          ],
          userIntegrations: false,
        },
        dir,
      );
      const env = { OPS_HOOK_TOKEN: 'tok-from-the-environment-1234' };
      const list = await cli(['integration', 'list', '--json'], home, policy, env);
      const listed = JSON.parse(list.stdout);
      assert.deepEqual(
        listed.integrations.map((i: { id: string; managed?: boolean }) => [i.id, i.managed]),
        [['ops-hook', true]],
      );
      assert.equal(listed.integrations[0].config.token, '••••••');
      assert.equal(listed.problems[0].name, 'Mine');
      assert.match(listed.problems[0].message, /not used: your organisation's policy .* allows only its own/);
      assert.doesNotMatch(list.stdout + list.stderr, /tok-from-the-environment/);

      for (const args of [
        ['integration', 'disable', 'ops-hook'],
        ['integration', 'remove', 'ops-hook'],
        ['integration', 'edit', 'ops-hook', '--name', 'Mine now'],
      ]) {
        const r = await cli(args, home, policy, env);
        assert.equal(r.code, 2, args.join(' '));
        assert.match(
          r.stderr,
          /"Ops hook" \(ops-hook\) is managed by your organisation .* cannot be changed here/,
        );
      }
      const add = await cli(
        ['integration', 'add', '--type', 'webhook', '--url', `${receiver.url}/x`],
        home,
        policy,
        env,
      );
      assert.equal(add.code, 2);
      assert.match(add.stderr, /allows only its own integrations: none can be added here/);

      await disk.setFreePercent(50);
      watcher = new CliProcess(['watch', '--json', '--interval', '1', '--mount', disk.dir], home, {
        HEADROOM_POLICY: policy,
        ...env,
      });
      await watcher.waitForStderr(/watching/);
      await disk.setFreePercent(15);
      const delivered = await watcher.waitUntil(
        () => watcher!.jsonLines('delivery').find((d) => d.outcome === 'delivered'),
        'the warning delivered',
      );
      assert.equal(delivered.integrationId, 'ops-hook');
      const posted = receiver.requests.filter((r) => r.method === 'POST');
      assert.deepEqual(
        posted.map((r) => r.url),
        ['/ops'],
        'to the managed integration only',
      );
      assert.equal(posted[0]!.headers.authorization, 'Bearer tok-from-the-environment-1234');
    });

    it('a new policy applies to a running watcher without a restart', async () => {
      const home = await tempHome();
      const dir = await mkdtemp(join(tmpdir(), 'headroom-policy-'));
      const policy = await writePolicy({ settings: { watchInodes: true } }, dir);
      await disk.setFreePercent(18);
      watcher = new CliProcess(['watch', '--json', '--interval', '1', '--mount', disk.dir], home, {
        HEADROOM_POLICY: policy,
      });
      assert.equal((await watcher.transition(1)).to, 'warning', 'the default thresholds: 18% is a warning');
      await writePolicy({ settings: { warningPercent: 15, criticalPercent: 5 } }, dir);
      const next = await watcher.transition(2);
      assert.deepEqual([next.from, next.to], ['warning', 'ok'], "the organisation's thresholds");
    });
  },
);
