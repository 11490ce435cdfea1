import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';
import { createApi, type ShellHooks } from '../../core/api.js';
import { callApi } from '../../core/api-call.js';
import { lookupMount } from '../../core/mount-table.js';
import { openRuntime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import { channelFor } from '../../shared/channels/registry.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { sampleEvent } from '../helpers/events.js';
import { makePki } from '../helpers/tls.js';

const hooks: ShellHooks = {
  shell: 'web',
  secrets: { protected: false, description: 'plain' },
  getLaunchAtLogin: () => null,
  setLaunchAtLogin: () => {},
};

/** An RFC 3986 URI (what the vendors' `uri` formats check): no raw `< > | " ^ { }`, `%` only as an escape. */
const PCHARS = String.raw`(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*`;
const RFC3986 = new RegExp(`^https?://[a-z0-9.-]+(?::\\d+)?${PCHARS}(?:#${PCHARS})?$`);

const HOOK = 'https://hooks.slack.example/services/T1/B1/x';
const TYPED = 'https://grafana.example.com/d/disks?var-mount=/a<b>|c"d&x={1}^2#panel|"3"';
const STORED =
  'https://grafana.example.com/d/disks?var-mount=/a%3Cb%3E%7Cc%22d&x=%7B1%7D%5E2#panel%7C%223%22';

async function apiOf() {
  const runtime = openRuntime(await tempHome());
  const watcher = new Watcher(runtime, { only: [(await lookupMount('/'))!] });
  const api = createApi(watcher, hooks);
  const call = async (name: string, input?: unknown) => {
    const r = await callApi(api, name, input);
    assert.ok(r.ok, JSON.stringify(r));
    return r.value as Record<string, unknown>;
  };
  return { runtime, call, raw: (name: string, input?: unknown) => callApi(api, name, input) };
}

/** The link as Discord's embed and Alertmanager's generatorURL carry it, for a stored config. */
async function carried(config: Record<string, unknown>): Promise<string[]> {
  const discord = channelFor('discord')!;
  const am = channelFor('alertmanager')!;
  const d = JSON.parse(
    (
      await discord.render(
        sampleEvent(),
        discord.schema.parse({ webhookUrl: 'https://d.example/api/webhooks/1/t', ...config }),
      )
    ).body!,
  );
  const a = JSON.parse(
    (await am.render(sampleEvent(), am.schema.parse({ url: 'https://am.example', ...config }))).body!,
  );
  return [d.embeds[0].url, ...a.map((x: { generatorURL: string }) => x.generatorURL)];
}

describe('a link with characters a URI cannot hold raw', () => {
  it('is stored percent-encoded from the window form (API), which says so', { timeout: 30_000 }, async () => {
    assert.doesNotMatch(TYPED, RFC3986, 'the typed link is not a URI: the test can fail');
    const { runtime, call } = await apiOf();
    try {
      const saved = await call('integrations.save', {
        type: 'discord',
        config: { webhookUrl: 'https://discord.example/api/webhooks/1/tok', linkUrl: TYPED },
        skipCheck: true,
      });
      assert.equal(saved.ok, true, JSON.stringify(saved));
      const { id } = saved.integration as { id: string };
      const stored = runtime.delivery.service.get(id)!.config.linkUrl as string;
      assert.equal(stored, STORED);
      // The note shows it as stored (query values masked, as every URL's are once saved).
      assert.deepEqual(saved.warnings, [
        'Link is stored as https://grafana.example.com/d/disks?var-mount=••••••&x=••••••#panel%7C%223%22: ' +
          'characters a URL cannot carry as typed are percent-encoded',
      ]);
      for (const url of await carried({ linkUrl: stored })) assert.match(url, RFC3986);
      // Opened in a browser, it is the same link.
      assert.equal(
        new URL(STORED).searchParams.get('var-mount'),
        new URL(TYPED).searchParams.get('var-mount'),
      );
    } finally {
      await runtime.close();
    }
  });

  it('is the only field said to be stored otherwise: a CA certificate is kept as given, without a note', async () => {
    const { ca } = await makePki();
    const { runtime, call } = await apiOf();
    try {
      for (const type of ['ntfy', 'email', 'webhook']) {
        const config = {
          ntfy: { topic: 'disks' },
          email: { host: 'smtp.example.com', from: 'a@example.com', to: ['b@example.com'] },
          webhook: { url: 'https://hooks.example.com/disks' },
        }[type];
        const saved = await call('integrations.save', { type, config: { ...config, ca }, skipCheck: true });
        assert.equal(saved.ok, true, JSON.stringify(saved));
        assert.deepEqual(saved.warnings, [], `${type}: ${JSON.stringify(saved.warnings)}`);
      }
    } finally {
      await runtime.close();
    }
  });

  it('is stored the same way from the CLI, which prints what it stored', { timeout: 60_000 }, async () => {
    const home = await tempHome();
    const add = await runCli(
      [
        'integration',
        'add',
        '--type',
        'alertmanager',
        '--url',
        'https://am.example',
        '--link-url',
        TYPED,
        '--no-check',
      ],
      home,
    );
    assert.equal(add.code, 0, add.stderr);
    assert.match(
      add.stderr,
      /Link is stored as https:\/\/grafana\.example\.com\/d\/disks\?.*#panel%7C%223%22/,
    );
    const file = JSON.parse(await readFile(join(home, 'integrations.json'), 'utf8'));
    const stored = file.integrations[0].config.linkUrl as string;
    assert.equal(stored, STORED);
    for (const url of await carried({ linkUrl: stored })) assert.match(url, RFC3986);
  });
});

describe('integrations.save takes only the settings it knows', () => {
  it(
    'refuses a key of no setting, naming it, at the top level and in config',
    { timeout: 30_000 },
    async () => {
      const { runtime, call, raw } = await apiOf();
      try {
        const top = await raw('integrations.save', {
          type: 'slack',
          colour: 'red',
          config: { webhookUrl: 'https://hooks.slack.example/services/T1/B1/x' },
          skipCheck: true,
        });
        assert.ok(!top.ok && top.error.field === 'colour', JSON.stringify(top));
        assert.match(!top.ok ? top.error.message : '', /colour: is not a known setting/);
        const inConfig = await call('integrations.save', {
          type: 'slack',
          config: { webhookUrl: 'https://hooks.slack.example/services/T1/B1/x', chanel: '#ops' },
          skipCheck: true,
        });
        assert.deepEqual(inConfig.errors, [
          {
            field: 'chanel',
            message: 'is not a Slack setting; its settings are token, channel, webhookUrl, apiUrl, linkUrl',
          },
        ]);
        assert.deepEqual((await call('integrations.list')).integrations, [], 'nothing was saved');
      } finally {
        await runtime.close();
      }
    },
  );

  it('shows no API URL for a Slack incoming webhook (only a bot has one)', { timeout: 30_000 }, async () => {
    const { runtime, call } = await apiOf();
    try {
      const hook = await call('integrations.save', {
        type: 'slack',
        config: { webhookUrl: 'https://hooks.slack.example/services/T1/B1/x' },
        skipCheck: true,
      });
      assert.equal(hook.ok, true, JSON.stringify(hook));
      const [listed] = (await call('integrations.list')).integrations as { config: object }[];
      assert.ok(!('apiUrl' in listed!.config), JSON.stringify(listed!.config));
      const bot = await call('integrations.save', {
        type: 'slack',
        config: { token: 'xoxb-1-2-abc', channel: '#ops' },
        skipCheck: true,
      });
      assert.equal(
        (bot.integration as { config: { apiUrl: string } }).config.apiUrl,
        'https://slack.com/api',
      );
      // One saved before, with the default the schema then gave every Slack integration, loads without it.
      const old = channelFor('slack')!.schema.parse({ webhookUrl: HOOK, apiUrl: 'https://slack.com/api' });
      assert.ok(!('apiUrl' in (old as object)));
      // An API URL of its own beside a webhook is refused: it would be ignored.
      const both = await call('integrations.save', {
        type: 'slack',
        config: { webhookUrl: HOOK, apiUrl: 'https://slack-gov.com/api' },
        skipCheck: true,
      });
      assert.deepEqual(
        (both.errors as { field: string }[]).map((e) => e.field),
        ['apiUrl'],
      );
    } finally {
      await runtime.close();
    }
  });
});
