import assert from 'node:assert/strict';
import { after, describe, it } from '../helpers/node-test.js';
import { tempHome } from '../helpers/cli.js';
import { cliUnder as cli, writePolicy } from '../helpers/policy.js';
import { assertReported } from '../helpers/report.js';

/**
 * One broken part each, beside a valid setting and a valid integration: the broken part is named
 * with the file and its field, and the valid parts apply.
 */
const BROKEN: { name: string; part: Record<string, unknown>; field: RegExp; integration?: boolean }[] = [
  { name: 'an unknown top-level key', part: { rules: [] }, field: /: rules: is not part of a policy/ },
  {
    name: 'a setting of the wrong type',
    part: { settings: { warningPercent: 'twenty' } },
    field: /: settings\.warningPercent: must be a number of percent/,
  },
  {
    name: 'an unknown setting',
    part: { settings: { warnPercent: 30 } },
    field: /: settings\.warnPercent: is not a setting/,
  },
  {
    name: 'a setting that was folded into another',
    part: { settings: { pagingAllClearMaxMinutes: 5 } },
    field: /: settings\.pagingAllClearMaxMinutes: is no longer a setting: .* within flappingSettleMinutes/,
  },
  {
    name: 'a managed threshold that breaks the rules with the defaults',
    part: { settings: { criticalPercent: 25 } },
    field: /: settings\.criticalPercent: must be below warningPercent/,
  },
  {
    name: 'a secret setting given inline',
    part: { settings: { heartbeatUrl: 'https://hc-ping.com/inline-SECRET' } },
    field: /: settings\.heartbeatUrl: is a secret: give \{"file": "\/path"\} or \{"env": "NAME"\}/,
  },
  {
    name: 'a secret file that is missing',
    part: { settings: { heartbeatUrl: { file: 'no-such-file' } } },
    field: /: settings\.heartbeatUrl: cannot read .*no-such-file \(ENOENT\)/,
  },
  {
    name: 'userIntegrations that is not true or false',
    part: { userIntegrations: 'no' },
    field: /: userIntegrations: must be true or false/,
  },
  {
    name: 'an integration of an unknown type',
    part: { integrations: [{ id: 'pager', type: 'pager', config: {} }] },
    field: /type: must be one of/,
    integration: true,
  },
  {
    name: 'an integration without an id',
    part: { integrations: [{ type: 'webhook', config: { url: 'https://127.0.0.1:1/x' } }] },
    field: /id: is required/,
    integration: true,
  },
  {
    name: 'an integration secret given inline',
    part: {
      integrations: [
        {
          id: 'inline',
          type: 'webhook',
          config: { url: 'https://127.0.0.1:1/x', auth: 'bearer', token: 'tok-SECRET-inline' },
        },
      ],
    },
    field: /config\.token: is a secret/,
    integration: true,
  },
  {
    name: 'an integration secret from an unset variable',
    part: {
      integrations: [
        {
          id: 'unset',
          type: 'webhook',
          config: { url: 'https://127.0.0.1:1/x', auth: 'bearer', token: { env: 'HEADROOM_NO_SUCH_VAR' } },
        },
      ],
    },
    field: /config\.token: the environment variable HEADROOM_NO_SUCH_VAR is not set/,
    integration: true,
  },
  {
    name: 'an integration URL the rules refuse',
    part: { integrations: [{ id: 'plain', type: 'webhook', config: { url: 'http://example.com/hook' } }] },
    field: /config\.url: must use https:\/\//,
    integration: true,
  },
  {
    name: 'an integration id used twice',
    part: { integrations: [{ id: 'ok-hook', type: 'webhook', config: { url: 'https://127.0.0.1:2/y' } }] },
    field: /id: is used by an earlier integration of the policy/,
    integration: true,
  },
];

describe('a broken policy', () => {
  let cases = 0;
  after(() => assertReported('Broken policy files', cases));
  const valid = {
    settings: { watchInodes: false },
    integrations: [
      { id: 'ok-hook', type: 'webhook', name: 'Fine', config: { url: 'https://127.0.0.1:1/ok' } },
    ],
  };

  for (const c of BROKEN) {
    it(`with ${c.name}: that part is named with file and field, the rest applies`, async () => {
      const merged = {
        ...valid,
        ...c.part,
        settings: { ...valid.settings, ...(c.part.settings as object) },
        integrations: [...valid.integrations, ...((c.part.integrations as unknown[]) ?? [])],
      };
      const policy = await writePolicy(merged);
      const home = await tempHome();
      if (c.integration) {
        const r = await cli(['integration', 'list', '--json'], home, policy);
        assert.equal(r.code, 0, r.stderr);
        const { integrations, problems } = JSON.parse(r.stdout);
        assert.deepEqual(
          integrations.map((i: { id: string }) => i.id),
          ['ok-hook'],
          'the valid integration applies',
        );
        assert.equal(problems.length, 1, JSON.stringify(problems));
        assert.match(
          problems[0].message,
          new RegExp(`managed by ${policy}, which has it wrong: .*${c.field.source}`),
        );
        assert.match(r.stderr, /1 managed integration\(s\) cannot be loaded/);
      } else {
        const r = await cli(['settings', '--json'], home, policy);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, new RegExp(`headroom: policy ${policy}${c.field.source}`));
        assert.equal(JSON.parse(r.stdout).watchInodes, false, 'the valid setting applies');
      }
      cases++;
    });
  }

  for (const [name, text] of [
    ['not JSON', '{"settings": {"warningPercent": 15'],
    ['not an object', '[{"settings": {}}]'],
  ] as const) {
    it(`that is ${name}: said with the file, and nothing of it applies`, async () => {
      const policy = await writePolicy(text);
      const r = await cli(['settings', '--json'], await tempHome(), policy);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`headroom: policy ${policy}: \\(file\\): .*none of it applies`));
      assert.equal(JSON.parse(r.stdout).warningPercent, 20);
      cases++;
    });
  }

  it('never quotes a secret it refuses', async () => {
    const policy = await writePolicy({
      settings: { heartbeatUrl: 'https://hc-ping.com/inline-SECRET' },
      integrations: [
        {
          id: 'inline',
          type: 'webhook',
          config: { url: 'https://127.0.0.1:1/x', auth: 'bearer', token: 'tok-SECRET-inline' },
        },
      ],
    });
    const home = await tempHome();
    for (const args of [
      ['settings'],
      ['integration', 'list'],
      ['integration', 'list', '--json'],
      ['check', '--json', '--mount', '/'],
    ]) {
      const r = await cli(args, home, policy);
      assert.doesNotMatch(r.stdout + r.stderr, /SECRET/, args.join(' '));
    }
  });
});
