import assert from 'node:assert/strict';
import { after, before, describe, it } from '../helpers/node-test.js';
import { attemptDelivery } from '../../core/delivery/attempt.js';
import { createTransport } from '../../core/delivery/transport.js';
import { CHANNELS } from '../../shared/channels/registry.js';
import type { Outcome } from '../../shared/http-outcome.js';
import type { Integration } from '../../shared/integration.js';
import { validateIntegration } from '../../shared/integration-validate.js';
import { sampleConfigs } from '../helpers/channel-samples.js';
import { sampleEvent } from '../helpers/events.js';
import { Receiver, type Received, type Reply } from '../helpers/receiver.js';
import { SUCCESS, VENDOR_CASES, type Expect } from '../helpers/vendor-answers.js';
import { assertReported } from '../helpers/report.js';
import { makeFaultyServers, makePki, type TestPki } from '../helpers/tls.js';

/** Every adapter, and Slack twice: its bot and its incoming webhook answer differently. */
const VARIANTS = [
  // E-mail answers in SMTP replies, not HTTP statuses: its table (250, 4xx, 5xx, 535, refused,
  // untrusted TLS) is in email.test.ts, against a real SMTP server.
  ...CHANNELS.filter((c) => c.type !== 'email').map((c) => ({ name: c.type, type: c.type })),
  { name: 'slack (incoming webhook)', type: 'slack' },
];

/** The status classes, the same for every adapter (the vendor may say more, never less). */
const CLASSES: { name: string; reply: Reply | 'tls'; expect: Expect }[] = [
  {
    name: '301 redirect',
    reply: { status: 301, headers: { location: 'https://elsewhere.example/hook' } },
    expect: {
      kind: 'failed',
      reasons: ['clientError'],
      says: /redirect \(HTTP 301\) to https:\/\/elsewhere/,
    },
  },
  {
    name: '400',
    reply: { status: 400, body: 'Bad Request' },
    expect: { kind: 'failed', reasons: ['clientError', 'vendorError'] },
  },
  {
    name: '401',
    reply: { status: 401, body: 'Unauthorized' },
    expect: { kind: 'failed', reasons: ['authError'] },
  },
  {
    name: '403',
    reply: { status: 403, body: 'Forbidden' },
    expect: { kind: 'failed', reasons: ['authError'] },
  },
  {
    name: '404',
    reply: { status: 404, body: 'Not Found' },
    expect: { kind: 'failed', reasons: ['clientError', 'vendorError'] },
  },
  {
    name: '410',
    reply: { status: 410, body: 'Gone' },
    expect: { kind: 'failed', reasons: ['clientError', 'vendorError'] },
  },
  {
    name: '413',
    reply: { status: 413, body: 'Payload Too Large' },
    expect: { kind: 'failed', reasons: ['clientError'], says: /too large/ },
  },
  {
    name: '429 with Retry-After',
    reply: { status: 429, headers: { 'retry-after': '7' } },
    expect: { kind: 'retry', reasons: ['rateLimited'], retryAfterMs: 7000 },
  },
  {
    name: '429 without Retry-After',
    reply: { status: 429 },
    expect: { kind: 'retry', reasons: ['rateLimited'], retryAfterMs: null },
  },
  {
    name: '500',
    reply: { status: 500, body: 'Internal Server Error' },
    expect: { kind: 'retry', reasons: ['serverError'] },
  },
  {
    name: '502',
    reply: { status: 502, body: 'Bad Gateway' },
    expect: { kind: 'retry', reasons: ['serverError'] },
  },
  {
    name: '503 with Retry-After',
    reply: { status: 503, headers: { 'retry-after': '30' } },
    expect: { kind: 'retry', reasons: ['serverError'] },
  },
  {
    name: 'timeout',
    reply: 'hang',
    expect: { kind: 'retry', reasons: ['timeout'], says: /did not answer in time/ },
  },
  {
    name: 'connection reset',
    reply: 'reset',
    expect: { kind: 'retry', reasons: ['networkError'], says: /connection was closed/ },
  },
  {
    name: 'TLS: untrusted certificate',
    reply: 'tls',
    expect: { kind: 'retry', reasons: ['tlsError'], says: /not trusted/ },
  },
];

/**
 * Every adapter, through the real transport to a real HTTPS server, for every status class and
 * the bodies only its vendor sends: the outcome kind, the reason code, and the plain words.
 */
