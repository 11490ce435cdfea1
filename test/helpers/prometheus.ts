import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOnFreePort } from './ports.js';

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';

export const prometheusMissing: string | false =
  existsSync(PROMETHEUS) && existsSync(PROMTOOL)
    ? false
    : 'prometheus/promtool are not installed (apt-get install prometheus; .ci/run does)';

/** Runs promtool with `args`, `input` on its standard input; its exit code and output. */
export function promtool(args: string[], input = ''): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(PROMTOOL, args, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
    child.stdin!.end(input);
  });
}

/**
 * Sits between Prometheus and the scraped target and counts scrapes, so that a test waits on
 * Prometheus's own rhythm instead of on time: once scrape n + 1 has begun, scrape n has been
 * committed to the database (the scrape loop appends before it waits for its next turn).
 */
export class ScrapeCounter {
  private count = 0;
  private readonly waiters: (() => void)[] = [];
  private server!: Server;
  /** `HOST:PORT`, for a scrape config's targets. */
  target = '';

  static async start(targetUrl: string): Promise<ScrapeCounter> {
    const counter = new ScrapeCounter();
    counter.server = createServer((req, res) => {
      counter.count++;
      for (const wake of counter.waiters.splice(0)) wake();
      fetch(targetUrl, { headers: { accept: String(req.headers.accept ?? '*/*') } })
        .then(async (r) => {
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/plain' });
          res.end(await r.text());
        })
        .catch(() => res.writeHead(502).end());
    });
    await new Promise<void>((resolve) => counter.server.listen(0, '127.0.0.1', resolve));
    counter.target = `127.0.0.1:${(counter.server.address() as AddressInfo).port}`;
    return counter;
  }

  get scrapes(): number {
    return this.count;
  }

  /** Resolves once `n` scrapes have begun. */
  async begun(n: number): Promise<void> {
    while (this.count < n) await new Promise<void>((wake) => this.waiters.push(wake));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A real Prometheus on 127.0.0.1 scraping `targets` every second, with throw-away storage. */
export class LocalPrometheus {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(targets: string[], ruleFiles: string[] = []): Promise<LocalPrometheus> {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-prom-'));
    const config = [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      ...(ruleFiles.length ? ['rule_files:', ...ruleFiles.map((f) => `  - ${JSON.stringify(f)}`)] : []),
      'scrape_configs:',
      '  - job_name: headroom',
      '    static_configs:',
      `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
      '',
    ].join('\n');
    await writeFile(join(dir, 'prometheus.yml'), config);
    const { child, port } = await startOnFreePort(
      'prometheus',
      PROMETHEUS,
      (port) => [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      /Server is ready to receive web requests/,
    );
    return new LocalPrometheus(`http://127.0.0.1:${port}`, child);
  }

  /** An instant query's result vector. */
  async query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { status: string; data: { result: never[] }; error?: string };
    if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
    return body.data.result;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
