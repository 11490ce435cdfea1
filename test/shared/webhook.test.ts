import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { webhook, type WebhookConfig } from '../../shared/channels/webhook.js';
import { hmacBase64 } from '../../shared/jws.js';
import { validateConfig } from '../../shared/integration-validate.js';
import { sampleEvent } from '../helpers/events.js';

const KEY = 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow';
const config = (c: Partial<WebhookConfig> = {}): WebhookConfig =>
  webhook.schema.parse({ url: 'https://example.com/hook', ...c });
const errorsOf = (input: unknown) => {
  const r = validateConfig(webhook, input);
  return r.ok ? [] : r.errors.map((e) => `${e.field}: ${e.message}`);
};

describe('webhook payload (Netdata schema)', () => {
  it('fills every Netdata field with meaningful values for a disk', async () => {
    const req = await webhook.render(sampleEvent(), config());
    const body = JSON.parse(req.body!);
    assert.equal(req.method, 'POST');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(
      Object.keys(body)
        .filter((k) => k !== 'headroom')
        .sort(),
      [
        'additional_active_critical_alerts',
        'additional_active_warning_alerts',
        'alarm',
        'alarm_url',
        'alert',
        'alert_url',
        'chart',
        'class',
        'context',
        'date',
        'duration',
        'family',
        'info',
        'message',
        'rooms',
        'severity',
        'space',
      ],
    );
    assert.equal(body.severity, 'critical');
    assert.equal(body.message, 'Disk critical: /data on host-1 has 8.2% free');
    assert.equal(body.chart, 'disk_space./data');
    assert.equal(body.space, 'host-1');
    assert.equal(body.family, '/data');
    assert.equal(body.date, '2026-11-23T10:00:00.000Z');
    assert.equal(body.duration, '30 min', 'the time it had been a warning');
    assert.equal(body.headroom.durationSeconds, 1800);
    // Netdata's documented types (its webhook integration's field table), field by field.
    const TYPES: Record<string, string> = {
      message: 'string',
      alarm: 'string',
      info: 'string',
      chart: 'string',
      context: 'string',
      space: 'string',
      rooms: 'object',
      family: 'string',
      class: 'string',
      severity: 'string',
      date: 'string',
      duration: 'string',
      additional_active_critical_alerts: 'integer',
      additional_active_warning_alerts: 'integer',
      alarm_url: 'string',
    };
    for (const [field, type] of Object.entries(TYPES))
      assert.equal(
        type === 'integer'
          ? Number.isInteger(body[field])
            ? 'integer'
            : typeof body[field]
          : typeof body[field],
        type,
        field,
      );
    assert.equal(body.additional_active_critical_alerts, 1);
    assert.equal(body.additional_active_warning_alerts, 2);
    assert.equal(body.alarm, body.alert);
    assert.match(body.info, /4\.10 GiB free of 50\.0 GiB \(ext4 on \/dev\/sdb1\)/);
    assert.equal(body.headroom.mount, '/data');
  });

  it('maps the all-clear to severity "clear" and an unreachable disk to a warning of class Errors', async () => {
    const clear = JSON.parse(
      (await webhook.render(sampleEvent({ from: 'warning', to: 'ok', freePercent: 25 }), config())).body!,
    );
    assert.equal(clear.severity, 'clear');
    assert.match(clear.message, /^All clear: \/data on host-1 is back to 25\.0% free$/);
    const gone = JSON.parse(
      (
        await webhook.render(
          sampleEvent({
            to: 'unreachable',
            freePercent: null,
            available: null,
            usable: null,
            reason: 'not mounted',
          }),
          config(),
        )
      ).body!,
    );
    assert.equal(gone.severity, 'warning');
    assert.equal(gone.class, 'Errors');
    assert.equal(gone.alert, 'disk_unreachable');
    assert.match(gone.message, /unreachable.*not mounted/);
  });

  it('keeps the body valid JSON whatever the mount name holds', async () => {
    const mount = '/mnt/"quoted"\\back\nline\u2028é';
    const body = JSON.parse((await webhook.render(sampleEvent({ mount }), config())).body!);
    assert.equal(body.family, mount);
  });

  it('signs the exact body sent when a shared key is set, and not otherwise', async () => {
    const unsigned = await webhook.render(sampleEvent(), config());
    assert.equal(unsigned.headers['x-jws-signature'], undefined);
    const signed = await webhook.render(sampleEvent(), config({ sharedKey: KEY }));
    assert.match(
      signed.headers['x-jws-signature']!,
      /^eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19\.\.[\w-]{43}$/,
    );
  });

  it('adds Basic, Bearer and extra headers, and an idempotency key per delivery', async () => {
    const basic = await webhook.render(
      sampleEvent(),
      config({ auth: 'basic', user: 'ops', password: 'pa:ss' }),
    );
    assert.equal(basic.headers.authorization, `Basic ${Buffer.from('ops:pa:ss').toString('base64')}`);
    const bearer = await webhook.render(
      sampleEvent(),
      config({ auth: 'bearer', token: 'tkn-123', headers: ['X-Team: storage'] }),
    );
    assert.equal(bearer.headers.authorization, 'Bearer tkn-123');
    assert.equal(bearer.headers['X-Team'], 'storage');
    assert.equal(bearer.headers['idempotency-key'], sampleEvent().id);
  });

  it('passes the client certificate only with mutual TLS, and a private CA always', async () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    const key = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----';
    const mtls = await webhook.render(sampleEvent(), config({ auth: 'mtls', cert: pem, key, ca: pem }));
    assert.deepEqual(mtls.tls, { ca: pem, cert: pem, key });
    const caOnly = await webhook.render(sampleEvent(), config({ ca: pem }));
    assert.deepEqual(caOnly.tls, { ca: pem });
  });
});

