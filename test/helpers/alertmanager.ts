import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = '/usr/bin/prometheus-alertmanager';

export const alertmanagerMissing: string | false = existsSync(BIN)
  ? false
  : 'prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager; .ci/run does)';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface AmAlertView {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
  status: { state: string };
}

/** A real Alertmanager on 127.0.0.1, with a throw-away config and storage, clustering off. */
export class LocalAlertmanager {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(): Promise<LocalAlertmanager> {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-am-'));
    await writeFile(join(dir, 'am.yml'), "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n");
    const port = await freePort();
    const child = spawn(
      BIN,
      [
        `--config.file=${join(dir, 'am.yml')}`,
        `--storage.path=${dir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr!.on('data', (d) => (log += d));
    const am = new LocalAlertmanager(`http://127.0.0.1:${port}`, child);
    // Ready when its log says it listens; a process that exits first fails the test with its log.
    await new Promise<void>((resolve, reject) => {
      const onData = () => {
        if (/Listening on|msg="Listening/.test(log)) {
          child.stderr!.off('data', onData);
          resolve();
        }
      };
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`alertmanager exited (${code}):\n${log}`)));
    });
    return am;
  }

  /** The alerts Alertmanager holds as active right now. */
  async active(): Promise<AmAlertView[]> {
    const res = await fetch(`${this.url}/api/v2/alerts?active=true&silenced=true&inhibited=true`);
    return (await res.json()) as AmAlertView[];
  }

  /** How many alerts in this state it has received, from its own metrics. */
  async received(status: 'firing' | 'resolved'): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    // One line per API version: add them up.
    return text
      .split('\n')
      .filter((l) => l.startsWith('alertmanager_alerts_received_total{') && l.includes(`status="${status}"`))
      .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
