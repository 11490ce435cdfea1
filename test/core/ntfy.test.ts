import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { before, describe, it } from '../helpers/node-test.js';
import type { Integration } from '../../shared/integration.js';
import { validateIntegration } from '../../shared/integration-validate.js';
import { closeAfterEach } from '../helpers/cleanup.js';
import { MARKUP_MOUNT } from '../helpers/edge-inputs.js';
import { ntfyMock, type NtfyUser } from '../helpers/ntfy-mock.js';
import { wellFormed } from '../helpers/text.js';
import { makePki, type TestPki } from '../helpers/tls.js';
import { vendorRig } from '../helpers/vendor-rig.js';

const TOKEN = 'tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2';
const TOPIC = 'disk-alerts';
const LINK = 'https://grafana.example.com/d/disks?var-host=test-host';
const USERS: NtfyUser[] = [
  { name: 'phil', token: TOKEN, access: { [TOPIC]: 'read-write' } },
  { name: 'reader', token: 'tk_readonly00000000000000000000', access: { [TOPIC]: 'read-only' } },
  { name: 'pusher', token: 'tk_writeonly0000000000000000000', access: { [TOPIC]: 'write-only' } },
  { name: 'zoë', password: 'pässwörd:1', access: { [TOPIC]: 'read-write' } },
];

let pki: TestPki;
before(async () => {
  pki = await makePki();
});
const opened = closeAfterEach();

/**
 * The ntfy stand-in on 127.0.0.1 over HTTPS (auth on, nothing open to anonymous users but the
 * "open" topic), and the product's dispatcher, outbox, history and integration service.
 */
async function server() {
  const ntfy = ntfyMock({ users: USERS, defaultAccess: 'deny-all', anonymous: { open: 'read-write' } });
  const v = await vendorRig(pki, ntfy.handle, opened);
  const add = (config: Record<string, unknown>, extra: Partial<Integration> = {}) =>
    v.rig.add('ntfy', { serverUrl: v.receiver.url, topic: TOPIC, ...config }, extra);
  return { ...v, ntfy, add };
}

