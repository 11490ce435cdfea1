import assert from 'node:assert/strict';
import { before, describe, it } from '../helpers/node-test.js';
import { IntegrationService, checkLevel } from '../../core/delivery/integration-service.js';
import { createTransport } from '../../core/delivery/transport.js';
import { utf8Length } from '../../shared/channels/limits.js';
import { previewOf } from '../../shared/channels/preview.js';
import { escapeTeams, MESSAGE_BYTES } from '../../shared/channels/teams-card.js';
import { teams } from '../../shared/channels/teams.js';
import { validateIntegration } from '../../shared/integration-validate.js';
import { cardProblems } from '../helpers/adaptive-card.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { deliveryRig, FAST_RETRY, transitionOf } from '../helpers/delivery.js';
import { EDGE_MOUNTS } from '../helpers/edge-inputs.js';
import { sampleEvent } from '../helpers/events.js';
import { limitViolations } from '../helpers/limits.js';
import { Receiver, type Received, type Reply } from '../helpers/receiver.js';
import { teamsWorkflowMock } from '../helpers/teams-workflow.js';
import { makePki, type TestPki } from '../helpers/tls.js';

const SIG = 'Zx9sigSECRETvalue_0123456789abcdefABCDEF-xyz';
const FLOW = '/workflows/0f1e2d3c4b5a69788796a5b4c3d2e1f0/triggers/manual/paths/invoke';
const QUERY = `api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`;
const LOGIC = `https://prod-23.westeurope.logic.azure.com:443${FLOW}?${QUERY}`;
const POWER_PLATFORM = `https://default0a1b2c3d4e5f60718293a4b5c6d7e8.f9.environment.api.powerplatform.com:443/powerautomate/automations/direct${FLOW}?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SIG}`;

/** A mount meant to format, mention, expand or link in a card, long and full of emoji. */
const HOSTILE =
  '/mnt/{{DATE(2017-02-14T06:08:39Z, SHORT)}} {{TIME(2017-02-14T06:08:39Z)}} ${x} <at>Alice</at> ' +
  '<b>x</b> [click](https://evil.example) **b** _i_ ~~s~~ `c` @here &amp; \\*' +
  `${'👩‍👩‍👧‍👦🇫🇷'.repeat(40)}${'z'.repeat(600)}`;

/** Three UTF-8 bytes a character: the 28 KB, not the characters, is what limits its card. */
const WIDE = `/srv/${'文'.repeat(9000)}`;

