import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { createApi, type ShellHooks } from '../../core/api.js';
import { callApi } from '../../core/api-call.js';
import { lookupMount } from '../../core/mount-table.js';
import { openRuntime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import { runCli, tempHome } from '../helpers/cli.js';

const hooks: ShellHooks = {
  shell: 'web',
  secrets: { protected: false, description: 'plain' },
  getLaunchAtLogin: () => null,
  setLaunchAtLogin: () => {},
};
const HOOK = ['integration', 'add', '--type', 'webhook', '--url', 'https://127.0.0.1:1/hook'];
const ABSOLUTE = /a mount point must be an absolute path, such as \/home/;
const NOWHERE = '/nonexistent/headroom-disk';

async function apiAt(home: string) {
  const runtime = openRuntime(home);
  const watcher = new Watcher(runtime, { only: [(await lookupMount('/'))!] });
  const api = createApi(watcher, hooks);
  return { runtime, call: (name: string, input: unknown) => callApi(api, name, input) };
}

const fileOr = (home: string, name: string) => readFile(join(home, name), 'utf8').catch(() => '(none)');

describe('names and paths are checked when saved, from the CLI and the web UI alike', () => {
  it('refuses control characters in a name and a relative mount, naming the field; nothing is saved', async () => {
    const home = await tempHome();
    for (const [args, message] of [
      [['--name', 'ops\u001b[31mRED'], /--name: a name cannot contain control characters/],
      [['--name', 'two\nlines'], /--name: a name cannot contain control characters/],
      [['--mounts', 'relative/path'], /--mounts: a mount point must be an absolute path/],
      [['--mounts', '/da\u001bta'], /--mounts: a mount point cannot contain control characters/],
    ] as const) {
      const r = await runCli([...HOOK, ...args], home);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    }
    assert.equal(await fileOr(home, 'integrations.json'), '(none)');

    const { call, runtime } = await apiAt(home);
    const named = await call('integrations.save', {
      type: 'webhook',
      name: 'ops\u001b]0;pwned\u0007',
      config: { url: 'https://127.0.0.1:1/hook' },
    });
    assert.ok(named.ok);
    assert.deepEqual(named.value, {
      ok: false,
      errors: [
        {
          field: 'name',
          message: 'a name cannot contain control characters (newlines, tabs, escape sequences)',
        },
      ],
    });
    const mounted = await call('integrations.save', {
      type: 'webhook',
      mounts: ['data'],
      config: { url: 'https://127.0.0.1:1/hook' },
    });
    assert.equal(!mounted.ok && mounted.error.field, 'mounts.0');
    assert.match(!mounted.ok ? mounted.error.message : '', ABSOLUTE);
    const list = await call('integrations.list', {});
    assert.deepEqual(list.ok && (list.value as { integrations: unknown[] }).integrations, []);
    await runtime.close();
  });

  it('refuses relative and prototype keys in settings, naming them; the settings stay as they were', async () => {
    const home = await tempHome();
    for (const [pair, message] of [
      ['watchedMounts=/srv,relative', /watchedMounts\.1: a mount point must be an absolute path/],
      ['ignoredMounts=/srv\u001b[2J', /ignoredMounts\.0: a mount point cannot contain control characters/],
      [
        'mountOverrides.__proto__.warningPercent=30',
        /mountOverrides\.__proto__: a mount point must be an absolute/,
      ],
      [
        'mountOverrides.data.warningPercent=30',
        /mountOverrides\.data: a mount point must be an absolute path/,
      ],
    ] as const) {
      const r = await runCli(['settings', 'set', pair], home);
      assert.equal(r.code, 2, `${pair}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.equal(await fileOr(home, 'settings.json'), '(none)', 'nothing was written');

    const { call, runtime } = await apiAt(home);
    const proto = await call('settings.update', {
      settings: JSON.parse('{"mountOverrides": {"__proto__": {"warningPercent": 30}}}'),
    });
    assert.deepEqual(proto.ok && proto.value, {
      errors: [
        {
          field: 'mountOverrides.__proto__',
          message: 'a mount point must be an absolute path, such as /home or C:\\',
        },
      ],
    });
    const relative = await call('settings.update', { settings: { watchedMounts: ['srv'] } });
    assert.equal(relative.ok && 'errors' in (relative.value as object), true);
    const snooze = await call('alerts.snooze', { mount: 'srv', for: '1h' });
    assert.equal(!snooze.ok && snooze.error.field, 'mount');
    assert.equal(await fileOr(home, 'settings.json'), '(none)');
    assert.equal(await fileOr(home, 'pause.json'), '(none)');
    await runtime.close();

    const r = await runCli(['snooze', 'srv'], home);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /MOUNT "srv": a mount point must be an absolute path/);
  });

  it('saves a mount point that is not mounted now, with a warning that says so', async () => {
    const home = await tempHome();
    const warning = `warning: ${NOWHERE} is not a mount point now; it is watched once something is mounted there.`;
    const set = await runCli(['settings', 'set', `watchedMounts=/,${NOWHERE}`], home);
    assert.equal(set.code, 0, set.stderr);
    assert.ok(set.stderr.includes(warning), set.stderr);
    assert.ok(!set.stderr.includes('warning: / '), 'a mounted path gets no warning');
    const added = await runCli([...HOOK, '--mounts', NOWHERE], home);
    assert.equal(added.code, 0, added.stderr);
    assert.ok(added.stderr.includes(warning), added.stderr);
    // `check` tells a disk never seen from one that went away.
    const check = await runCli(['check', '--json'], home);
    const listed = (JSON.parse(check.stdout) as { mount: string; state: string; reason?: string }[]).find(
      (d) => d.mount === NOWHERE,
    );
    assert.deepEqual(listed && [listed.state, listed.reason], [
      'unreachable',
      'never seen mounted: no such directory',
    ]);
    const snoozed = await runCli(['snooze', NOWHERE], home);
    assert.equal(snoozed.code, 0, snoozed.stderr);
    assert.ok(snoozed.stderr.includes(warning), snoozed.stderr);

    const { call, runtime } = await apiAt(home);
    const other = '/nonexistent/another';
    const saved = await call('settings.update', {
      settings: { mountOverrides: { [other]: { warningPercent: 30 } } },
    });
    assert.deepEqual(saved.ok && (saved.value as { warnings: string[] }).warnings, [
      `${other} is not a mount point now; it is watched once something is mounted there`,
    ]);
    await runtime.close();
  });

  it('still loads settings and integrations saved before these rules, so nothing stops alerting', async () => {
    const home = await tempHome();
    const saved = { warningPercent: 30, criticalPercent: 12, watchedMounts: ['/', 'relative/data'] };
    await writeFile(join(home, 'settings.json'), JSON.stringify(saved), { mode: 0o600 });
    const r = await runCli(['settings', '--json'], home);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      (({ warningPercent, criticalPercent, watchedMounts }) => ({
        warningPercent,
        criticalPercent,
        watchedMounts,
      }))(JSON.parse(r.stdout)),
      saved,
      'kept, not moved aside as corrupt',
    );
    // The next change names what needs fixing, and saves nothing until it is fixed.
    const set = await runCli(['settings', 'set', 'warningPercent=25'], home);
    assert.equal(set.code, 2);
    assert.match(set.stderr, /watchedMounts\.1: a mount point must be an absolute path/);
  });
});
