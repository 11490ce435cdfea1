import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from '../helpers/node-test.js';
import { createApi } from '../../core/api.js';
import { callApi } from '../../core/api-call.js';
import { lookupMount } from '../../core/mount-table.js';
import { openRuntime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import { channelFor } from '../../shared/channels/registry.js';
import type { Template } from '../../shared/template.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { deliveryRig, transitionOf } from '../helpers/delivery.js';
import { Receiver } from '../helpers/receiver.js';
import { assertReported } from '../helpers/report.js';
import { makePki, type TestPki } from '../helpers/tls.js';

/** The part of every bad value that must never be quoted back. */
const MARK = 'S3CRET';

interface Refusal {
  what: string;
  type: string;
  config: Record<string, string | string[]>;
  template?: Template;
  /** Each expected error: its field, and what it says. */
  errors: [string, RegExp][];
  /** A secret without the mark in it (a key that must be hex, say). */
  secret?: string;
}

const connectionHeaders = [
  'Transfer-Encoding',
  'Content-Length',
  'Connection',
  'Keep-Alive',
  'Upgrade',
  'Expect',
  'TE',
  'Trailer',
  'Host',
  'Proxy-Authorization',
];
/** Set by Headroom (or undici) from the body and the URL. */
const setByHeadroom = ['Content-Length', 'Host'];
const notAVariable = (name: string) =>
  new RegExp(`^\\{\\{${name}\\}\\} is not a variable; use one of \\{\\{host\\}\\}, \\{\\{mount\\}\\}`);
const url = 'https://x.test/hook';

const REFUSALS: Refusal[] = [
  {
    what: 'template variables that are Object.prototype names',
    type: 'webhook',
    config: { url },
    template: {
      title: 'x {{constructor}} {{__proto__}}',
      text: '{{toString}} {{valueOf}}',
      body: '{"a": "{{hasOwnProperty}}"}',
    },
    errors: [
      ['template.title', notAVariable('constructor')],
      ['template.title', notAVariable('__proto__')],
      ['template.text', notAVariable('toString')],
      ['template.text', notAVariable('valueOf')],
      ['template.body', notAVariable('hasOwnProperty')],
    ],
  },
  {
    what: 'headers that belong to the connection',
    type: 'webhook',
    config: { url, headers: connectionHeaders.map((name) => `${name}: ${MARK}-value`) },
    errors: connectionHeaders.map((name, i) => [
      `headers.${i}`,
      setByHeadroom.includes(name)
        ? new RegExp(`^${name} is set by Headroom itself; remove it$`)
        : new RegExp(`^${name} belongs to the HTTP connection and cannot be set`),
    ]),
  },
  {
    what: 'header lines without a name, with a name that is not a token, or values HTTP cannot carry',
    type: 'webhook',
    config: {
      url,
      headers: [
        `Bearer ${MARK}-no-colon`,
        `X Api Key: ${MARK}`,
        `X-Key: ${MARK}-日本`,
        `X-Key: ${MARK}\u0001`,
        `X-Key: ${MARK}\r\nX-Evil: 1`,
        `Authorization: Bearer ${MARK}`,
      ],
    },
    errors: [
      ['headers.0', /^header 1 has no name before a ":"; write each as "Name: value"$/],
      ['headers.1', /^header 2: its name is not a valid header name/],
      ['headers.2', /^the value of X-Key can hold only Latin-1 characters/],
      ['headers.3', /^the value of X-Key cannot contain control characters$/],
      ['headers.4', /^the value of X-Key cannot contain line breaks$/],
      ['headers.5', /^Authorization is set by Headroom itself; use the auth options instead$/],
    ],
  },
  {
    what: 'a bearer token with a line break',
    type: 'webhook',
    config: { url, auth: 'bearer', token: `${MARK}\r\nX-Evil: 1` },
    errors: [['token', /^cannot contain line breaks$/]],
  },
  {
    what: 'a bearer token with characters outside Latin-1',
    type: 'webhook',
    config: { url, auth: 'bearer', token: `${MARK}-日本` },
    errors: [['token', /^can hold only Latin-1 characters/]],
  },
  {
    what: 'a Basic user and password with line breaks',
    type: 'webhook',
    config: { url, auth: 'basic', user: `ops-${MARK}\n`, password: `${MARK}\r\n` },
    errors: [
      ['user', /^cannot contain line breaks or other control characters$/],
      ['password', /^cannot contain line breaks or other control characters$/],
    ],
  },
  {
    what: 'an Alertmanager bearer token with a line break',
    type: 'alertmanager',
    config: { url: 'http://127.0.0.1:9093', auth: 'bearer', token: `${MARK}\n` },
    errors: [['token', /^cannot contain line breaks$/]],
  },
  {
    what: 'an Opsgenie API key with a line break',
    type: 'opsgenie',
    config: { apiKey: '5ec2e75e-0000-4000-8000-5ec2e75e5ec2\r\n' },
    errors: [['apiKey', /^is not an Opsgenie API key/]],
    secret: '5ec2e75e-0000-4000-8000-5ec2e75e5ec2',
  },
  {
    what: 'a PagerDuty routing key with a line break',
    type: 'pagerduty',
    config: { routingKey: `R${MARK}456789abcdef0123456789a\r\n` },
    errors: [['routingKey', /^must be letters and digits only/]],
  },
  {
    what: 'a Slack token with a line break',
    type: 'slack',
    config: { token: `xoxb-${MARK}\n`, channel: '#ops' },
    errors: [['token', /^is not a Slack token/]],
  },
  {
    what: 'a webhook URL with user:password, pointing to --auth basic',
    type: 'webhook',
    config: { url: `https://ops:${MARK}@x.test/hook` },
    errors: [
      [
        'url',
        /^cannot hold a user name or password \(user:password@ is never sent\); use --auth basic with --user and --password$/,
      ],
    ],
  },
  {
    what: 'an Alertmanager URL with user:password',
    type: 'alertmanager',
    config: { url: `http://am:${MARK}@127.0.0.1:9093` },
    errors: [['url', /^cannot hold a user name or password .*; use --auth basic/]],
  },
  {
    what: 'a Discord webhook URL with user:password',
    type: 'discord',
    config: { webhookUrl: `https://u:${MARK}@discord.test/api/webhooks/1/tok` },
    errors: [['webhookUrl', /^cannot hold a user name or password \(user:password@ is never sent\)$/]],
  },
  {
    what: 'a URL with a line break',
    type: 'webhook',
    config: { url: `https://x.test/a\n${MARK}` },
    errors: [['url', /^cannot contain line breaks, tabs or other control characters$/]],
  },
  {
    what: 'a URL still holding a masked query value',
    type: 'webhook',
    config: { url: 'https://x.test/hook?apikey=••••••' },
    errors: [['url', /^still holds a masked value \(••••••\): give the whole URL/]],
  },
];

/** The command-line flags that set these settings. */
function flagsOf(type: string, config: Refusal['config'], template: Template = {}): string[] {
  const flags: string[] = [];
  for (const field of channelFor(type)!.fields)
    for (const value of [config[field.key] ?? []].flat()) flags.push(`--${field.flag}`, value);
  for (const part of ['title', 'text', 'body'] as const)
    if (template[part] !== undefined) flags.push(`--${part}-template`, template[part]);
  return flags;
}

/** The flag a field error is shown under, as `headroom integration` words it. */
function flagOf(type: string, field: string): string {
  const template = /^template\.(\w+)$/.exec(field)?.[1];
  if (template) return `--${template}-template`;
  return `--${channelFor(type)!.fields.find((f) => f.key === field.split('.')[0])!.flag}`;
}

function assertQuotesNoSecret(r: Refusal, text: string): void {
  assert.doesNotMatch(text, new RegExp(MARK, 'i'), `${r.what}: a value was quoted back:\n${text}`);
  if (r.secret) assert.ok(!text.includes(r.secret), `${r.what}: the secret was quoted back:\n${text}`);
}

async function openApi() {
  const dir = await tempHome();
  const runtime = openRuntime(dir);
  const watcher = new Watcher(runtime, { only: [(await lookupMount('/'))!] });
  const api = createApi(watcher, {
    shell: 'web',
    secrets: { protected: false, description: 'plain' },
    getLaunchAtLogin: () => null,
    setLaunchAtLogin: () => {},
  });
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const result = await callApi(api, name, input);
    assert.ok(result.ok, `${name}: ${JSON.stringify(result)}`);
    return result.value as T;
  };
  return { dir, runtime, call };
}