/** What a person sees of an escaped text: zero-width spaces and backslash escapes undone. */
const shown = (text: string) => text.replace(/\u200b/g, '').replace(/\\([!-/:-@[-`{-~])/g, '$1');

/** The card's texts that Teams renders as Markdown: the title, the facts' values, the details. */
function markdownTexts(card: { body: { items?: { text: string }[]; facts?: { value: string }[] }[] }) {
  return card.body.flatMap((b) => [
    ...(b.items ?? []).map((i) => i.text),
    ...(b.facts ?? []).map((f) => f.value),
  ]);
}

const cardOf = (body: string) => JSON.parse(body).attachments[0].content;

describe('Microsoft Teams (Workflows webhook, Adaptive Card)', () => {
  let pki: TestPki;
  before(async () => {
    pki = await makePki();
  });
  const opened = closeAfterEach();

  it('renders every card so that the Adaptive Card schema takes it, within 28 KB, hostile names inert', async () => {
    const config = teams.schema.parse({ webhookUrl: LOGIC, linkUrl: 'https://grafana.example.com/d/disks' });
    const bare = teams.schema.parse({ webhookUrl: LOGIC });
    // Usage lines that would start a list and a heading.
    const lines = ['- /srv/a +1 GiB', '# /srv/b'];
    const usage = { root: '/srv', at: 1, since: 0, total: 1, growers: [], lines };
    let cards = 0;
    for (const mount of [HOSTILE, WIDE, ...EDGE_MOUNTS.map((m) => m.mount)])
      for (const [from, to] of [
        ['ok', 'warning'],
        ['warning', 'critical'],
        ['ok', 'unreachable'],
        ['critical', 'ok'],
      ] as const)
        for (const c of [config, bare]) {
          const event = sampleEvent({
            mount,
            from,
            to,
            usage,
            // No figures, only why: the mount comes back in the reason.
            ...(to === 'unreachable'
              ? { reason: `stat ${mount}: EIO`, freePercent: null, available: null, usable: null }
              : {}),
          });
          const body = (await teams.render(event, c)).body!;
          const where = `${from}→${to} ${mount.slice(0, 30)}`;
          assert.ok(utf8Length(body) <= MESSAGE_BYTES, `${where}: ${utf8Length(body)} bytes`);
          assert.deepEqual(limitViolations(JSON.parse(body), teams.limits), [], where);
          const card = cardOf(body);
          assert.deepEqual(cardProblems(card), [], where);
          for (const text of markdownTexts(card)) {
            assert.doesNotMatch(
              text,
              /\{\{|\$\{|<[a-z/!@]|\]\(|(?<!\\)[*_~`]|(?<![\p{L}\p{N}])@[\p{L}\p{N}]/iu,
              `${where}: live in ${text.slice(0, 80)}`,
            );
            assert.doesNotMatch(text, /^(?:[-+#>]|\d+\.\s)/, `${where}: a line that makes a list or heading`);
          }
          // Headroom's words survive, and the mount's start shows as written.
          const heading = shown(card.body[0].items[0].text);
          assert.match(heading, /^(Disk (warning|critical|unreachable)|All clear): /, where);
          assert.ok(heading.includes(mount.slice(0, 12)), `${where}: ${heading.slice(0, 60)}`);
          assert.equal(
            card.body[0].style,
            { warning: 'warning', critical: 'attention', unreachable: 'emphasis', ok: 'good' }[to],
          );
          cards++;
        }
    assert.equal(cards, 6 * 4 * 2);
    // A 10,000-character mount is cut, and the preview says so.
    assert.equal(previewOf(teams, sampleEvent({ mount: EDGE_MOUNTS[1]!.mount }), config).truncated, true);
  });

  it('escapes for both Teams renderers: backslashes before emphasis, a zero-width space in links, tags and functions', () => {
    const Z = '\u200b';
    assert.equal(
      escapeTeams('my_disk *b* [x](y) <at>A</at> {{DATE(1)}} &amp; @here'),
      `my\\_disk \\*b\\* [x]${Z}(y) <${Z}at>A<${Z}/at> {${Z}{DATE(1)}} &${Z}amp; @${Z}here`,
    );
    assert.equal(escapeTeams('- a\n1. b\n50.0 GiB'), `${Z}- a\n${Z}1. b\n50.0 GiB`);
  });

  it('refuses a retired Office 365 connector URL, or one that is no Workflows trigger, naming the field and the fix', async () => {
    const errors = (webhookUrl: string) => {
      const r = validateIntegration({
        id: 't',
        name: 't',
        type: 'teams',
        createdAt: 0,
        updatedAt: 0,
        config: { webhookUrl },
      });
      return r.ok ? [] : r.errors.map((e) => `${e.field}: ${e.message}`);
    };
    for (const retired of [
      'https://contoso.webhook.office.com/webhookb2/1a2b@3c4d/IncomingWebhook/5e6f/7a8b',
      'https://outlook.office.com/webhook/1a2b@3c4d/IncomingWebhook/5e6f/7a8b',
    ])
      assert.match(
        errors(retired).join(),
        /^webhookUrl: is an Office 365 connector URL, and Microsoft has retired Office 365 connectors in Teams: create a Workflows webhook instead \(in Teams, the channel → ⋯ → Workflows → "Post to a channel when a webhook request is received"/,
      );
    assert.match(
      errors('https://hooks.example.com/teams').join(),
      /not a Teams Workflows URL \(its host ends in \.logic\.azure\.com or/,
    );
    assert.match(errors(LOGIC.replace('/paths/invoke', '')).join(), /not a workflow trigger's URL/);
    assert.match(
      errors(LOGIC.replace(/&sig=.*/, '')).join(),
      /has no sig= signature: .*"Who can trigger the flow" to Anyone/,
    );
    assert.deepEqual(errors(LOGIC), []);
    assert.deepEqual(errors(POWER_PLATFORM), []);
    // A trigger's path and signature on another host: a government cloud, a gateway.
    assert.deepEqual(errors(`https://flows.gateway.example${FLOW}?${QUERY}`), []);

    // The same from the command line, under the flag the field declares; the URL is not echoed.
    const home = await tempHome();
    const cli = await runCli(
      [
        'integration',
        'add',
        '--type',
        'teams',
        '--name',
        'Ops',
        '--webhook-url',
        'https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def/SECRETPART',
      ],
      home,
    );
    assert.equal(cli.code, 2, cli.stderr);
    assert.match(cli.stderr, /--webhook-url: is an Office 365 connector URL.*Workflows/);
    assert.doesNotMatch(cli.stderr + cli.stdout, /SECRETPART/);
  });

  /** A Workflows stand-in on 127.0.0.1 over HTTPS, and its trigger's URL there. */
  async function stand(handle: (r: Received) => Reply) {
    const receiver = (await Receiver.start(pki)).always(handle);
    opened(() => receiver.close());
    return { receiver, url: `${receiver.url}${FLOW}?${QUERY}` };
  }

  /** The product's delivery path (outbox, dispatcher, history) on a fresh data directory. */
  async function product() {
    const rig = await deliveryRig({ extraCa: pki.ca, policy: FAST_RETRY });
    opened(() => rig.close());
    const transport = createTransport({ extraCa: pki.ca });
    opened(() => transport.close());
    return { rig, service: new IntegrationService(rig.integrations, transport, () => rig.dispatcher) };
  }

  it('posts an alert, its all-clear and a test through the watcher, and keeps the signature out of the history', async () => {
    const flow = teamsWorkflowMock();
    const at = await stand(flow.handle);
    const { rig, service } = await product();
    const link = 'https://grafana.example.com/d/disks';
    const integration = rig.add('teams', { webhookUrl: at.url, linkUrl: link });
    rig.dispatcher.enqueue(...transitionOf('critical', 'ok'));
    await rig.dispatcher.idle();
    rig.dispatcher.enqueue(...transitionOf('ok', 'critical'));
    await rig.dispatcher.idle();
    const test = await service.test(integration);
    assert.equal(test.outcome, 'delivered');
    assert.match(
      test.reason!,
      /the workflow accepted it; Teams shows it once the flow has run \(if it does not appear, the flow's run history/,
    );

    assert.deepEqual(flow.failedRuns, []);
    const cards = flow.posted as {
      body: { style?: string; items?: { text: string }[] }[];
      actions?: { url: string }[];
    }[];
    assert.deepEqual(
      cards.map((c) => [c.body[0]!.style, shown(c.body[0]!.items![0]!.text).slice(0, 30)]),
      [
        ['attention', 'Disk critical: /data on test-h'],
        ['good', 'All clear: /data on test-host '],
        ['warning', '[TEST] / on test-host has 15.0'],
      ],
    );
    assert.ok(cards.every((c) => c.actions?.[0]?.url === link));
    const records = rig.history.list();
    assert.deepEqual(
      records.map((r) => [r.outcome, r.attempts.map((a) => a.status)]),
      [
        ['delivered', [202]],
        ['delivered', [202]],
        ['delivered', [202]],
      ],
    );
    assert.ok(!JSON.stringify(records).includes(SIG), 'the signature is in the history');
    const sent = at.receiver.requests[0]!;
    assert.equal(sent.headers['content-type'], 'application/json');
    assert.equal(new URL(sent.url, 'https://x').searchParams.get('sig'), SIG);
  });

  it('fails at once with the reason when the flow is off or gone, retries a throttled one, and never echoes the signature', async () => {
    const { rig } = await product();
    rig.add(
      'teams',
      { webhookUrl: (await stand(teamsWorkflowMock({ state: 'Disabled' }).handle)).url },
      { name: 'off' },
    );
    // Gone: a trigger of another name is no workflow there (Logic Apps' WorkflowNotFound).
    const gone = (await stand(teamsWorkflowMock().handle)).url.replace('/manual/', '/deleted/');
    rig.add('teams', { webhookUrl: gone }, { name: 'gone' });
    // Throttled once, then taken; the error quotes the whole request, signature and all.
    const flow = teamsWorkflowMock();
    let throttled = 0;
    const busy = await stand((r) =>
      throttled++ === 0
        ? {
            status: 429,
            headers: { 'retry-after': '0' },
            body: JSON.stringify({
              error: { code: 'WorkflowRequestsThrottled', message: `too many requests to ${r.url}` },
            }),
          }
        : flow.handle(r),
    );
    rig.add('teams', { webhookUrl: busy.url }, { name: 'busy' });
    rig.dispatcher.enqueue(...transitionOf('warning', 'ok'));
    await rig.dispatcher.idle();
    const by = Object.fromEntries(rig.history.list().map((r) => [r.integrationName, r]));
    assert.equal(by.off!.outcome, 'failed');
    assert.equal(by.off!.attempts.length, 1);
    assert.match(
      by.off!.reason!,
      /^Teams Workflows: the workflow is turned off or was deleted: turn it on in Teams → Workflows, or create a new one and give its URL \(HTTP 400, WorkflowTriggerIsNotEnabled: /,
    );
    assert.match(
      by.gone!.reason!,
      /^Teams Workflows: no such workflow \(deleted, or its URL cut short\): copy its URL again, or create a new one and give its URL \(HTTP 404, WorkflowNotFound/,
    );
    assert.deepEqual(
      by.busy!.attempts.map((a) => a.reason ?? a.status),
      ['rateLimited', 202],
    );
    assert.equal(flow.posted.length, 1);
    const all = JSON.stringify(by);
    assert.ok(!all.includes(SIG) && !all.includes(encodeURIComponent(SIG)), all);
  });

  it('Validate says ○ not checkable without posting anything', async () => {
    const at = await stand(teamsWorkflowMock().handle);
    const { rig, service } = await product();
    const report = await service.check(rig.add('teams', { webhookUrl: at.url }));
    assert.equal(checkLevel(report), 'unchecked');
    assert.match(
      report.outcome.kind === 'delivered' ? report.outcome.note! : '',
      /^not checked: .*cannot be asked anything without sending an alert/,
    );
    assert.equal(at.receiver.requests.length, 0);
  });
});
