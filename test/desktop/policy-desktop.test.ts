import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { tempHome } from '../helpers/cli.js';
import { launch } from '../helpers/desktop.js';

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

const cleanup = closeAfterEach();

/** The desktop app (the shipped wiring on the recording fake of Electron) under a policy file. */
async function startUnder(policy: unknown) {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-policy-'));
  const file = join(dir, 'policy.json');
  await writeFile(file, JSON.stringify(policy));
  const home = await tempHome();
  const app = await launch(home, {
    env: {
      HEADROOM_HOME: home,
      XDG_CONFIG_HOME: join(home, 'xdg'),
      HEADROOM_POLICY: file,
      OPS_TOKEN: 'tok-env-1234',
      HEARTBEAT_URL: 'https://127.0.0.1:1/ping-key-SECRET/{host}',
    },
  });
  cleanup(async () => void (await app.quit()));
  const call = async <T>(name: string, input: unknown = {}) =>
    (await app.fake.invoke(name as never, input)) as Result<T>;
  return { app, file, call };
}

describe('the desktop app under an organisation policy', () => {
  it('names the managed settings for the window and refuses to change them, other settings save', async () => {
    const { file, call } = await startUnder({
      settings: { warningPercent: 15, criticalPercent: 5, heartbeatUrl: { env: 'HEARTBEAT_URL' } },
    });
    const got = await call<{
      settings: { warningPercent: number; heartbeatUrl: string };
      managed: { file: string; keys: string[] };
    }>('settings.get');
    assert.ok(got.ok);
    assert.equal(got.value.settings.warningPercent, 15);
    assert.deepEqual(got.value.managed, {
      file,
      keys: ['warningPercent', 'criticalPercent', 'heartbeatUrl'],
    });
    assert.equal(
      got.value.settings.heartbeatUrl,
      'https://127.0.0.1:1/••••••',
      'the window never sees the token',
    );

    const changed = await call<{ errors: { field: string; message: string }[] }>('settings.update', {
      settings: { warningPercent: 30, intervalSeconds: 60 },
    });
    assert.ok(changed.ok);
    assert.deepEqual(
      changed.value.errors.map((e) => e.field),
      ['warningPercent'],
    );
    assert.match(changed.value.errors[0]!.message, /managed by your organisation/);
    // The window sends every field back, the managed ones as it got them: that saves.
    const same = await call<{ settings: { intervalSeconds: number } }>('settings.update', {
      settings: { warningPercent: 15, criticalPercent: 5, intervalSeconds: 60 },
    });
    assert.ok(same.ok && 'settings' in same.value, JSON.stringify(same));
    assert.equal(same.value.settings.intervalSeconds, 60);
    assert.doesNotMatch(JSON.stringify([got, changed, same]), /SECRET/);
  });

  it('shows managed integrations as such and refuses to edit, switch off, remove or add', async () => {
    const { file, call } = await startUnder({
      integrations: [
        {
          id: 'ops-hook',
          type: 'webhook',
          name: 'Ops hook',
          config: { url: 'https://127.0.0.1:1/hook', auth: 'bearer', token: { env: 'OPS_TOKEN' } },
        },
      ],
      userIntegrations: false,
    });
    const list = await call<{
      integrations: { id: string; managed: boolean; secretsSet: string[] }[];
      policy: { file: string; userIntegrations: boolean };
    }>('integrations.list');
    assert.ok(list.ok);
    assert.deepEqual(
      list.value.integrations.map((i) => [i.id, i.managed, i.secretsSet]),
      [['ops-hook', true, ['token']]],
    );
    assert.deepEqual(list.value.policy, { file, userIntegrations: false });
    assert.doesNotMatch(JSON.stringify(list), /tok-env-1234/, 'the renderer never sees the secret');

    for (const [name, input] of [
      ['integrations.setEnabled', { id: 'ops-hook', enabled: false }],
      ['integrations.remove', { id: 'ops-hook' }],
      ['integrations.save', { id: 'ops-hook', type: 'webhook', name: 'Mine now', config: {} }],
      ['integrations.save', { type: 'webhook', name: 'Mine', config: { url: 'https://127.0.0.1:1/x' } }],
    ] as const) {
      const r = await call(name, input);
      assert.ok(!r.ok, `${name} refused`);
      assert.equal(r.error.code, 'forbidden', name);
      assert.match(r.error.message, /your organisation/);
    }
  });

  it('says once at start which parts of the policy do not apply, with file and field', async () => {
    const { app, file } = await startUnder({ settings: { warningPercent: 'twenty', criticalPercent: 5 } });
    const shown = app.fake.notifications.map((n) => n.options);
    const said = shown.find((n) => /policy does not apply/.test(n.title ?? ''));
    assert.ok(said, JSON.stringify(shown));
    assert.match(said.body ?? '', /settings\.warningPercent: must be a number of percent/);
    assert.match(said.body ?? '', new RegExp(`Fix ${file}; the rest of it applies`));
  });
});
