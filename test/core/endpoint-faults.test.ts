import assert from 'node:assert/strict';
import type { LookupFunction } from 'node:net';
import { afterEach, before, describe, it } from '../helpers/node-test.js';
import { CHANNELS as ALL_CHANNELS } from '../../shared/channels/registry.js';
import type { ReasonCode } from '../../shared/http-outcome.js';
import type { DeliveryRecord } from '../../shared/history.js';
import { MAX_RETRY_AFTER_MS } from '../../shared/retry.js';
import { sampleConfigs } from '../helpers/channel-samples.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { deliveryRig, transitionOf } from '../helpers/delivery.js';
import { Receiver, type Reply } from '../helpers/receiver.js';
import { assertReported } from '../helpers/report.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makeFaultyServers, makePki, type TestPki } from '../helpers/tls.js';

/** The host of the DNS case: only the fake resolver below is ever asked for it. */
const UNRESOLVABLE = 'alerts.headroom.invalid';

interface Fault {
  name: string;
  /** The receiver's certificate (`dns`: no receiver, the name does not resolve). */
  server: 'good' | 'expired' | 'untrusted' | 'wrongHost' | 'dns';
  reply?: Reply;
  reason: ReasonCode;
  /** The plain words the history must show. */
  says: RegExp;
  /** The receiver asked to wait this long (Retry-After): no retry may be planned sooner. */
  waitMs?: number;
}

/**
 * The channels that speak HTTP: e-mail's faults (4xx/5xx replies, a refused login, nothing
 * listening, an untrusted certificate) are in email.test.ts, against a real SMTP server.
 */
const CHANNELS = ALL_CHANNELS.filter((c) => c.type !== 'email');

const FAULTS: Fault[] = [
  {
    name: 'HTTP 5xx',
    server: 'good',
    reply: { status: 502, body: 'Bad Gateway' },
    reason: 'serverError',
    says: /the receiver failed \(HTTP 502\)/,
  },
  {
    name: '429 with Retry-After',
    server: 'good',
    reply: { status: 429, headers: { 'retry-after': '7200' } },
    reason: 'rateLimited',
    says: /rate limit.*\(HTTP 429\)/i,
    waitMs: 7200_000,
  },
  {
    name: 'timeout (never answers)',
    server: 'good',
    reply: 'hang',
    reason: 'timeout',
    says: /did not answer in time/,
  },
  {
    name: 'connection reset mid-body',
    server: 'good',
    reply: 'cut',
    reason: 'networkError',
    says: /connection was closed/,
  },
  {
    name: 'DNS failure',
    server: 'dns',
    reason: 'networkError',
    says: /host name did not resolve.*ENOTFOUND/,
  },
  { name: 'TLS expired certificate', server: 'expired', reason: 'tlsError', says: /certificate has expired/ },
  { name: 'TLS untrusted certificate', server: 'untrusted', reason: 'tlsError', says: /is not trusted/ },
  {
    name: 'TLS certificate for another host',
    server: 'wrongHost',
    reason: 'tlsError',
    says: /for another host/,
  },
];

/** Stands in for the system resolver: every name fails, and no DNS query leaves the machine. */
function failingResolver() {
  const asked: string[] = [];
  const lookup = ((hostname: string, _options: unknown, callback: (error: Error) => void) => {
    asked.push(hostname);
    const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
      code: 'ENOTFOUND',
      hostname,
    });
    process.nextTick(callback, error);
  }) as LookupFunction;
  return { asked, lookup };
}

/** Resolves once every one of `count` deliveries has had its first attempt. */
function firstAttempts(onRecord: (l: (r: DeliveryRecord) => void) => void, count: number) {
  return new Promise<void>((resolve) => {
    const tried = new Set<string>();
    onRecord((r) => {
      if (r.attempts.length > 0) tried.add(r.id);
      if (tried.size === count) resolve();
    });
  });
}

