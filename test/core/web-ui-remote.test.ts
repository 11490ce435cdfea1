import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from '../helpers/node-test.js';
import { BIN, CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { assertReported } from '../helpers/report.js';
import { rawRequest, webUiUrl } from '../helpers/web-ui.js';

/** A non-loopback address of this machine, for a connection that does not come over loopback. */
const address = Object.values(networkInterfaces())
  .flatMap((list) => list ?? [])
  .find((a) => !a.internal && a.family === 'IPv4')?.address;
const noAddress = address ? false : 'this machine has no non-loopback IPv4 address to connect to';
if (noAddress) console.log(`# ${noAddress}: the test over such an address is skipped`);

describe('the web UI with --ui-allow-remote, reached from other machines or through a proxy', () => {
  let refusals = 0;
  let home: string;
  let watcher: CliProcess;
  let line: string;
  let url: URL;
  let token: string;
  let port: number;
  before(async () => {
    home = await tempHome();
    watcher = new CliProcess(
      [
        'watch',
        '--interval',
        '60',
        '--ui',
        '0.0.0.0:0',
        '--ui-allow-remote',
        '--ui-host',
        'disks.example.test',
        '--ui-host',
        'https://proxy.example.test',
      ],
      home,
    );
    line = await watcher.waitForStderr(/web UI at /);
    url = new URL(await webUiUrl(watcher, home));
    token = /^#token=(.+)$/.exec(url.hash)![1]!;
    port = Number(url.port);
  });
  after(() => watcher?.stop());

  /** An API call with the token, over a connection to `to`, saying `host` (and `origin`). */
  const api = (to: string, host: string, origin?: string) =>
    rawRequest(
      to,
      port,
      '/api/app.info',
      {
        host,
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(origin ? { origin } : {}),
      },
      'POST',
      '{}',
    );

  it('saves the address with its token to ui-url (0600) when standard error is a pipe, and never logs the token', () => {
    const file = join(home, 'ui-url');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(line, new RegExp(`web UI at http://disks\\.example\\.test:${port}/ .*saved in ${file} `));
    assert.ok(token.length >= 40, 'a token of 32 random bytes');
    const output = [...watcher.stderrLines, ...watcher.stdoutLines].join('\n');
    assert.ok(!output.includes(token), 'the token is in no line of output');
  });

  it('names the first --ui-host in the address to open, not 0.0.0.0', () => {
    assert.equal(url.origin, `http://disks.example.test:${port}`);
  });

  it("answers to this machine's host name, each --ui-host name and its addresses", async () => {
    const hosts = [
      `${hostname()}:${port}`,
      `${hostname().toUpperCase()}:${port}`,
      `disks.example.test:${port}`,
      'proxy.example.test', // a proxy on the default port forwards its own Host
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      ...(address ? [`${address}:${port}`] : []),
    ];
    for (const host of hosts) assert.equal((await api('127.0.0.1', host)).status, 200, host);
    const page = await rawRequest('127.0.0.1', port, '/', { host: `${hostname()}:${port}` });
    assert.equal(page.status, 200);
  });

  it(
    'serves a client that connects to a non-loopback address of this machine',
    { skip: noAddress },
    async () => {
      assert.equal((await api(address!, `${address}:${port}`)).status, 200);
      assert.equal((await api(address!, `${hostname()}:${port}`)).status, 200);
      const rebound = await api(address!, `evil.example:${port}`);
      assert.equal(rebound.status, 421);
    },
  );

  it('refuses any other Host (DNS rebinding) with 421 and says why, even with the token', async () => {
    const foreign = [
      `evil.example:${port}`,
      'evil.example',
      `${hostname()}.evil.example:${port}`,
      `disks.example.test.evil.example:${port}`,
      `203.0.113.7:${port}`, // an address that is not this machine's
      `disks.example.test:${port + 1}`,
    ];
    for (const host of foreign) {
      const r = await api('127.0.0.1', host);
      assert.equal(r.status, 421, host);
      assert.equal(
        JSON.parse(r.body).error.message,
        `this server does not answer to the Host ${JSON.stringify(host)} (a guard against DNS rebinding): open the web UI at http://disks.example.test:${port}/`,
      );
      refusals++;
    }
  });

  it('takes requests from its own origins only: a proxy at https://, this machine by name', async () => {
    const host = `disks.example.test:${port}`;
    for (const origin of ['https://evil.example', `http://evil.example:${port}`, 'null', 'file://']) {
      const r = await api('127.0.0.1', host, origin);
      assert.equal(r.status, 403, origin);
      assert.match(JSON.parse(r.body).error.message, /cross-origin requests are refused/);
      refusals++;
    }
    for (const origin of [
      'https://proxy.example.test',
      `http://disks.example.test:${port}`,
      `http://${hostname()}:${port}`,
    ])
      assert.equal((await api('127.0.0.1', host, origin)).status, 200, origin);
  });

  it('removes ui-url when it stops: nothing answers at that address then', async () => {
    assert.equal(await watcher.stop(), 0);
    assert.equal(existsSync(join(home, 'ui-url')), false);
  });

  it('is reported in docs/reliability.md', () => {
    assertReported('Web UI in remote mode: foreign Host and Origin', refusals);
  });
});

describe('--ui-host on the command line', () => {
  it('without --ui-allow-remote is a usage error that says what to add', async () => {
    const r = await runCli(
      ['watch', '--ui', '127.0.0.1:0', '--ui-host', 'disks.example.test'],
      await tempHome(),
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--ui-host disks\.example\.test: .*add --ui-allow-remote/);
  });

  it('refuses what is not a name, NAME:PORT or a proxy address, saying what is expected', async () => {
    for (const value of [
      'https://disks.example.test/path',
      'evil.example/x',
      '*',
      'fd00::2',
      'disks:99999',
    ]) {
      const r = await runCli(
        ['watch', '--ui', '127.0.0.1:0', '--ui-allow-remote', '--ui-host', value],
        await tempHome(),
      );
      assert.equal(r.code, 2, value);
      assert.match(r.stderr, /give a name clients use for the web UI: a host name/, value);
    }
  });
});

const noScript =
  spawnSync('script', ['--version']).status === 0
    ? false
    : 'util-linux `script` (to give a terminal) is missing';

describe('headroom watch --ui on a terminal', { skip: noScript }, () => {
  let script: ChildProcess;
  after(() => script?.kill('SIGKILL'));

  it('prints the address with its token there, with the host name in it, and saves no file', async () => {
    const home = await tempHome();
    const command = `echo "pid $$"; exec '${process.execPath}' '${BIN}' watch --interval 60 --ui 0.0.0.0:0 --ui-allow-remote`;
    script = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, HEADROOM_HOME: home },
    });
    const lines = createInterface({ input: script.stdout! });
    let pid = 0;
    const printed = await new Promise<string>((resolve, reject) => {
      script.on('close', (code) => reject(new Error(`script exited (${code}) before the web UI line`)));
      lines.on('line', (l) => {
        pid ||= Number(/^pid (\d+)/.exec(l)?.[1] ?? 0);
        if (/web UI at /.test(l)) resolve(l.replace(/.*web UI at /, '').trim());
      });
    });
    const url = new URL(printed);
    assert.match(url.hash, /^#token=[\w-]{40,}$/);
    assert.ok(
      url.hostname === hostname() || url.hostname.startsWith(`${hostname()}.`),
      `${url.hostname} is this machine's name`,
    );
    assert.equal(existsSync(join(home, 'ui-url')), false);
    const exited = new Promise((resolve) => script.once('close', resolve));
    process.kill(pid, 'SIGTERM');
    await exited;
  });
});