describe('ntfy', () => {
  it('publishes an alert, its all-clear (replacing it on the phone) and a test, each with its priority, tags and link', async () => {
    const { ntfy, receiver, service, add, send, rig } = await server();
    const integration = add({ auth: 'token', token: TOKEN, tags: ['floppy_disk', 'prod'], linkUrl: LINK });
    const records = await send([
      ['ok', 'critical'],
      ['critical', 'ok'],
    ]);
    const test = await service.test(integration);
    assert.deepEqual(
      [...records.map((r) => r.outcome), test.outcome],
      ['delivered', 'delivered', 'delivered'],
    );
    assert.deepEqual(ntfy.problems, []);
    for (const r of receiver.requests) {
      assert.deepEqual([r.method, r.url, r.headers['content-type']], ['POST', '/', 'application/json']);
      assert.equal(r.headers.authorization, `Bearer ${TOKEN}`);
    }
    const [alert, clear, probe] = ntfy.published;
    assert.equal(alert!.title, 'Disk critical: /data on test-host has 5.0% free');
    assert.match(
      alert!.message,
      /^50 B free of 1000 B \(ext4 on \/dev\/sdb1\)\. Warning below 20% free, critical below 10%/,
    );
    assert.deepEqual(
      [alert, clear, probe].map((m) => [m!.priority, m!.tags, m!.click, m!.user]),
      [
        [5, ['rotating_light', 'floppy_disk', 'prod'], LINK, 'phil'],
        [3, ['white_check_mark', 'floppy_disk', 'prod'], LINK, 'phil'],
        [3, ['test_tube', 'floppy_disk', 'prod'], LINK, 'phil'],
      ],
    );
    assert.match(clear!.title!, /^All clear: \/data on test-host is back to/);
    assert.match(probe!.title!, /^\[TEST\] /);
    assert.equal(alert!.markdown, undefined, 'plain text: nothing in a mount name formats');
    // The all-clear carries the alert's sequence ID; the test has none of its own to replace.
    assert.match(alert!.sequence_id!, /^headroom-[0-9a-f]{16}$/);
    assert.equal(clear!.sequence_id, alert!.sequence_id);
    assert.equal(probe!.sequence_id, undefined);
    assert.deepEqual(
      [...ntfy.drawer.values()].map((m) => m.title!.slice(0, 7)),
      ['All cle', '[TEST] '],
      'the phone shows the all-clear in place of the alert, and the test',
    );
    const history = JSON.stringify(rig.history.list());
    assert.ok(!history.includes(TOKEN) && !history.includes(TOKEN.slice(3)), 'no token in the history');
  });

  it('says what to fix on a wrong token, a topic it may not write, and a rate limit (retried), never quoting the token', async () => {
    const { ntfy, receiver, add, send, rig } = await server();
    const wrong = 'tk_wrongwrongwrongwrongwrong0000';
    add({ auth: 'token', token: wrong });
    add({ auth: 'token', token: 'tk_readonly00000000000000000000' });
    const [a, b] = await send([['ok', 'warning']]);
    const byWords = [a!, b!].sort((x, y) => (x.reason! < y.reason! ? -1 : 1));
    assert.deepEqual(
      byWords.map((r) => [r.outcome, r.attempts.length, r.reasonCode]),
      [
        ['failed', 1, 'authError'],
        ['failed', 1, 'authError'],
      ],
    );
    assert.match(
      byWords[0]!.reason!,
      /ntfy did not accept the access token \(HTTP 401, 40101 "unauthorized"\): check the access token/,
    );
    assert.match(
      byWords[1]!.reason!,
      /ntfy forbids the access token to publish to topic "disk-alerts" on https:\/\/127\.0\.0\.1:\d+ \(HTTP 403, 40301 "forbidden"\): check the access token and the topic's access; the user needs write access/,
    );
    const history = JSON.stringify(rig.history.list());
    assert.ok(!history.includes(wrong.slice(3)) && !history.includes('readonly0000'), history);

    // A rate limit (ntfy sends no Retry-After itself; a proxy in front may): retried, then delivered.
    const fresh = await server();
    fresh.add({ auth: 'token', token: TOKEN });
    fresh.receiver.reply({
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '0' },
      body: JSON.stringify({ code: 42901, http: 429, error: 'limit reached: too many requests' }),
    });
    const [limited] = await fresh.send([['warning', 'critical']]);
    assert.deepEqual(
      limited!.attempts.map((x) => x.reason ?? x.status),
      ['rateLimited', 200],
    );
    assert.equal(fresh.ntfy.published.length, 1);
    assert.equal(ntfy.published.length + receiver.requests.length, 2, 'the refused ones published nothing');
  });

  it('validates with GET /<topic>/auth, publishing nothing: accepted, refused, write-only and open topics in plain words', async () => {
    const { ntfy, receiver, service, add } = await server();
    const noteOf = async (config: Record<string, unknown>) => {
      const report = await service.check(add(config));
      return [
        report.checked,
        report.outcome.kind,
        report.outcome.kind === 'delivered' ? report.outcome.note : report.outcome.message,
      ];
    };
    const host = receiver.url.replace(/[.]/g, '\\.');
    const good = await noteOf({ auth: 'token', token: TOKEN });
    assert.deepEqual(good.slice(0, 2), [true, 'delivered']);
    assert.match(
      String(good[2]),
      new RegExp(`^${host} accepts the access token for topic "disk-alerts" \\(checked for reading`),
    );
    const basic = await noteOf({ auth: 'basic', user: 'zoë', password: 'pässwörd:1' });
    assert.match(String(basic[2]), /accepts the user and password for topic "disk-alerts"/);
    const wrong = await noteOf({ auth: 'token', token: 'tk_wrongwrongwrongwrongwrong0000' });
    assert.deepEqual(wrong.slice(0, 2), [true, 'failed']);
    assert.match(String(wrong[2]), /did not accept the access token \(HTTP 401, 40101/);
    const writeOnly = await noteOf({ auth: 'token', token: 'tk_writeonly0000000000000000000' });
    assert.match(
      String(writeOnly[2]),
      /the access token may not read topic "disk-alerts" .*\(HTTP 403, 40301 "forbidden"\).*if these credentials may only write, save without checking and use Send test/,
    );
    const anonymous = await noteOf({ topic: 'open' });
    assert.match(String(anonymous[2]), /topic "open" is open: .* lets anyone who knows its name read it/);
    const closed = await noteOf({});
    assert.match(String(closed[2]), /^anyone without credentials may not read topic "disk-alerts" on /);
    assert.deepEqual(
      receiver.requests.map((r) => `${r.method} ${r.url}`),
      [...Array(4).fill('GET /disk-alerts/auth'), 'GET /open/auth', 'GET /disk-alerts/auth'],
    );
    assert.equal(ntfy.published.length, 0);
  });

  it(
    'delivers hostile mount names whole where they fit, within 4,096-byte messages and 8,192-byte bodies',
    { timeout: 30_000 },
    async () => {
      const { ntfy, add, send } = await server();
      add({ auth: 'token', token: TOKEN });
      // A template that says the mount three times makes the message as long as the title can be.
      const TEMPLATE = 'Disk {{mount}} on {{host}}: {{mount}} / {{mount}}';
      add({ auth: 'token', token: TOKEN }, { template: { text: TEMPLATE } });
      const mounts = [
        `/srv/${'a'.repeat(595)}`,
        `/mnt/${'👩‍👩‍👧‍👦🇫🇷😀e\u0301'.repeat(120)}`,
        `${MARKUP_MOUNT} @here @everyone`,
        '/mnt/new\nline\r\n\ttab "quoted" \\ back',
        `/mnt/${'\u0001'.repeat(1500)}`,
        `/mnt/${'日本語'.repeat(1000)}`,
      ];
      for (const mount of mounts) {
        const records = await send(
          [
            ['ok', 'critical'],
            ['critical', 'ok'],
          ],
          mount,
        );
        assert.deepEqual(
          records.slice(-2).map((r) => r.outcome),
          ['delivered', 'delivered'],
          JSON.stringify(records.at(-1)?.reason),
        );
      }
      assert.deepEqual(ntfy.problems, []);
      assert.equal(ntfy.published.length, mounts.length * 4);
      let cut = 0;
      for (const [i, m] of ntfy.published.entries()) {
        const mount = mounts[Math.floor(i / 4)]!;
        const where = `${JSON.stringify(mount.slice(0, 20))} ${m.title?.slice(0, 30)}`;
        assert.ok(m.bytes <= 8192 && Buffer.byteLength(m.message) <= 4096, where);
        assert.ok([m.title!, m.message].every(wellFormed), `${where}: a lone surrogate`);
        assert.ok(m.title!.includes(mount.slice(0, 6)), `${where}: the mount's start is in the title`);
        assert.match(m.title!, /(has 5\.0% free|is back to 50\.0% free)$/, `${where}: the figures survive`);
        if (m.message.startsWith('Disk ')) {
          // A template's text is the user's own: cut at its end, never inside a character.
          assert.ok(m.message.startsWith(`Disk ${mount.slice(0, 5)}`), where);
          if (m.message.includes('…')) cut++;
        } else assert.match(m.message, /^50{1,2} B free of 1000 B \(ext4 on \/dev\/sdb1\)/, where);
      }
      // Cut to fit: 3 × 3,005 CJK characters (27 KB), 3 × 1,505 control characters (27 KB as JSON).
      assert.ok(cut >= 4, `${cut} templated messages were cut to fit`);
      // Short enough to fit: sent exactly as written, newlines, quotes and markup included.
      for (const mount of [mounts[2]!, mounts[3]!])
        assert.ok(
          ntfy.published.some((m) => m.title === `Disk critical: ${mount} on test-host has 5.0% free`),
        );
    },
  );

  it('refuses settings ntfy cannot use, naming the field and the fix', () => {
    const errors = (config: Record<string, unknown>) => {
      const r = validateIntegration({ id: 'n', name: 'n', type: 'ntfy', createdAt: 0, updatedAt: 0, config });
      return r.ok ? r.value.config : r.errors.map((e) => `${e.field}: ${e.message}`).join('\n');
    };
    assert.deepEqual(errors({ topic: 'disks' }), {
      serverUrl: 'https://ntfy.sh',
      topic: 'disks',
      auth: 'none',
      tags: [],
    });
    assert.match(String(errors({ topic: 'my disks' })), /topic.*1 to 64 letters .*no spaces, no "\/"/);
    assert.match(String(errors({ topic: 'x'.repeat(65) })), /topic.*1 to 64/);
    assert.match(
      String(errors({ topic: 'docs' })),
      /topic.*"docs" is one of the names ntfy keeps for its own pages/,
    );
    assert.match(
      String(errors({ topic: 'disks', serverUrl: 'https://ntfy.sh/disks' })),
      /serverUrl.*without a path: the topic \("disks"\?\) goes in --topic/,
    );
    assert.match(
      String(errors({ topic: 'disks', serverUrl: 'http://ntfy.example.com' })),
      /serverUrl.*https:\/\//,
    );
    assert.match(String(errors({ topic: 'disks', auth: 'token', token: 'abc' })), /token.*start with "tk_"/);
    assert.match(String(errors({ topic: 'disks', auth: 'token' })), /token.*required with --auth token/);
    assert.match(
      String(errors({ topic: 'disks', auth: 'basic', user: 'a:b', password: 'p' })),
      /user.*cannot contain ":"/,
    );
    assert.match(String(errors({ topic: 'disks', tags: ['a,b'] })), /tags.*","/);
  });
});