describe('every channel against a faulty endpoint', () => {
  let pki: TestPki;
  let faulty: Awaited<ReturnType<typeof makeFaultyServers>>;
  before(async () => {
    pki = await makePki();
    faulty = await makeFaultyServers(pki);
  });
  const opened = closeAfterEach();
  let casesRun = 0;

  for (const fault of FAULTS) {
    it(`${fault.name}: retried, and the history says why in plain words`, async () => {
      const receiver =
        fault.server === 'dns'
          ? undefined
          : await Receiver.start(fault.server === 'good' ? pki : faulty[fault.server]);
      if (fault.reply) receiver!.always(fault.reply);
      const resolver = failingResolver();
      const rig = await deliveryRig({
        extraCa: pki.ca,
        lookup: resolver.lookup,
        // The first retry would come 30–60 s later: long after this test has looked.
        policy: { firstDelayMs: 60_000, maxDelayMs: 60_000, deadlineMs: 24 * 3600_000 },
        // Short for the hung receiver, yet long enough for a busy machine to finish the handshake.
        timeoutMs: fault.reply === 'hang' ? 2_000 : 10_000,
      });
      opened(
        () => rig.close(),
        async () => receiver?.close(),
      );
      const samples = sampleConfigs(receiver?.url ?? `https://${UNRESOLVABLE}`);
      for (const c of CHANNELS) rig.add(c.type, samples[c.type]!, { name: c.type });
      const tried = firstAttempts((l) => rig.dispatcher.onRecord(l), CHANNELS.length);
      rig.dispatcher.enqueue(...transitionOf('critical'));
      await tried;
      await rig.dispatcher.stop();

      const history = rig.history.list();
      assert.deepEqual(history.map((r) => r.channel).sort(), CHANNELS.map((c) => c.type).sort());
      for (const record of history) {
        const where = `${fault.name} → ${record.channel}: ${JSON.stringify(record)}`;
        const [attempt] = record.attempts;
        assert.equal(record.outcome, 'retrying', where);
        assert.equal(record.attempts.length, 1, where);
        assert.equal(attempt!.result, 'retry', where);
        assert.equal(attempt!.reason, fault.reason, where);
        assert.match(attempt!.message!, fault.says, where);
        assert.equal(record.reasonCode, fault.reason, where);
        assert.match(record.reason!, fault.says, where);
        // A long wait the receiver asked for is said as such (see LONG_RETRY_AFTER_MS), cut to an hour.
        assert.match(record.reason!, fault.waitMs ? /this alert is delayed until/ : /next try in/, where);
        if (fault.waitMs)
          assert.ok(record.nextAttemptAt! - attempt!.at >= Math.min(fault.waitMs, MAX_RETRY_AFTER_MS), where);
        casesRun++;
      }
      // A refused certificate means nothing was sent: no alert (and no credential) reached it.
      if (fault.server !== 'good') assert.equal(receiver?.requests.length ?? 0, 0);
      // (A hung receiver may still be reading a request when its sender gives up.)
      else if (fault.reply !== 'hang') assert.equal(receiver!.requests.length, CHANNELS.length);
      if (fault.server === 'dns')
        assert.ok(resolver.asked.length > 0 && resolver.asked.every((h) => h === UNRESOLVABLE));
      else assert.deepEqual(resolver.asked, [], 'every other case connects to 127.0.0.1 without a lookup');
    });
  }

  it('is reported in docs/reliability.md', () => {
    assertReported('Endpoint faults, every channel', casesRun, { channels: CHANNELS.length });
  });
});

describe('sampling never stops while endpoints fault', { skip: await cannotMount }, () => {
  let disk: Tmpfs | undefined;
  let watcher: CliProcess | undefined;
  const receivers: Receiver[] = [];
  afterEach(async () => {
    await watcher?.stop('SIGKILL');
    for (const r of receivers.splice(0)) await r.close();
    await disk?.dispose();
  });

  it('headroom watch reports every transition while its endpoints hang, cut replies or fail TLS', async () => {
    const pki = await makePki();
    const faulty = await makeFaultyServers(pki);
    // Each integration's endpoint, and what its retrying delivery must say (none for the hung one:
    // its attempt may still be waiting when the test ends, while the other lanes went on).
    const endpoints = [
      { name: 'hangs', receiver: (await Receiver.start(pki)).always('hang'), says: undefined },
      { name: 'cuts', receiver: (await Receiver.start(pki)).always('cut'), says: /connection was closed/ },
      { name: 'expired', receiver: await Receiver.start(faulty.expired), says: /certificate has expired/ },
    ];
    receivers.push(...endpoints.map((e) => e.receiver));
    const home = await tempHome();
    for (const { name, receiver } of endpoints) {
      const flags = ['--type', 'webhook', '--name', name, '--url', receiver.url, '--ca', pki.files.ca];
      const added = await runCli(['integration', 'add', ...flags], home);
      assert.equal(added.code, 0, added.stderr);
    }
    disk = await Tmpfs.mount(20);
    await disk.setFreePercent(50);
    const w = (watcher = new CliProcess(['watch', '--json', '--interval', '1', '--mount', disk.dir], home));
    await w.waitForStderr(/watching/);

    for (const [free, to] of [
      [15, 'warning'],
      [5, 'critical'],
      [15, 'warning'],
      [30, 'ok'],
    ] as const) {
      const n = w.transitions().length + 1;
      await disk.setFreePercent(free);
      assert.equal((await w.transition(n)).to, to);
    }
    for (const { name, receiver, says } of endpoints) {
      if (!says) {
        await receiver.request(1);
        continue;
      }
      const retrying = await w.waitUntil(
        () => w.jsonLines('delivery').find((d) => d.integration === name && d.outcome === 'retrying'),
        `a retrying delivery to "${name}"`,
      );
      assert.match(String(retrying.reason), says);
    }
    assert.equal(w.transitions().length, 4, 'every change was reported, each once');
    assertReported('Watcher whose endpoints fault', endpoints.length);
  });
});