describe('webhook configuration', () => {
  it('refuses plain http except to this machine', () => {
    assert.deepEqual(errorsOf({ url: 'http://example.com/hook' }), [
      'url: must use https:// (plain http:// is allowed only to this machine: localhost, 127.0.0.1, [::1])',
    ]);
    assert.deepEqual(errorsOf({ url: 'http://127.0.0.1:8080/hook' }), []);
    assert.deepEqual(errorsOf({ url: 'http://localhost/hook' }), []);
    assert.deepEqual(errorsOf({ url: 'ftp://example.com' }), ['url: must be an https:// URL, not ftp://']);
    assert.match(errorsOf({ url: 'example.com/hook' })[0]!, /^url: is not a valid URL/);
  });

  it('names each missing credential for the chosen auth mode', () => {
    assert.deepEqual(errorsOf({ url: 'https://x.test', auth: 'basic', user: 'ops' }), [
      'password: is required with --auth basic',
    ]);
    assert.deepEqual(errorsOf({ url: 'https://x.test', auth: 'bearer' }), [
      'token: is required with --auth bearer',
    ]);
    assert.equal(errorsOf({ url: 'https://x.test', auth: 'mtls' }).length, 2);
    assert.match(
      errorsOf({ url: 'https://x.test', auth: 'kerberos' })[0]!,
      /^auth: must be one of none, basic, bearer, mtls/,
    );
  });

  it('refuses a shared key that is not canonical base64url', () => {
    assert.match(
      errorsOf({ url: 'https://x.test', sharedKey: 'JWS-SYMMETRIC-KEY' })[0]!,
      /^sharedKey: is not valid base64url/,
    );
  });

  it('refuses malformed or reserved extra headers, naming the header but never quoting its value', () => {
    const missing = errorsOf({ url: 'https://x.test', headers: ['X-Team: a', 'Bearer s3cret-value'] });
    assert.deepEqual(missing, ['headers.1: header 2 has no name before a ":"; write each as "Name: value"']);
    assert.match(
      errorsOf({ url: 'https://x.test', headers: ['Authorization: x'] })[0]!,
      /^headers\.0: Authorization is set by Headroom itself/,
    );
  });

  it('refuses connection headers, names that are not tokens and values no HTTP header can carry', () => {
    const names = ['Transfer-Encoding', 'Connection', 'Keep-Alive', 'Upgrade', 'Expect'];
    const more = ['TE', 'Trailer', 'Proxy-Authorization', 'proxy-connection'];
    for (const name of ['Content-Length', 'Host'])
      assert.deepEqual(errorsOf({ url: 'https://x.test', headers: [`${name}: s3cret`] }), [
        `headers.0: ${name} is set by Headroom itself; remove it`,
      ]);
    for (const name of [...names, ...more])
      assert.deepEqual(errorsOf({ url: 'https://x.test', headers: [`${name}: s3cret`] }), [
        `headers.0: ${name} belongs to the HTTP connection and cannot be set; remove it`,
      ]);
    const values: [string, RegExp][] = [
      ['X-Key: s3cret\r\nX-Evil: 1', /^headers\.0: the value of X-Key cannot contain line breaks$/],
      ['X-Key: s3cret\u0000', /^headers\.0: the value of X-Key cannot contain control characters$/],
      ['X-Key: s3cret-日本', /^headers\.0: the value of X-Key can hold only Latin-1 characters/],
      ['X Key: s3cret', /^headers\.0: header 1: its name is not a valid header name/],
    ];
    for (const [line, expected] of values) {
      const [error, ...rest] = errorsOf({ url: 'https://x.test', headers: [line] });
      assert.match(error!, expected);
      assert.deepEqual(rest, []);
      assert.doesNotMatch(error!, /s3cret/);
    }
    // Tabs inside a value, and Latin-1 text, are what HTTP allows.
    assert.deepEqual(errorsOf({ url: 'https://x.test', headers: ['X-Team: a\tb', 'X-Name: Zoë'] }), []);
  });

  it('refuses credentials with line breaks, and a URL with user:password, pointing to --auth basic', () => {
    assert.deepEqual(errorsOf({ url: 'https://x.test', auth: 'bearer', token: 'tok\r\nX-Evil: 1' }), [
      'token: cannot contain line breaks',
    ]);
    assert.deepEqual(errorsOf({ url: 'https://x.test', auth: 'bearer', token: 'tök-日本' }), [
      'token: can hold only Latin-1 characters (HTTP headers cannot carry other Unicode characters)',
    ]);
    assert.deepEqual(errorsOf({ url: 'https://x.test', auth: 'basic', user: 'u', password: 'pw\n' }), [
      'password: cannot contain line breaks or other control characters',
    ]);
    assert.deepEqual(errorsOf({ url: 'https://user:pass@x.test/hook' }), [
      'url: cannot hold a user name or password (user:password@ is never sent); use --auth basic with --user and --password',
    ]);
    assert.match(errorsOf({ url: 'https://x.test/a\nb' })[0]!, /^url: cannot contain line breaks/);
    assert.match(errorsOf({ url: 'https://x.test/?key=••••••' })[0]!, /^url: still holds a masked value/);
  });
});

