import assert from 'node:assert/strict';
import { before, describe, it } from '../helpers/node-test.js';
import { checkLevel, IntegrationService } from '../../core/delivery/integration-service.js';
import { createTransport } from '../../core/delivery/transport.js';
import { maskedConfig } from '../../shared/mask.js';
import { telegram } from '../../shared/channels/telegram.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { runCli, tempHome } from '../helpers/cli.js';
import { deliveryRig, historyInOrder, transitionOf } from '../helpers/delivery.js';
import { MARKUP_MOUNT } from '../helpers/edge-inputs.js';
import { Receiver, type Received, type Reply } from '../helpers/receiver.js';
import { telegramMock, type Chat } from '../helpers/telegram.js';
import { makePki, type TestPki } from '../helpers/tls.js';

const TOKEN = '7123456789:AAEhBP0av28xUd1Ws4kGqP-5t2zR_TfK0cM';
const GROUP = -1001234567890;
const CHATS: Chat[] = [
  { id: GROUP, type: 'supergroup', title: 'Ops', topics: [42] },
  { id: 555001, type: 'private', username: 'alice', gone: 'blocked' },
  { id: -1009999, type: 'supergroup', title: 'Old ops', gone: 'kicked' },
  { id: -4001, type: 'group', title: 'Legacy', migratedTo: -1004001 },
];

let pki: TestPki;
before(async () => {
  pki = await makePki();
});
const opened = closeAfterEach();

/** The Bot API stand-in on 127.0.0.1 over HTTPS, and the product's dispatcher, history and checks. */
async function bot(handle?: (r: Received) => Reply) {
  const api = telegramMock(TOKEN, CHATS);
  const receiver = await Receiver.start(pki);
  receiver.always(handle ?? api.handle);
  const rig = await deliveryRig({ extraCa: pki.ca });
  const service = new IntegrationService(
    rig.integrations,
    createTransport({ extraCa: pki.ca }),
    () => rig.dispatcher,
  );
  opened(
    () => rig.close(),
    () => receiver.close(),
  );
  const add = (config: Record<string, unknown> = {}, name?: string) =>
    rig.add(
      'telegram',
      { token: TOKEN, chatId: String(GROUP), apiUrl: receiver.url, ...config },
      name ? { name } : {},
    );
  /** Sends these transitions (of /data, or `mount`) and waits until every delivery has ended. */
  async function send(states: [string, string][], mount?: string) {
    for (const [from, to] of states)
      rig.dispatcher.enqueue(...transitionOf(to as never, from as never, mount));
    await rig.dispatcher.idle();
    return historyInOrder(rig.history);
  }
  return { api, receiver, rig, service, add, send };
}

