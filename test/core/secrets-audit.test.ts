import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from '../helpers/node-test.js';
import { createApi } from '../../core/api.js';
import { callApi } from '../../core/api-call.js';
import { createTransport } from '../../core/delivery/transport.js';
import { lookupMount } from '../../core/mount-table.js';
import { openRuntime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import { keychainSealer } from '../../electron/main/sealer.js';
import { secretValues } from '../../shared/channels/channel.js';
import { CHANNELS, channelFor } from '../../shared/channels/registry.js';
import { EVENTS, REQUESTS, type RequestName } from '../../shared/ipc/names.js';
import { SECRET_MARK, sampleConfigs } from '../helpers/channel-samples.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { transitionOf } from '../helpers/delivery.js';
import { fakeKeychain } from '../helpers/keychain.js';
import { Receiver, type Received, type Reply } from '../helpers/receiver.js';
import { assertReported } from '../helpers/report.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/**
 * E-mail needs an SMTP server to pass its save-time check: email.test.ts proves its password
 * stays out of the history and the check's answer, against a real one.
 */
const HTTP_CHANNELS = CHANNELS.filter((c) => c.type !== 'email');

interface Saved {
  type: string;
  name: string;
  config: Record<string, string | string[]>;
}

/** Every channel's sample, plus the secret shapes the samples lack: a Slack webhook URL, a client key. */
function integrationsToSave(base: string, pki: TestPki): Saved[] {
  const samples = sampleConfigs(base) as Record<string, Saved['config']>;
  return [
    ...HTTP_CHANNELS.map((c) => ({ type: c.type, name: c.type, config: samples[c.type]! })),
    {
      type: 'slack',
      name: 'slack webhook',
      config: { webhookUrl: `${base}/services/T1/B1/${SECRET_MARK}slack` },
    },
    {
      type: 'webhook',
      name: 'webhook mtls',
      config: { url: `${base}/mtls`, auth: 'mtls', cert: pki.clientCert, key: pki.clientKey },
    },
  ];
}

/** Each secret as configured, and as it travels: in URL paths, Basic headers, PEM lines. */
function secretsOf(saved: Saved[]): string[] {
  const all = saved.flatMap(({ type, config }) => {
    const { user, password, key } = config as Record<string, string | undefined>;
    return [
      ...secretValues(channelFor(type)!, config),
      ...(user && password ? [Buffer.from(`${user}:${password}`).toString('base64')] : []),
      ...(key ? key.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----')) : []),
    ];
  });
  return [...new Set(all)];
}

describe('secrets audit: every channel, receivers that echo requests back', () => {
  let pki: TestPki;
  let receiver: Receiver;
  let saved: Saved[];
  let secrets: string[];
  /** Before the sends, the receiver passes every save-time check; then it refuses, quoting the request. */
  let echo = false;

  before(async () => {
    pki = await makePki();
    receiver = await Receiver.start(pki);
    saved = integrationsToSave(receiver.url, pki);
    secrets = secretsOf(saved);
    const challenge = String(saved.find((s) => s.type === 'webhook')!.config.challengeSecret);
    receiver.always((r: Received): Reply => {
      if (echo) {
        // Every part that carries a secret (PagerDuty's is in the body), early: reasons quote 200
        // characters. In the fields each vendor's error reply has, so that every adapter quotes it.
        const said = `you sent ${r.body.slice(0, 60)} ${r.url} ${r.headers.authorization} ${r.headers['x-key']}`;
        return {
          status: 400,
          body: JSON.stringify({
            ok: false,
            success: false,
            error: said,
            message: said,
            description: said,
            errors: [said],
          }),
        };
      }
      const token = new URL(r.url, 'https://x').searchParams.get('crc_token');
      if (token) {
        const digest = createHmac('sha256', challenge).update(token).digest('base64');
        return { status: 200, body: JSON.stringify({ response_token: `sha256=${digest}` }) };
      }
      // What Slack's auth.test, Rocket.Chat's hooks/info and Alertmanager's status want to see.
      return {
        status: 200,
        body: JSON.stringify({ ok: true, success: true, versionInfo: { version: '0' } }),
      };
    });
  });
  after(() => receiver.close());

  function assertNoSecret(where: string, text: string): void {
    for (const secret of secrets) assert.ok(!text.includes(secret), `${where} shows ${secret}:\n${text}`);
    assert.ok(!text.toLowerCase().includes(SECRET_MARK.toLowerCase()), `${where} shows a secret:\n${text}`);
  }

  /** Every file of the data directory is 0600 (folders 0700); with `secretFree`, no secret in any. */
  async function auditDataDir(dir: string, secretFree: boolean): Promise<void> {
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath, entry.name);
      const mode = (await stat(path)).mode & 0o777;
      assert.equal(mode, entry.isDirectory() ? 0o700 : 0o600, `${path} is mode ${mode.toString(8)}`);
      if (secretFree && entry.isFile()) assertNoSecret(path, await readFile(path, 'utf8'));
    }
  }

  it('the desktop app (keychain): nothing in the data directory, API answers or pushed events', async () => {
    echo = false;
    const dir = await tempHome();
    const sealer = await keychainSealer(fakeKeychain(), 'linux');
    const runtime = openRuntime(dir, { sealer, transport: createTransport({ extraCa: pki.ca }) });
    const watcher = new Watcher(runtime, { only: [(await lookupMount('/'))!] });
    const api = createApi(watcher, {
      shell: 'electron',
      secrets: { protected: sealer.protected, description: sealer.description },
      getLaunchAtLogin: () => false,
      setLaunchAtLogin: () => {},
    });
    const said: string[] = [];
    for (const event of EVENTS)
      watcher.events.on(event as 'delivery', (payload) => said.push(`${event}: ${JSON.stringify(payload)}`));
    const called = new Set<string>();
    const call = async <T = unknown>(name: RequestName, input: unknown = {}): Promise<T> => {
      called.add(name);
      const result = await callApi(api, name, input);
      said.push(`${name}: ${JSON.stringify(result)}`);
      assert.ok(result.ok, `${name}: ${JSON.stringify(result)}`);
      return result.value as T;
    };

    const ids: string[] = [];
    for (const { type, name, config } of saved) {
      const result = await call<{ ok: boolean; integration: { id: string } }>('integrations.save', {
        type,
        name,
        config,
      });
      assert.ok(result.ok, `${name}: ${JSON.stringify(result)}`);
      ids.push(result.integration.id);
    }
    await call('app.info');
    await call('channels.list');
    await call('integrations.list');
    await call('disks.list');
    const [first] = await call<{ mount: string }[]>('disks.checkNow');
    for (const range of ['hour', 'day', 'week']) await call('disks.chart', { mount: first!.mount, range });
    await call('settings.get');
    for (const [i, { type }] of saved.entries()) {
      const id = ids[i];
      await call('integrations.preview', { type, id, config: {}, to: 'critical' });
      await call('integrations.setEnabled', { id, enabled: true });
      // An edit that leaves the secrets alone keeps them (and passes the save-time check again).
      await call('integrations.save', { id, type, name: `${id} renamed`, config: {} });
    }

    echo = true;
    for (const [i, { name }] of saved.entries()) {
      await call('integrations.validate', { id: ids[i] });
      const test = await call<{ reason: string }>('integrations.test', { id: ids[i] });
      // The receiver quoted a secret back and it was masked (a client key never travels).
      if (name !== 'webhook mtls') assert.match(test.reason, /you sent .*••••/, name);
    }
    runtime.delivery.dispatcher.enqueue(...transitionOf('critical'));
    await runtime.delivery.dispatcher.idle();
    const failed = await call<{ id: string; test?: boolean }[]>('history.list', { outcome: 'failed' });
    await call('history.retry', { id: failed.find((r) => !r.test)!.id });
    await runtime.delivery.dispatcher.idle();
    await call('history.list');
    await call('settings.update', { settings: { fastDetection: false } });
    await call('alerts.pause', { minutes: 60 });
    await call('alerts.resume');
    await call('alerts.snooze', { mount: '/', for: '1h' });
    await call('alerts.unsnooze', { mount: null });
    await call('integrations.remove', { id: ids.at(-1) });
    // A usage scan of a disk not watched is refused (one of '/', the only watched disk, would
    // read the whole machine); its answers hold paths and sizes, never a secret.
    called.add('usage.scan');
    const refused = await callApi(api, 'usage.scan', { mount: '/not-watched' });
    said.push(`usage.scan: ${JSON.stringify(refused)}`);
    assert.equal(refused.ok, false);
    await call('usage.cancel', { mount: '/' });
    // Opening folders: refused here (no shell to open with), and the refusal holds no secret.
    for (const [name, input] of [
      ['usage.open', { mount: '/', path: '/' }],
      ['usage.openTrash', { mount: '/' }],
    ] as const) {
      called.add(name);
      const answer = await callApi(api, name, input);
      said.push(`${name}: ${JSON.stringify(answer)}`);
      assert.equal(answer.ok, false);
    }
    await runtime.close();

    assert.deepEqual([...called].sort(), [...REQUESTS].sort(), 'every request of the contract was audited');
    for (const answer of said) assertNoSecret('an API answer or event', answer);
    assert.match(await readFile(join(dir, 'integrations.json'), 'utf8'), /"safeStorage:/);
    await auditDataDir(dir, true);
  });

  // About 30 CLI runs one after another: 12 s on a quiet machine, 60 s on one loaded four times over.
  it(
    'the headless CLI: nothing in what add, list, edit, validate, test and history print',
    { timeout: 150_000 },
    async () => {
      echo = false;
      const home = await tempHome();
      const pem = await mkdtemp(join(tmpdir(), 'headroom-pem-'));
      const printed: string[] = [];
      const cli = async (...args: string[]) => {
        const r = await runCli(args, home, { NODE_EXTRA_CA_CERTS: pki.files.ca });
        printed.push(`headroom ${args.slice(0, 2).join(' ')}:\n${r.stdout}\n${r.stderr}`);
        return r;
      };

      const ids: string[] = [];
      for (const { type, name, config } of saved) {
        const flags: string[] = [];
        for (const field of channelFor(type)!.fields) {
          const value = config[field.key];
          if (value === undefined) continue;
          for (const v of [value].flat()) {
            const file = join(pem, `${name}-${field.key}.pem`);
            if (field.kind === 'pem') await writeFile(file, v, { mode: 0o600 });
            flags.push(`--${field.flag}`, field.kind === 'pem' ? file : v);
          }
        }
        const added = await cli('integration', 'add', '--type', type, '--name', name, ...flags);
        assert.equal(added.code, 0, added.stderr);
        ids.push(added.stdout.trim());
      }
      await cli('integration', 'list');
      await cli('integration', 'list', '--json');
      // Editing re-runs the save-time check: the integrations whose channel asks the receiver something.
      for (const [i, { type }] of saved.entries())
        if (channelFor(type)!.check)
          assert.equal((await cli('integration', 'edit', ids[i]!, '--name', `${ids[i]} renamed`)).code, 0);

      echo = true;
      await cli('integration', 'validate');
      await cli('integration', 'test');
      await cli('history');
      await cli('history', '--json');

      // The echoed requests came back masked: the audit looked at real leaks, not empty replies.
      assert.match(printed.join('\n'), /you sent .*••••/);
      for (const output of printed) assertNoSecret(output.split('\n')[0]!, output);
      // Without a keychain the CLI keeps secrets in integrations.json, in the clear but 0600, and says so.
      assert.match(printed[0]!, /Secrets are stored unencrypted in files readable only by you/);
      assertNoSecret('history.jsonl', await readFile(join(home, 'history.jsonl'), 'utf8'));
      await auditDataDir(home, false);
    },
  );

  it('is reported in docs/reliability.md', () => {
    assertReported('Secret values of every channel, echoed back by receivers', secrets.length, {
      channels: HTTP_CHANNELS.length,
    });
  });
});