describe('webhook challenge', () => {
  const cfg = config({ challengeSecret: 's3cret' });
  const check = webhook.check!(cfg, 'nonce-123')!;
  const answer = async (status: number, body: string) => check.verify({ status, headers: {}, body });

  it('asks GET ?crc_token=… with a 5 s limit, only when a challenge secret is set', () => {
    assert.equal(webhook.check!(config(), 'n'), null);
    assert.equal(check.request.method, 'GET');
    assert.equal(new URL(check.request.url).searchParams.get('crc_token'), 'nonce-123');
    assert.equal(check.timeoutMs, 5000);
  });

  it('accepts only {"response_token":"sha256=" + base64(HMAC-SHA256(secret, token))} with 200', async () => {
    const good = `sha256=${await hmacBase64('s3cret', 'nonce-123')}`;
    assert.equal((await answer(200, JSON.stringify({ response_token: good }))).kind, 'delivered');
    const wrong = await answer(
      200,
      JSON.stringify({ response_token: `sha256=${await hmacBase64('other', 'nonce-123')}` }),
    );
    assert.match(wrong.kind === 'failed' ? wrong.message : '', /does not match/);
    const notJson = await answer(200, '<html>ok</html>');
    assert.match(notJson.kind === 'failed' ? notJson.message : '', /needs a JSON answer/);
    const not200 = await answer(201, JSON.stringify({ response_token: good }));
    assert.match(not200.kind === 'failed' ? not200.message : '', /needs HTTP 200, the receiver answered 201/);
  });
});

describe('webhook link and duration', () => {
  it('puts the link setting in alarm_url and alert_url, and says a new alert has been raised for 0 s', async () => {
    const body = JSON.parse(
      (
        await webhook.render(
          sampleEvent({ from: 'ok', to: 'warning' }),
          config({ linkUrl: 'https://grafana.example.com/d/disks?var-host=host-1' }),
        )
      ).body!,
    );
    assert.equal(body.alarm_url, 'https://grafana.example.com/d/disks?var-host=host-1');
    assert.equal(body.alert_url, body.alarm_url);
    assert.equal(body.duration, '0 s');
    const plain = JSON.parse((await webhook.render(sampleEvent(), config())).body!);
    assert.equal(plain.alarm_url, '', 'no link set: an empty string, as the schema types it');
  });
});
