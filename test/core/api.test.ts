import type { Settings } from '../../shared/settings.js';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from '../helpers/node-test.js';
import { createApi, type ShellHooks } from '../../core/api.js';
import { callApi } from '../../core/api-call.js';
import { lookupMount } from '../../core/mount-table.js';
import { openRuntime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { answerChallenge, Receiver } from '../helpers/receiver.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki, type TestPki } from '../helpers/tls.js';

const hooks: ShellHooks = {
  shell: 'web',
  secrets: { protected: false, description: 'plain' },
  getLaunchAtLogin: () => null,
  setLaunchAtLogin: () => {},
};

describe('the API every shell calls (contract-checked)', { skip: await cannotMount }, () => {
  let pki: TestPki;
  let disk: Tmpfs;
  let receiver: Receiver;
  before(async () => {
    pki = await makePki();
    disk = await Tmpfs.mount(20);
    receiver = await Receiver.start(pki);
  });
  after(async () => {
    await receiver.close();
    await disk.dispose();
  });

  async function setup(settings?: Partial<Settings>) {
    const runtime = openRuntime(await tempHome());
    if (settings) runtime.settings.update({ ...runtime.settings.get(), ...settings });
    const watcher = new Watcher(runtime, { only: [(await lookupMount(disk.dir))!] });
    const api = createApi(watcher, hooks);
    const call = (name: string, input?: unknown) => callApi(api, name, input);
    return { runtime, watcher, call };
  }

  it('refuses unknown requests and invalid input with the field named, before any handler runs', async () => {
    const { call, runtime } = await setup();
    assert.deepEqual(await call('fs.readFile', { path: '/etc/passwd' }), {
      ok: false,
      error: { code: 'notFound', message: 'unknown request fs.readFile' },
    });
    const bad = await call('alerts.pause', { minutes: -5 });
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.error.code, 'invalidInput');
    assert.equal(!bad.ok && bad.error.field, 'minutes');
    const extra = await call('integrations.remove', { id: 'x', rm: '-rf' });
    assert.equal(!extra.ok && extra.error.code, 'invalidInput');
    await runtime.close();
  });

  it('saves an integration from a form: field errors, write-only secrets, then Send test', async () => {
    const { call, runtime } = await setup();
    const invalid = await call('integrations.save', {
      type: 'webhook',
      config: { url: 'http://example.com', auth: 'bearer' },
    });
    assert.ok(invalid.ok);
    assert.deepEqual(
      (invalid.value as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['url', 'token'],
    );
    assert.deepEqual(
      (await call('integrations.list')).ok &&
        ((await call('integrations.list')) as { value: { integrations: unknown[] } }).value.integrations,
      [],
    );

    const saved = await call('integrations.save', {
      type: 'webhook',
      name: 'Ops',
      config: { url: receiver.url, ca: pki.ca, auth: 'bearer', token: 'tok-SECRET-1' },
    });
    assert.ok(saved.ok && (saved.value as { ok: boolean }).ok, JSON.stringify(saved));
    const view = (
      saved.value as { integration: { id: string; config: Record<string, unknown>; secretsSet: string[] } }
    ).integration;
    assert.deepEqual(view.secretsSet.sort(), ['ca', 'token']);
    assert.ok(!JSON.stringify(view).includes('tok-SECRET-1'), 'the secret never comes back');

    // The form's preview while editing knows the saved secret is there.
    const preview = await call('integrations.preview', {
      type: 'webhook',
      id: view.id,
      config: { url: receiver.url, auth: 'bearer' },
    });
    assert.ok(preview.ok && 'title' in (preview.value as object), JSON.stringify(preview));

    // Editing without touching the secret keeps it; the test notification still authenticates.
    const renamed = await call('integrations.save', {
      id: view.id,
      type: 'webhook',
      name: 'Ops 2',
      config: { url: receiver.url },
    });
    assert.ok(renamed.ok && (renamed.value as { ok: boolean }).ok);
    const test = await call('integrations.test', { id: view.id });
    assert.ok(test.ok);
    assert.equal((test.value as { outcome: string }).outcome, 'delivered');
    assert.equal(receiver.requests.at(-1)!.headers.authorization, 'Bearer tok-SECRET-1');
    await runtime.close();
  });

  it('refuses an edit whose integration another window changed while the receiver was being checked', async () => {
    const { call, runtime } = await setup();
    const hook = await Receiver.start(pki);
    hook.reply(answerChallenge('crc'), 'hang');
    const saved = await call('integrations.save', {
      type: 'webhook',
      name: 'Ops',
      config: { url: hook.url, ca: pki.ca, challengeSecret: 'crc' },
    });
    const id =
      saved.ok &&
      'integration' in (saved.value as object) &&
      (saved.value as { integration: { id: string } }).integration.id;
    assert.ok(id, JSON.stringify(saved));

    const rename = call('integrations.save', { id, type: 'webhook', name: 'Ops renamed', config: {} });
    await hook.until(() => hook.requests.length === 2);
    assert.ok((await call('integrations.setEnabled', { id, enabled: false })).ok);
    hook.release(answerChallenge('crc'));
    const refused = await rename;
    assert.equal(refused.ok, false);
    assert.match(
      !refused.ok ? refused.error.message : '',
      /^"Ops" \(.+\) was changed elsewhere .* this edit was not saved/,
    );
    const list = await call('integrations.list');
    const [stored] = (list as { value: { integrations: { name: string; enabled: boolean }[] } }).value
      .integrations;
    assert.deepEqual([stored!.name, stored!.enabled], ['Ops', false]);
    await hook.close();
    await runtime.close();
  });

  it('holds alerts while paused and tells integrations what they missed on resume, once', async () => {
    // Each sample is announced as it is read: this is about the pause, not the confirmation.
    const { call, watcher, runtime } = await setup({ confirmSeconds: 0 });
    await call('integrations.save', { type: 'webhook', config: { url: receiver.url, ca: pki.ca } });
    await disk.setFreePercent(50);
    await watcher.checkNow();
    const before = receiver.requests.length;
    assert.ok((await call('alerts.pause', { minutes: 60 })).ok);
    await disk.setFreePercent(5);
    const [d] = await watcher.checkNow();
    assert.equal(d!.state, 'critical');
    await runtime.delivery.dispatcher.idle();
    assert.equal(receiver.requests.length, before, 'nothing sent while paused');
    await call('alerts.resume');
    await runtime.delivery.dispatcher.idle();
    const sent = receiver.requests.slice(before).map((r) => JSON.parse(r.body).severity);
    assert.deepEqual(sent, ['critical']);
    await watcher.checkNow();
    await runtime.delivery.dispatcher.idle();
    assert.equal(receiver.requests.length, before + 1, 'told once');
    await disk.setFreePercent(50);
    await runtime.close();
  });

  it('sends a test with the real figures of a disk the integration hears of, claiming no state', async () => {
    const { call, watcher, runtime } = await setup();
    await disk.setFreePercent(50);
    await watcher.checkNow();
    const saved = await call('integrations.save', {
      type: 'webhook',
      config: { url: receiver.url, ca: pki.ca },
      mounts: [disk.dir],
    });
    const id = (saved.ok && (saved.value as { integration: { id: string } }).integration.id) as string;
    assert.ok((await call('integrations.test', { id })).ok);
    const sent = JSON.parse(receiver.requests.at(-1)!.body) as { message: string; info: string };
    assert.equal(sent.message, `[TEST] ${disk.dir} on ${hostname()} has 50.0% free: a test from Headroom`);
    assert.match(
      sent.info,
      /figures of now \(tmpfs on \S+\): size 20\.0 MiB, 10\.0 MiB used, 10\.0 MiB available\./,
    );
    await runtime.close();
  });

  it('names integrations added without a name uniquely: "PagerDuty", then "PagerDuty 2"', async () => {
    const { call, runtime } = await setup();
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call('integrations.save', {
        type: 'pagerduty',
        config: { routingKey: `R${String(i).repeat(31)}` },
      });
      assert.ok(r.ok && (r.value as { ok: boolean }).ok, JSON.stringify(r));
      names.push((r.value as { integration: { name: string } }).integration.name);
    }
    assert.deepEqual(names, ['PagerDuty', 'PagerDuty 2', 'PagerDuty 3']);
    await runtime.close();
  });

  it('shows the names of saved extra headers to the form, never their values', async () => {
    const { call, runtime } = await setup();
    const saved = await call('integrations.save', {
      type: 'webhook',
      config: { url: receiver.url, ca: pki.ca, headers: ['X-Team: ops-SECRET-9'] },
    });
    assert.ok(saved.ok);
    const view = (saved.value as { integration: { secretHints: Record<string, string[]> } }).integration;
    assert.deepEqual(view.secretHints, { headers: ['X-Team: ••••••'] });
    assert.ok(!JSON.stringify(view).includes('ops-SECRET-9'));
    await runtime.close();
  });

  it('checks settings without saving them, every error at once (validateOnly)', async () => {
    const { call, runtime } = await setup();
    const r = await call('settings.update', {
      settings: { warningPercent: 10, criticalPercent: 20, intervalSeconds: 'often' },
      validateOnly: true,
    });
    assert.ok(r.ok);
    assert.deepEqual((r.value as { errors: { field: string }[] }).errors.map((e) => e.field).sort(), [
      'criticalPercent',
      'intervalSeconds',
    ]);
    const fine = await call('settings.update', { settings: { warningPercent: 30 }, validateOnly: true });
    assert.ok(fine.ok && 'settings' in (fine.value as object));
    const stored = await call('settings.get');
    assert.equal(
      stored.ok && (stored.value as { settings: { warningPercent: number } }).settings.warningPercent,
      20,
    );
    await runtime.close();
  });

  it('validates settings as a whole before saving them', async () => {
    const { call, runtime } = await setup();
    const r = await call('settings.update', { settings: { criticalPercent: 30 } });
    assert.ok(r.ok);
    assert.deepEqual(
      (r.value as { errors: { field: string }[] }).errors.map((e) => e.field),
      ['criticalPercent'],
    );
    const ok = await call('settings.update', { settings: { warningPercent: 30, criticalPercent: 15 } });
    assert.equal(ok.ok && (ok.value as { settings: { warningPercent: number } }).settings.warningPercent, 30);
    await runtime.close();
  });

  it(
    'saves only the keys the form changed: settings the CLI saves at the same moment are kept',
    { timeout: 60_000 },
    async () => {
      const { call, runtime } = await setup();
      const pairs = {
        warningPercent: 31,
        criticalPercent: 11,
        intervalSeconds: 17,
        confirmSeconds: 7,
        heartbeatMinutes: 9,
        usageScanMinutes: 61,
        historyMaxRecords: 5000,
        flappingChanges: 5,
      };
      let running = true;
      const sets = Promise.all(
        Object.entries(pairs).map(([key, value]) =>
          runCli(['settings', 'set', `${key}=${value}`], runtime.dir),
        ),
      ).finally(() => (running = false));
      // The web UI saving one setting again and again meanwhile (each a whole request).
      let saves = 0;
      for (let days = 30; running || saves === 0; days = days === 30 ? 31 : 30, saves++) {
        const r = await call('settings.update', { settings: { historyMaxAgeDays: days } });
        assert.ok(r.ok && !('errors' in (r.value as object)), JSON.stringify(r));
        await new Promise((resolve) => setImmediate(resolve));
      }
      for (const r of await sets) assert.equal(r.code, 0, r.stderr);
      const stored = runtime.settings.get();
      assert.deepEqual(
        Object.fromEntries(Object.keys(pairs).map((k) => [k, stored[k as keyof Settings]])),
        pairs,
        `after ${saves} saves from the web UI`,
      );
      await runtime.close();
    },
  );
});
