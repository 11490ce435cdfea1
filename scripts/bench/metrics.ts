import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { IntegrationStore } from '../../core/delivery/integration-store.js';
import { Metrics } from '../../core/metrics/metrics.js';
import { lookupMount } from '../../core/mount-table.js';
import { openRuntime } from '../../core/runtime.js';
import { Watcher } from '../../core/watcher.js';
import { validateIntegration } from '../../shared/integration-validate.js';
import { CliProcess, tempHome } from '../../test/helpers/cli.js';
import { Tmpfs } from '../../test/helpers/tmpfs.js';
import { median, percentile } from './stats.js';

const exec = promisify(execFile);

/** CPU ticks (user + system) a process has used so far. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(stat[11]) + Number(stat[12]);
}

/**
 * `n` GETs, one after the other on one kept-alive connection, as Prometheus scrapes: each one's
 * latency, and the CPU time the serving process spent per request (from /proc, so the client's
 * own work is not counted).
 */
async function serve(url: string, pid: number, n: number, headers: Record<string, string> = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = () =>
    new Promise<number>((resolve, reject) => {
      request(url, { agent, headers }, (res) => {
        let bytes = 0;
        res.on('data', (d: Buffer) => (bytes += d.length));
        res.on('end', () => resolve(bytes));
      })
        .on('error', reject)
        .end();
    });
  for (let i = 0; i < 200; i++) await get(); // warm-up: JIT, connection
  const hz = Number((await exec('getconf', ['CLK_TCK'])).stdout.trim());
  const latencies: number[] = [];
  let bytes = 0;
  const before = cpuTicks(pid);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    bytes = await get();
    latencies.push(performance.now() - t);
  }
  const cpuMsPerRequest = ((cpuTicks(pid) - before) / hz / n) * 1000;
  agent.destroy();
  return { cpuMsPerRequest, p50: median(latencies), p99: percentile(latencies, 99), bytes };
}

/**
 * A scrape of `headroom watch --metrics` with 50 mounts (real tmpfs) and 50 integrations, against a
 * bare Node HTTP server answering "ok", both measured the same way in the same run.
 */
export async function metricsScrapeCost(n = 2000) {
  const disks: Tmpfs[] = [];
  const home = await tempHome();
  let watcher: CliProcess | undefined;
  const bare = spawn(
    process.execPath,
    [
      '-e',
      "require('http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () { console.log(this.address().port) })",
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    // Sized like real disks (a tmpfs takes no memory for its size), left empty: fast detection
    // then re-reads each about once a minute, as on a workstation, not ten times a second as it
    // does a 1 MiB disk half full (0.5 MiB can be written in 0.5 ms).
    // Mounted all at once: one after the other, 50 mounts and unmounts took half the section.
    const mounted = await Promise.allSettled(Array.from({ length: 50 }, () => Tmpfs.mount(64 * 1024)));
    for (const m of mounted) if (m.status === 'fulfilled') disks.push(m.value);
    for (const m of mounted) if (m.status === 'rejected') throw m.reason;
    const store = new IntegrationStore(home);
    const now = Date.now();
    for (let i = 0; i < 50; i++) {
      const checked = validateIntegration({
        id: `webhook-${i}`,
        name: `Team ${i}`,
        type: 'webhook',
        config: { url: `https://127.0.0.1:1/hook/${i}` },
        createdAt: now,
        updatedAt: now,
      });
      if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
      store.save(checked.value);
    }
    watcher = new CliProcess(
      [
        'watch',
        '--interval',
        '3600',
        '--metrics',
        '127.0.0.1:0',
        ...disks.flatMap((d) => ['--mount', d.dir]),
      ],
      home,
    );
    const url = /Prometheus metrics at (\S+)/.exec(await watcher.waitForStderr(/Prometheus metrics at/))![1]!;
    // The first sample ends moments after start: from then on every mount is on the page.
    for (;;) {
      const page = await (await fetch(url)).text();
      if ((page.match(/^headroom_filesystem_size_bytes\{/gm) ?? []).length === 50) break;
    }
    // What Prometheus 2.x sends (the page is sent plain all the same).
    const ours = await serve(url, watcher.child.pid!, n, {
      accept:
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'accept-encoding': 'gzip',
    });
    const port = await new Promise<string>((resolve) =>
      createInterface({ input: bare.stdout! }).once('line', resolve),
    );
    const baseline = await serve(`http://127.0.0.1:${port}/`, bare.pid!, n);
    return {
      ours,
      baseline,
      changed: await changedPageCost(home, disks),
      mounts: 50,
      integrations: 50,
      scrapes: n,
    };
  } finally {
    bare.kill();
    await watcher?.stop();
    await Promise.all(disks.map((d) => d.dispose()));
  }
}

/**
 * What a scrape costs when the page changed since the last one (a sample in between, the usual
 * case at Prometheus's 15 s+ interval): encoding it once more. Measured in this process on the
 * same mounts and integrations; rebuilding the disk part is the sample's work, measured apart.
 */
async function changedPageCost(home: string, disks: Tmpfs[]) {
  const runtime = openRuntime(home);
  const watcher = new Watcher(runtime, { only: await Promise.all(disks.map((d) => mountOf(d.dir))) });
  const metrics = new Metrics(watcher);
  const rebuild = () => (metrics as unknown as { rebuildDisks(): void }).rebuildDisks();
  await watcher.checkNow();
  const encode: number[] = [];
  const sample: number[] = [];
  for (let i = 0; i < 300; i++) {
    let t = performance.now();
    rebuild();
    sample.push(performance.now() - t);
    t = performance.now();
    metrics.page();
    encode.push(performance.now() - t);
  }
  await runtime.close();
  return { encodeMs: median(encode), rebuildMs: median(sample) };
}

async function mountOf(dir: string) {
  const found = await lookupMount(dir);
  if (!found) throw new Error(`${dir} is not mounted`);
  return found;
}