describe('Telegram', () => {
  it('sends an alert, its all-clear as a reply to it, and a test, each as the Bot API documents', async () => {
    const t = await bot();
    const integration = t.add({ linkUrl: 'https://grafana.example.com/@ops/d?var-host=a&from=now-6h' });
    const records = await t.send([
      ['ok', 'critical'],
      ['critical', 'ok'],
    ]);
    const test = await t.service.test(integration);
    assert.deepEqual(
      [...records.map((r) => r.outcome), test.outcome],
      ['delivered', 'delivered', 'delivered'],
      JSON.stringify(records),
    );
    assert.deepEqual(t.api.problems, []);
    const [alert, clear, tested] = t.api.sent;
    assert.equal(t.receiver.requests[0]!.url, `/bot${TOKEN}/sendMessage`);
    assert.equal(alert!.body.parse_mode, 'HTML', 'the default');
    assert.deepEqual(alert!.body.link_preview_options, { is_disabled: true });
    assert.match(alert!.shown, /^Disk critical: \/data on test-host has 5\.0% free\n/);
    assert.ok(
      alert!.shown.endsWith('\nhttps://grafana.example.com/@ops/d?var-host=a&from=now-6h'),
      alert!.shown,
    );
    assert.equal(alert!.replyTo, undefined);
    assert.match(clear!.shown, /^All clear: \/data on test-host is back to 50\.0% free/);
    assert.equal(clear!.replyTo, alert!.messageId, 'the all-clear replies to the alert');
    assert.equal(t.rig.threads.get(integration.id, '/data'), undefined, 'the all-clear ends the thread');
    assert.match(tested!.shown, /^\[TEST\] /);
    assert.equal(tested!.replyTo, undefined);
    // The next time the disk fills up is a new message, not a reply to the old one.
    await t.send([['ok', 'warning']]);
    assert.equal(t.api.sent[3]!.replyTo, undefined);
  });

  it('posts into a topic, in MarkdownV2 too, and waits exactly the retry_after of a 429', async () => {
    const t = await bot();
    t.add({ topicId: '42', parseMode: 'MarkdownV2' });
    t.api.limit(1, 1);
    const [record] = await t.send([['ok', 'warning']]);
    assert.equal(record!.outcome, 'delivered', record!.reason);
    const [limited, sent] = record!.attempts;
    assert.equal(limited!.reason, 'rateLimited');
    assert.match(limited!.message!, /Telegram answered 429 "Too Many Requests: retry after 1"/);
    assert.ok(sent!.at - limited!.at >= 1000, `${sent!.at - limited!.at} ms: retry_after is 1 s`);
    const [message] = t.api.sent;
    assert.equal(message!.body.message_thread_id, 42);
    assert.equal(message!.body.parse_mode, 'MarkdownV2');
    assert.match(message!.shown, /^Disk warning: \/data on test-host has 15\.0% free\n/);
    assert.deepEqual(t.api.problems, []);
  });

  it(
    'shows hostile mount names as written in both parse modes, pinging nobody, within 4096',
    { timeout: 30_000 },
    async () => {
      const t = await bot();
      t.add({}, 'html');
      t.add({ parseMode: 'MarkdownV2' }, 'markdown');
      const mounts = [
        `/srv/${'a'.repeat(595)}`,
        `/mnt/${'👩‍👩‍👧‍👦🇫🇷😀e\u0301'.repeat(120)}`,
        `${MARKUP_MOUNT} @admin </b><i>&amp;`,
        '/mnt/two\nlines\n> quoted *and* `ticked` \\',
        `/${'.'.repeat(5000)}`,
      ];
      for (const mount of mounts) await t.send([['ok', 'critical']], mount);
      const records = t.rig.history.list();
      assert.deepEqual(
        records.map((r) => r.outcome),
        Array(mounts.length * 2).fill('delivered'),
        JSON.stringify(records.map((r) => r.reason)),
      );
      assert.deepEqual(t.api.problems, []);
      for (const [i, mount] of mounts.entries()) {
        for (const message of t.api.sent.slice(i * 2, i * 2 + 2)) {
          const shown = message.shown.replace(/\u200b/g, '');
          assert.ok(message.shown.length <= 4096);
          assert.match(shown, /^Disk critical: /);
          assert.match(shown, / on test-host has 5\.0% free\n/, 'the figures survive the name');
          if (mount.length < 1000)
            assert.ok(shown.startsWith(`Disk critical: ${mount} on`), shown.slice(0, 200));
          assert.doesNotMatch(message.shown, /(?<![\p{L}\p{N}])@[\p{L}\p{N}]/u, 'a live mention');
        }
      }
    },
  );

  it('validates with getMe, then getChat, without posting, and names what to fix', async () => {
    const t = await bot();
    const good = await t.service.check(t.add());
    assert.equal(checkLevel(good), 'ok');
    assert.match(
      good.outcome.kind === 'delivered' ? good.outcome.note! : '',
      /bot @disk_alerts_bot, and it sees the chat "Ops" \(supergroup\)/,
    );
    const badToken = await t.service.check(t.add({ token: '7123456789:AAwrongwrongwrongwrongwrongwrong12' }));
    assert.equal(checkLevel(badToken), 'failed');
    assert.match(
      badToken.outcome.kind === 'failed' ? badToken.outcome.message : '',
      /401 "Unauthorized".*check the bot token/,
    );
    const noChat = await t.service.check(t.add({ chatId: '-100777' }));
    assert.match(
      noChat.outcome.kind === 'failed' ? noChat.outcome.message : '',
      /token works.*"Bad Request: chat not found": .*getUpdates/,
    );
    assert.deepEqual(
      t.receiver.requests.map((r) => r.url.replace(/^\/bot[^/]+\//, '')),
      ['getMe', 'getChat', 'getMe', 'getMe', 'getChat'],
    );
    assert.equal(t.api.sent.length, 0);
    assert.deepEqual(t.api.problems, []);
  });

  it("says how to fix Telegram's refusals: blocked, removed, an upgraded group, a missing topic", async () => {
    const t = await bot();
    t.add({ chatId: '555001' }, 'blocked');
    t.add({ chatId: '-1009999' }, 'kicked');
    t.add({ chatId: '-4001' }, 'migrated');
    t.add({ topicId: '7' }, 'topic');
    const records = await t.send([['ok', 'critical']]);
    const by = Object.fromEntries(records.map((r) => [r.integrationName, r]));
    for (const r of records)
      assert.deepEqual([r.outcome, r.attempts.length], ['failed', 1], r.integrationName);
    assert.match(by.blocked!.reason!, /blocked by the user": the user blocked the bot: .*Restart/);
    assert.match(by.kicked!.reason!, /was kicked.*add it again/);
    assert.match(
      by.migrated!.reason!,
      /upgraded to a supergroup, whose chat id is -1004001; set the chat id to -1004001/,
    );
    assert.match(by.topic!.reason!, /thread not found": the topic does not exist/);
  });

  it('never shows the bot token, though it is in every URL and a server echoes it', async () => {
    const t = await bot((r) => ({
      status: 400,
      body: JSON.stringify({ ok: false, error_code: 400, description: `Bad Request: no ${r.url} here` }),
    }));
    const integration = t.add();
    const [record] = await t.send([['ok', 'critical']]);
    const check = await t.service.check(integration);
    assert.match(record!.reason!, /no \/bot••••\/sendMessage here/);
    const seen = JSON.stringify([
      t.rig.history.list(),
      check,
      maskedConfig(telegram as never, integration.config),
    ]);
    assert.ok(
      t.receiver.requests.every((r) => r.url.includes(TOKEN)),
      'the token was in the path',
    );
    for (const piece of [TOKEN, TOKEN.split(':')[1]!, encodeURIComponent(TOKEN)])
      assert.ok(!seen.includes(piece), `shows ${piece}`);
  });

  it("is added from the command line, a group's negative chat ID after its flag, and validated", async () => {
    const t = await bot();
    const home = await tempHome();
    const env = { NODE_EXTRA_CA_CERTS: pki.files.ca };
    const args = [
      '--type',
      'telegram',
      '--token',
      TOKEN,
      '--chat-id',
      String(GROUP),
      '--api-url',
      t.receiver.url,
    ];
    const added = await runCli(['integration', 'add', ...args, '--parse-mode', 'MarkdownV2'], home, env);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stderr + added.stdout, /bot @disk_alerts_bot, and it sees the chat "Ops"/);
    assert.ok(!(added.stdout + added.stderr).includes(TOKEN), 'the token is not printed');
    const [saved] = JSON.parse((await runCli(['integration', 'list', '--json'], home)).stdout).integrations;
    assert.deepEqual([saved.config.chatId, saved.config.parseMode], [String(GROUP), 'MarkdownV2']);
  });

  it('refuses what is not a token or a chat, naming the field, and takes IDs written as numbers', () => {
    const numbers = telegram.schema.parse({ token: TOKEN, chatId: GROUP, topicId: 42 });
    assert.deepEqual([numbers.chatId, numbers.topicId], [String(GROUP), '42']);
    const r = telegram.schema.safeParse({ token: 'AAE-no-bot-id', chatId: 'ops' });
    assert.deepEqual(
      !r.success && r.error.issues.map((i) => `${i.path.join('.')}: ${i.message.split(':')[0]}`),
      [
        'token: is not a Telegram bot token',
        "chatId: must be a numeric chat id (a person's, a group's -…, a supergroup's or channel's -100…) or a public channel's @username",
      ],
    );
  });
});
