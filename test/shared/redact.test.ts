import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { redact, secretValues } from '../../shared/channels/channel.js';
import { webhook } from '../../shared/channels/webhook.js';
import { maskedConfig } from '../../shared/mask.js';

const SECRET = 'Tok/en+Sëcret"42&more';
const base64 = (s: string) => Buffer.from(s).toString('base64');

describe('redaction of secrets a receiver quotes back', () => {
  const echoes: [string, string][] = [
    ['as is', SECRET],
    ['JSON-escaped', JSON.stringify(SECRET)],
    ['JSON-escaped with \\/ (PHP)', JSON.stringify(SECRET).replace(/\//g, '\\/')],
    ['JSON-escaped as ASCII (Python)', JSON.stringify(SECRET).replace(/ë/g, '\\u00eb')],
    ['JSON inside JSON', JSON.stringify(JSON.stringify({ token: SECRET }))],
    ['URL-encoded', encodeURIComponent(SECRET)],
    ['URL-encoded, lower-case hex', encodeURIComponent(SECRET).toLowerCase()],
    ['form-encoded', new URLSearchParams({ t: SECRET }).toString()],
    ['HTML-escaped', SECRET.replace(/&/g, '&amp;').replace(/"/g, '&quot;')],
    ['base64', base64(SECRET)],
    ['base64url', Buffer.from(SECRET).toString('base64url')],
    ['base64 inside a longer text (1)', base64(`x${SECRET}yz`)],
    ['base64 inside a longer text (2)', base64(`xy${SECRET}z`)],
    ['lower-cased', SECRET.toLowerCase()],
    ['upper-cased', SECRET.toUpperCase()],
  ];
  for (const [form, echo] of echoes) {
    it(`masks a secret echoed ${form}`, () => {
      const out = redact(`the receiver said: ${echo} (end)`, [SECRET]);
      assert.match(out, /^the receiver said: .*••••.*\(end\)$/);
      // At most the two bytes base64 packs with a neighbour stay visible: never a run of six.
      const visible = [
        out,
        ...(out.match(/[A-Za-z0-9+/_-]{4,}/g) ?? []).map((b) => Buffer.from(b, 'base64').toString('latin1')),
      ];
      for (let i = 0; i + 6 <= SECRET.length; i++)
        for (const text of visible)
          assert.ok(!text.toLowerCase().includes(SECRET.slice(i, i + 6).toLowerCase()), `${form}: ${out}`);
    });
  }

  it('leaves text without secrets alone', () => {
    assert.equal(redact('all fine (HTTP 200)', [SECRET]), 'all fine (HTTP 200)');
  });

  it('treats the query values of every URL as secrets, and masks them in list output', () => {
    const config = webhook.schema.parse({ url: 'https://x.test/hook?apikey=k3y-v4lue%2B1&team=ops' });
    const secrets = secretValues(webhook, config);
    assert.ok(secrets.includes('k3y-v4lue+1') && secrets.includes('k3y-v4lue%2B1'), String(secrets));
    assert.equal(redact('echo: apikey=k3y-v4lue%2B1', secrets), 'echo: apikey=••••');
    assert.equal(maskedConfig(webhook, config).url, 'https://x.test/hook?apikey=••••••&team=••••••');
  });

  it('shows the names of extra headers, never their values', () => {
    const shown = maskedConfig(webhook, {
      url: 'https://x.test',
      headers: ['X-Team: ops-SECRET', 'bad line'],
    });
    assert.deepEqual(shown.headers, ['X-Team: ••••••', '••••••']);
  });
});
