import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startOnFreePort } from './ports.js';

const BIN = '/usr/bin/prometheus-alertmanager';

export const alertmanagerMissing: string | false = existsSync(BIN)
  ? false
  : 'prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager; .ci/run does)';

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

  /** Alone (clustering off, receiving into the void) unless `options` say otherwise. */
  static async start(
    options: { configFile?: string; storage?: string; cluster?: string[] } = {},
  ): Promise<LocalAlertmanager> {
    const dir = options.storage ?? (await mkdtemp(join(tmpdir(), 'headroom-am-')));
    if (!options.configFile)
      // A short group_wait: a Send test stays open past it (see `Channel.testHold`).
      await writeFile(
        join(dir, 'am.yml'),
        "route:\n  receiver: 'null'\n  group_wait: 1s\nreceivers:\n  - name: 'null'\n",
      );
    const { child, port } = await startOnFreePort(
      'alertmanager',
      BIN,
      (port) => [
        `--config.file=${options.configFile ?? join(dir, 'am.yml')}`,
        `--storage.path=${dir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        ...(options.cluster ?? ['--cluster.listen-address=']),
      ],
      /Listening on|msg="Listening/,
    );
    return new LocalAlertmanager(`http://127.0.0.1:${port}`, child);
  }

  /** The alerts Alertmanager holds as active right now. */
  async active(): Promise<AmAlertView[]> {
    const res = await fetch(`${this.url}/api/v2/alerts?active=true&silenced=true&inhibited=true`);
    return (await res.json()) as AmAlertView[];
  }

  /** A counter or gauge of its own metrics (summed over its label sets), 0 if absent. */
  async metric(name: string): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    return text
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
      .reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
  }

  /**
   * Resolves once it sees `size` members and its gossip has settled (it sends no notification
   * before), polling its status: there is no event to wait on.
   */
  async settled(size: number): Promise<void> {
    for (;;) {
      const status = (await (await fetch(`${this.url}/api/v2/status`)).json()) as {
        cluster: { status: string; peers?: unknown[] };
      };
      if (status.cluster.status === 'ready' && (status.cluster.peers?.length ?? 0) >= size) return;
      await new Promise((wake) => setTimeout(wake, 100));
    }
  }

  /**
   * Resolves once every aggregation group it held when called has been flushed completely: its
   * notification-log queries (one per flush, after the peer's wait) went up by two.
   */
  async flushedTwice(): Promise<void> {
    const from = await this.metric('alertmanager_nflog_queries_total');
    while ((await this.metric('alertmanager_nflog_queries_total')) < from + 2)
      await new Promise((wake) => setTimeout(wake, 100));
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

/** What a webhook receiver configured in Alertmanager gets: one notification of one group. */
export interface AmNotification {
  status: 'firing' | 'resolved';
  alerts: { status: string; labels: Record<string, string> }[];
}

/**
 * A plain HTTP server on 127.0.0.1 that Alertmanager's webhook receiver posts its notifications
 * to: what the people paged would get.
 */
export class NotificationSink {
  readonly notifications: AmNotification[] = [];
  private readonly waiters: (() => void)[] = [];
  private readonly server: Server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      this.notifications.push(JSON.parse(body) as AmNotification);
      res.end('ok');
      for (const wake of this.waiters.splice(0)) wake();
    });
  });
  url = '';

  static async start(): Promise<NotificationSink> {
    const sink = new NotificationSink();
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    sink.url = `http://127.0.0.1:${(sink.server.address() as AddressInfo).port}/`;
    return sink;
  }

  /** The notifications of alerts on this mount in this state. */
  of(mount: string, status: 'firing' | 'resolved'): AmNotification[] {
    return this.notifications.filter(
      (n) => n.status === status && n.alerts.some((a) => a.labels.mount === mount),
    );
  }

  async until(ready: () => boolean): Promise<void> {
    while (!ready()) await new Promise<void>((wake) => this.waiters.push(wake));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A real Alertmanager cluster on 127.0.0.1: `size` peers gossiping on loopback ports, each routing
 * every alert (a group of its own per alert and mount) to the sink's webhook. Intervals are short so
 * that a test runs in seconds: every group is flushed (and its notification log queried) every
 * second. Peers wait 2 s per position for each other's notification log before they notify: that
 * wait is all Alertmanager's deduplication rests on, and with 500 ms a CI run whose two cores were
 * saturated had the gossip arrive late and two peers notify.
 */
export class LocalAlertmanagerCluster {
  private constructor(readonly peers: LocalAlertmanager[]) {}

  static async start(size: number, sink: NotificationSink): Promise<LocalAlertmanagerCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-amc-'));
    await writeFile(
      join(dir, 'am.yml'),
      [
        'route:',
        "  receiver: 'hook'",
        "  group_by: ['alertname', 'mount', 'severity']",
        '  group_wait: 0s',
        '  group_interval: 1s',
        '  repeat_interval: 24h',
        'receivers:',
        "  - name: 'hook'",
        '    webhook_configs:',
        `      - url: '${sink.url}'`,
        '        send_resolved: true',
        '',
      ].join('\n'),
    );
    const gossip = await Promise.all(Array.from({ length: size }, () => freePort()));
    const started = await Promise.allSettled(
      gossip.map(async (port, i) => {
        const storage = join(dir, String(i));
        await mkdir(storage);
        return LocalAlertmanager.start({
          configFile: join(dir, 'am.yml'),
          storage,
          cluster: [
            `--cluster.listen-address=127.0.0.1:${port}`,
            `--cluster.advertise-address=127.0.0.1:${port}`,
            ...gossip.filter((p) => p !== port).map((p) => `--cluster.peer=127.0.0.1:${p}`),
            '--cluster.gossip-interval=50ms',
            '--cluster.pushpull-interval=1s',
            '--cluster.peer-timeout=2s',
            '--cluster.settle-timeout=5s',
            '--cluster.reconnect-interval=1s',
          ],
        });
      }),
    );
    const peers = started.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
    const failed = started.find((p) => p.status === 'rejected');
    // A peer that did not start must not leave the others running: they would hold the file open.
    if (failed) {
      await Promise.all(peers.map((p) => p.stop()));
      throw failed.reason;
    }
    const cluster = new LocalAlertmanagerCluster(peers);
    await Promise.all(peers.map((p) => p.settled(size)));
    return cluster;
  }

  stop(): Promise<unknown> {
    return Promise.all(this.peers.map((p) => p.stop()));
  }
}