describe('every adapter classifies every status class', () => {
  let pki: TestPki;
  let servers: Receiver[] = [];
  let untrusted: Receiver;
  const transport = createTransport();
  let cases = 0;
  /** Each variant's integration on its own receiver, answering with `reply` for now. */
  const rigs: { name: string; integration: Integration; receiver: Receiver; onTls: Integration }[] = [];
  let reply: Record<string, (r: Received) => Reply> = {};

  before(async () => {
    pki = await makePki();
    const faulty = await makeFaultyServers(pki);
    untrusted = await Receiver.start(faulty.untrusted);
    untrusted.always({ status: 200, body: 'ok' });
    for (const v of VARIANTS) {
      const receiver = await Receiver.start(pki);
      receiver.always((r) => reply[v.name]!(r));
      servers.push(receiver);
      const make = (base: string) => {
        const samples = sampleConfigs(base);
        const config =
          v.name === 'slack (incoming webhook)'
            ? { webhookUrl: `${base}/services/T1/B1/abcdefghijklmnopqrstuvwx` }
            : { ...samples[v.type], ...(v.type === 'webhook' ? { challengeSecret: undefined } : {}) };
        const parsed = validateIntegration({
          id: `${v.type}-1`,
          name: v.name,
          type: v.type,
          createdAt: 0,
          updatedAt: 0,
          config,
        });
        assert.ok(parsed.ok, JSON.stringify(parsed));
        return parsed.value;
      };
      rigs.push({ name: v.name, integration: make(receiver.url), receiver, onTls: make(untrusted.url) });
    }
  });
  after(async () => {
    await transport.close();
    await untrusted.close();
    for (const s of servers) await s.close();
    servers = [];
  });

  /** One attempt per variant, all at once, against what `answer` gives for each. */
  async function attemptAll(
    target: 'good' | 'tls',
    answer: (variant: string) => (r: Received) => Reply,
    only?: string,
    // Short only where the receiver hangs on purpose: a busy machine takes more than 1.5 s to answer.
    timeoutMs = 20_000,
  ) {
    reply = Object.fromEntries(VARIANTS.map((v) => [v.name, answer(v.name)]));
    const chosen = rigs.filter((r) => !only || r.name === only);
    const tls = createTransport({ extraCa: pki.ca });
    try {
      return await Promise.all(
        chosen.map(async (rig) => {
          const integration = target === 'tls' ? rig.onTls : rig.integration;
          const event = sampleEvent({ from: 'ok', to: 'critical' });
          const { outcome } = await attemptDelivery(event, integration, tls, timeoutMs, Date.now);
          return { name: rig.name, outcome };
        }),
      );
    } finally {
      await tls.close();
      for (const s of servers) s.release(503);
    }
  }

  function check(name: string, outcome: Outcome, expect: Expect) {
    const where = `${name}: ${JSON.stringify(outcome)}`;
    assert.equal(outcome.kind, expect.kind, where);
    if (outcome.kind !== 'delivered') {
      if (expect.reasons) assert.ok(expect.reasons.includes(outcome.reason), where);
      if (expect.says) assert.match(outcome.message, expect.says, where);
      if (expect.retryAfterMs !== undefined && outcome.kind === 'retry')
        assert.equal(outcome.retryAfterMs ?? null, expect.retryAfterMs, where);
    }
    cases++;
  }

  it("2xx with the vendor's own success body: delivered", async () => {
    for (const { name, outcome } of await attemptAll('good', (v) => SUCCESS[v]!))
      check(`${name} 2xx`, outcome, { kind: 'delivered' });
  });

  for (const c of CLASSES) {
    it(`${c.name}: ${c.expect.kind}${c.expect.reasons ? ` (${c.expect.reasons.join(' or ')})` : ''}, in every adapter`, async () => {
      const results =
        c.reply === 'tls'
          ? await attemptAll('tls', () => () => ({ status: 200, body: 'ok' }))
          : await attemptAll(
              'good',
              () => () => c.reply as Reply,
              undefined,
              c.reply === 'hang' ? 1500 : undefined,
            );
      // (Mattermost's 501 and Rocket.Chat's 503 say more than their class: see the vendor cases.)
      for (const { name, outcome } of results) check(`${name} ${c.name}`, outcome, c.expect);
    });
  }

  for (const c of VENDOR_CASES) {
    it(`${c.variant}: ${c.name} is ${c.expect.kind}`, async () => {
      const [{ name, outcome }] = (await attemptAll('good', () => c.reply, c.variant)) as [
        { name: string; outcome: Outcome },
      ];
      check(`${name} ${c.name}`, outcome, c.expect);
    });
  }

  it('is reported in docs/reliability.md', () => {
    assert.equal(cases, VARIANTS.length * (1 + CLASSES.length) + VENDOR_CASES.length);
    assertReported('Status classes, every adapter', cases, {
      channels: VARIANTS.length - 1,
      'answers only one vendor gives': VENDOR_CASES.length,
    });
  });
});
