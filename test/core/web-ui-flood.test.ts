import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from '../helpers/node-test.js';
import { WEB_UI_LIMITS } from '../../core/web-ui.js';
import { CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { assertReported } from '../helpers/report.js';
import { Receiver } from '../helpers/receiver.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki } from '../helpers/tls.js';
import { webUiUrl } from '../helpers/web-ui.js';

/** Opens `n` TCP connections that never send a byte; resolves once each is open or refused. */
async function idleConnections(port: number, n: number): Promise<Socket[]> {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Socket>((resolve) => {
          const socket = connect(port, '127.0.0.1');
          socket.on('connect', () => resolve(socket)).on('error', () => resolve(socket));
        }),
    ),
  );
}

describe('a flood of connections to the web UI', { skip: await cannotMount }, () => {
  let disk: Tmpfs;
  let receiver: Receiver;
  let watcher: CliProcess;
  let sockets: Socket[] = [];
  let url: URL;
  before(async () => {
    const pki = await makePki();
    disk = await Tmpfs.mount(20);
    receiver = await Receiver.start(pki);
    const home = await tempHome();
    const add = [
      'integration',
      'add',
      '--type',
      'webhook',
      '--url',
      `${receiver.url}/disk`,
      '--ca',
      pki.files.ca,
    ];
    assert.equal((await runCli(add, home)).code, 0);
    await disk.setFreePercent(50);
    watcher = new CliProcess(
      ['watch', '--json', '--interval', '1', '--mount', disk.dir, '--ui', '127.0.0.1:0'],
      home,
    );
    url = new URL(await webUiUrl(watcher, home));
    // A workstation's usual 1024, scaled down: the flood below is far more than it allows.
    execFileSync('prlimit', ['--pid', String(watcher.child.pid), '--nofile=256']);
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await watcher?.stop('SIGKILL');
    await receiver?.close();
    await disk?.dispose();
  });

  it('cannot starve the watcher: the alert goes out at its first attempt, and the refusals are said', async () => {
    const port = Number(url.port);
    sockets = await idleConnections(port, 400);
    await disk.setFreePercent(15);
    const request = await receiver.request(1);
    assert.equal(JSON.parse(request.body).severity, 'warning');
    const delivered = await watcher.waitUntil(
      () => watcher.jsonLines('delivery').find((d) => d.outcome === 'delivered'),
      'the delivery',
    );
    assert.equal(delivered.attempts, 1, 'no attempt was lost to a full file table');
    const said = await watcher.waitForStderr(/web UI closed or refused \d+ connection/);
    const count = Number(/refused (\d+) connection/.exec(said)![1]);
    assert.ok(count >= 400 - WEB_UI_LIMITS.connections - 10, `${count} refusals counted`);
    assertReported('Connection flood on the web UI port', 1);
  });

  it('answers a malformed request path with 400, not 500', async () => {
    for (const s of sockets.splice(0)) s.destroy();
    const ask = (path: string) =>
      new Promise<number | undefined>((resolve, reject) => {
        const socket = connect(Number(url.port), '127.0.0.1', () =>
          socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`),
        );
        let reply = '';
        socket.on('data', (d) => (reply += d)).on('error', reject);
        socket.on('close', () => {
          const status = /^HTTP\/1\.1 (\d+)/.exec(reply)?.[1];
          resolve(status === undefined ? undefined : Number(status));
        });
      });
    const paths = ['/%ff', '/%', '/%zz'];
    for (const path of paths) {
      // The server learns of the flood's sockets closing a moment after we close them: until it
      // has, a new connection is over the cap and refused, as it should be: reset, or closed
      // before a reply (whether the server's close beats our request is up to the kernel). Ask again.
      let status: number | undefined;
      for (let attempt = 0; status === undefined; attempt++) {
        assert.ok(attempt < 200, `${path}: still refused after 200 attempts`);
        status = await ask(path).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ECONNRESET') throw error;
          return undefined;
        });
      }
      assert.equal(status, 400, path);
    }
    assertReported('Malformed request paths', paths.length);
  });
});