type SaveAnswer = {
  ok: boolean;
  errors?: { field: string; message: string }[];
  integration?: { id: string };
};

describe('unsafe settings are refused at save, naming the field, quoting no value', () => {
  for (const r of REFUSALS) {
    it(`the CLI refuses ${r.what}, and saves nothing`, async () => {
      const home = await tempHome();
      const out = await runCli(
        ['integration', 'add', '--type', r.type, ...flagsOf(r.type, r.config, r.template)],
        home,
      );
      assert.equal(out.code, 2, out.stderr);
      assert.equal(out.stdout, '');
      assert.match(out.stderr, /not saved, the settings need fixing/);
      const lines = out.stderr.split('\n').filter((l) => l.startsWith('  --'));
      assert.equal(lines.length, r.errors.length, out.stderr);
      r.errors.forEach(([field, message], i) => {
        const [flag, said] = [
          lines[i]!.slice(2, lines[i]!.indexOf(': ')),
          lines[i]!.slice(lines[i]!.indexOf(': ') + 2),
        ];
        assert.equal(flag, flagOf(r.type, field), out.stderr);
        assert.match(said, message);
      });
      assertQuotesNoSecret(r, out.stderr);
      assert.ok(!(await readdir(home)).includes('integrations.json'), 'nothing saved');
    });
  }

  it('the web UI API refuses each of them with the field named, and saves nothing', async () => {
    const { runtime, call } = await openApi();
    for (const r of REFUSALS) {
      const answer = await call<SaveAnswer>('integrations.save', {
        type: r.type,
        config: r.config,
        template: r.template,
      });
      assert.equal(answer.ok, false, r.what);
      assert.deepEqual(
        answer.errors!.map((e) => e.field),
        r.errors.map(([field]) => field),
        r.what,
      );
      answer.errors!.forEach((e, i) => assert.match(e.message, r.errors[i]![1], r.what));
      assertQuotesNoSecret(r, JSON.stringify(answer));
      // The form's live preview shows the channel's errors the same way.
      if (!r.template) {
        const preview = await call<{ errors?: { field: string }[] }>('integrations.preview', {
          type: r.type,
          config: r.config,
        });
        assert.deepEqual(
          preview.errors?.map((e) => e.field),
          r.errors.map(([field]) => field),
          r.what,
        );
      }
    }
    const { integrations } = await call<{ integrations: unknown[] }>('integrations.list', {});
    assert.deepEqual(integrations, []);
    await runtime.close();
    assertReported('Unsafe settings refused at save', REFUSALS.length * 2, {
      'kinds of bad value': REFUSALS.length,
    });
  });

  const good = {
    url: 'https://x.test/hook?apikey=K3Y-S3CRET',
    auth: 'bearer',
    token: 'tok-S3CRET',
    headers: ['X-Team: storage'],
  };
  const bad = {
    config: {
      url: `https://ops:${MARK}@x.test/hook`,
      token: `tok\r\nX-Evil: ${MARK}`,
      headers: [`Transfer-Encoding: ${MARK}`],
    },
    template: { title: 'x {{constructor}}' },
  };
  const badFields = ['template.title', 'url', 'headers.0', 'token'];

  it('editing through the CLI refuses them too, and leaves the saved integration as it was', async () => {
    const home = await tempHome();
    const added = await runCli(
      ['integration', 'add', '--type', 'webhook', ...flagsOf('webhook', good)],
      home,
    );
    assert.equal(added.code, 0, added.stderr);
    const id = added.stdout.trim();
    const file = join(home, 'integrations.json');
    const saved = await readFile(file, 'utf8');
    const edit = await runCli(
      ['integration', 'edit', id, ...flagsOf('webhook', bad.config, bad.template)],
      home,
    );
    assert.equal(edit.code, 2);
    for (const field of badFields) assert.match(edit.stderr, new RegExp(`  ${flagOf('webhook', field)}: `));
    assert.doesNotMatch(edit.stderr, /S3CRET/i);
    assert.equal(await readFile(file, 'utf8'), saved, 'integrations.json unchanged');
    // The query value of the URL is masked in the listing, like any secret.
    const list = await runCli(['integration', 'list', '--json'], home);
    assert.equal(JSON.parse(list.stdout).integrations[0].config.url, 'https://x.test/hook?apikey=••••••');
    assert.doesNotMatch((await runCli(['integration', 'list'], home)).stdout + list.stdout, /S3CRET/i);
  });

  it('editing through the API refuses them too; a form sent back with its masked URL keeps the real one', async () => {
    const { runtime, call } = await openApi();
    const added = await call<SaveAnswer>('integrations.save', { type: 'webhook', config: good });
    const id = added.integration!.id;
    const before = runtime.delivery.service.get(id);
    const refused = await call<SaveAnswer>('integrations.save', { id, type: 'webhook', ...bad });
    assert.deepEqual(refused.errors!.map((e) => e.field).sort(), [...badFields].sort());
    assert.deepEqual(runtime.delivery.service.get(id), before, 'the saved integration is unchanged');

    // What the form is given: the URL with its query value masked.
    const { integrations } = await call<{ integrations: { config: { url: string } }[] }>(
      'integrations.list',
      {},
    );
    const shown = integrations[0]!.config.url;
    assert.equal(shown, 'https://x.test/hook?apikey=••••••');
    const preview = await call<{ title?: string }>('integrations.preview', {
      type: 'webhook',
      id,
      config: { url: shown },
    });
    assert.ok(preview.title, JSON.stringify(preview));
    const renamed = await call<SaveAnswer>('integrations.save', {
      id,
      type: 'webhook',
      name: 'Renamed',
      config: { url: shown },
    });
    assert.ok(renamed.ok, JSON.stringify(renamed));
    assert.equal(runtime.delivery.service.get(id)!.config.url, good.url, 'the real key is kept');
    await runtime.close();
  });
});

