import assert from 'node:assert/strict';
import { request } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { after, before, describe, it } from '../helpers/node-test.js';
import { CliProcess, tempHome } from '../helpers/cli.js';
import { assertReported } from '../helpers/report.js';
import { webUiUrl } from '../helpers/web-ui.js';

/** Raw HTTP, so the Host and Origin headers are exactly what an attacker's page could send. */
function get(
  url: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method, headers }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: data, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the web UI refuses what it must', () => {
  let refusals = 0;
  /** Counts each refused attack for docs/reliability.md. */
  const refused = (status: number | null, expected: number) => {
    assert.equal(status, expected);
    refusals++;
  };
  let watcher: CliProcess;
  let base: string;
  let token: string;
  before(async () => {
    const home = await tempHome();
    watcher = new CliProcess(['watch', '--interval', '60', '--ui', '127.0.0.1:0'], home);
    const url = await webUiUrl(watcher, home);
    base = url.replace(/\/#.*$/, '');
    token = /#token=(.+)$/.exec(url)![1]!;
  });
  after(() => watcher?.stop());

  const host = () => new URL(base).host;
  const api = (headers: Record<string, string>) =>
    get(
      base,
      '/api/app.info',
      { host: host(), 'content-type': 'application/json', ...headers },
      'POST',
      '{}',
    );

  it('answers the API with the token, and 401 without it or with a wrong one', async () => {
    assert.equal((await api({ authorization: `Bearer ${token}` })).status, 200);
    refused((await api({})).status, 401);
    refused((await api({ authorization: `Bearer ${token.slice(1)}x` })).status, 401);
    const events = await get(base, '/api/events', { host: host() });
    refused(events.status, 401);
  });

  it('refuses a foreign Host (DNS rebinding) even with the token', async () => {
    const r = await api({ authorization: `Bearer ${token}`, host: `attacker.example:${new URL(base).port}` });
    refused(r.status, 421);
  });

  it("answers to loopback names only without --ui-allow-remote: not to this machine's name or address", async () => {
    const port = new URL(base).port;
    const address = Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .find((a) => !a.internal && a.family === 'IPv4')?.address;
    const names = [hostname(), address].filter((n) => n && n !== 'localhost');
    assert.ok(names.length > 0, 'a host name or an address that is not loopback');
    for (const name of names) {
      const r = await api({ authorization: `Bearer ${token}`, host: `${name}:${port}` });
      assert.equal(r.status, 421, name);
      assert.match(
        JSON.parse(r.body).error.message,
        /DNS rebinding.*open the web UI at http:\/\/127\.0\.0\.1:/,
      );
    }
    refusals++;
    assert.equal((await api({ authorization: `Bearer ${token}`, host: `localhost:${port}` })).status, 200);
  });

  it('refuses a cross-site Origin even with the token', async () => {
    const r = await api({ authorization: `Bearer ${token}`, origin: 'https://attacker.example' });
    refused(r.status, 403);
  });

  it('serves the page with a strict CSP, and nothing outside its folder', async () => {
    const page = await get(base, '/', { host: host() });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    const traversal = await get(base, '/../../../../etc/passwd', { host: host() });
    assert.notEqual(traversal.status, 200);
    refusals++;
    assert.doesNotMatch(traversal.body, /root:/);
    const encoded = await get(base, '/assets/..%2f..%2f..%2fpackage.json', { host: host() });
    assert.notEqual(encoded.status, 200);
    refusals++;
  });

  it('will not listen on a non-loopback address without --ui-allow-remote', async () => {
    const w = new CliProcess(['watch', '--ui', '0.0.0.0:0'], await tempHome());
    refused((await w.exited) ?? -1, 2);
    assert.match(w.stderrLines.join('\n'), /not a loopback address.*--ui-allow-remote/);
  });

  it('is reported in docs/reliability.md', () => {
    assertReported('Web UI requests an attacker could send', refusals);
  });
});