describe('settings saved before these checks', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makePki();
  });
  const opened = closeAfterEach();

  it('still load; a header undici refuses fails at once as a setting to fix, not retried for a day', async () => {
    const receiver = await Receiver.start(pki);
    const rig = await deliveryRig();
    opened(
      () => rig.close(),
      () => receiver.close(),
    );
    const valid = rig.addWebhook({ url: `${receiver.url}/hook`, ca: pki.ca });
    // As an older version saved them: the store takes what it is given.
    rig.integrations.save({
      ...valid,
      config: { ...valid.config, headers: [`Transfer-Encoding: ${MARK}`] },
    });
    const old = rig.addWebhook({ url: `${receiver.url}/old`, ca: pki.ca });
    rig.integrations.save({
      ...old,
      config: { ...old.config, url: receiver.url.replace('//', `//u:${MARK}@`) + '/old' },
    });
    assert.deepEqual(rig.integrations.load().problems, [], 'both load: nothing goes quiet on upgrade');

    rig.dispatcher.enqueue(...transitionOf('critical'));
    await rig.dispatcher.idle();
    const record = rig.history.list().find((r) => r.integrationId === valid.id)!;
    assert.equal(record.outcome, 'failed');
    assert.equal(record.reasonCode, 'configError');
    assert.equal(record.attempts.length, 1, 'not retried');
    assert.match(record.reason!, /invalid transfer-encoding header.*edit the integration's headers/);
    assert.doesNotMatch(record.reason!, new RegExp(MARK));
    // The one with user:password in its URL alerts as it did before (the URL's credentials unsent).
    assert.equal(rig.history.list().find((r) => r.integrationId === old.id)!.outcome, 'delivered');
    assert.deepEqual(
      receiver.requests.map((r) => r.url),
      ['/old'],
    );
  });
});
