import assert from 'node:assert/strict';
import { watch as watchDir } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, statfs } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from '../helpers/node-test.js';
import { addWebhook, CliProcess, runCli, tempHome } from '../helpers/cli.js';
import { metricValue, parseMetrics } from '../helpers/metrics.js';
import { LocalPrometheus, prometheusMissing, promtool, ScrapeCounter } from '../helpers/prometheus.js';
import { Receiver } from '../helpers/receiver.js';
import { assertReported } from '../helpers/report.js';
import { cannotMount, Tmpfs } from '../helpers/tmpfs.js';
import { makePki } from '../helpers/tls.js';

const skip = (await cannotMount) || prometheusMissing;

/** The metrics URL `watch --metrics` printed. */
const metricsUrl = async (w: CliProcess) =>
  /Prometheus metrics at (\S+)/.exec(await w.waitForStderr(/Prometheus metrics at/))![1]!;

const scrape = async (url: string) => {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  return res.text();
};

/** `promtool check metrics` on a page: exit 0 and no lint complaint at all. */
async function assertPromtoolAccepts(page: string) {
  const checked = await promtool(['check', 'metrics'], page);
  assert.equal(checked.code, 0, checked.output);
  assert.equal(checked.output.trim(), '', `promtool's lint: ${checked.output}`);
}

describe('Prometheus metrics of headroom watch, on a real tmpfs', { skip }, () => {
  let disk: Tmpfs;
  let home: string;
  const watchers: CliProcess[] = [];
  beforeEach(async () => {
    disk = await Tmpfs.mount(20);
    home = await tempHome();
  });
  afterEach(async () => {
    for (const w of watchers.splice(0)) await w.stop('SIGKILL');
    await disk.dispose();
  });
  const watch = (...more: string[]) => {
    const w = new CliProcess(['watch', '--json', '--interval', '1', '--mount', disk.dir, ...more], home);
    watchers.push(w);
    return w;
  };

  it("serves the mount's figures with node_exporter's labels, its alert state, and promtool passes them", async () => {
    await disk.setFreePercent(15);
    const w = watch('--metrics', '127.0.0.1:0');
    const url = await metricsUrl(w);
    assert.equal((await w.transition(1)).to, 'warning');
    const page = await scrape(url);
    await assertPromtoolAccepts(page);

    const samples = parseMetrics(page);
    const fs = await statfs(disk.dir);
    const mount = { device: 'tmpfs', fstype: 'tmpfs', mountpoint: disk.dir };
    assert.equal(metricValue(samples, 'headroom_filesystem_size_bytes', mount), fs.blocks * fs.bsize);
    assert.equal(metricValue(samples, 'headroom_filesystem_avail_bytes', mount), fs.bavail * fs.bsize);
    assert.equal(metricValue(samples, 'headroom_filesystem_free_bytes', mount), fs.bfree * fs.bsize);
    assert.equal(metricValue(samples, 'headroom_filesystem_files', mount), fs.files);
    assert.equal(metricValue(samples, 'headroom_filesystem_files_free', mount), fs.ffree);
    assert.equal(metricValue(samples, 'headroom_filesystem_device_error', mount), 0);
    const state = (kind: string, s: string) =>
      metricValue(samples, 'headroom_alert_state', { mountpoint: disk.dir, kind, state: s });
    assert.deepEqual(
      ['ok', 'warning', 'critical', 'unreachable'].map((s) => state('space', s)),
      [0, 1, 0, 0],
    );
    assert.equal(state('inodes', 'ok'), 1);
    const sampledAt = metricValue(samples, 'headroom_sample_timestamp_seconds', mount)!;
    assert.ok(Math.abs(sampledAt - Date.now() / 1000) < 60, `sampled at ${sampledAt}`);
    assert.equal(metricValue(samples, 'headroom_build_info')!, 1);
    assert.equal(metricValue(samples, 'headroom_alerts_paused'), 0);
  });

  it('is scraped by a real Prometheus on 127.0.0.1, which stores what the disk says', async () => {
    await disk.setFreePercent(15);
    const w = watch('--metrics', '127.0.0.1:0');
    const url = await metricsUrl(w);
    await w.transition(1);
    const counter = await ScrapeCounter.start(url);
    const prometheus = await LocalPrometheus.start([counter.target]);
    try {
      // Once the third scrape has begun, the second (after the warning) is in the database.
      await counter.begun(3);
      const up = await prometheus.query('up{job="headroom"}');
      assert.equal(up[0]?.value[1], '1', JSON.stringify(up));
      const fs = await statfs(disk.dir);
      const avail = await prometheus.query(`headroom_filesystem_avail_bytes{mountpoint="${disk.dir}"}`);
      assert.equal(Number(avail[0]?.value[1]), fs.bavail * fs.bsize);
      const warning = await prometheus.query(
        `headroom_alert_state{mountpoint="${disk.dir}",kind="space",state="warning"} == 1`,
      );
      assert.equal(warning.length, 1, 'a PromQL alert rule over the state finds the warning');
      assert.equal(warning[0]!.metric.fstype, 'tmpfs');
    } finally {
      await prometheus.stop();
      await counter.close();
    }
  });

  it("writes the same page to DIR/headroom.prom for node_exporter's textfile collector", async () => {
    await disk.setFreePercent(50);
    const dir = await mkdtemp(join(tmpdir(), 'headroom-textfile-'));
    const file = join(dir, 'headroom.prom');
    const written = new Promise<void>((resolve) => {
      const watcher = watchDir(dir, (_event, name) => {
        if (name === 'headroom.prom') {
          watcher.close();
          resolve();
        }
      });
    });
    const w = watch('--textfile', dir);
    await written;
    const page = await readFile(file, 'utf8');
    await assertPromtoolAccepts(page);
    assert.equal((await stat(file)).mode & 0o777, 0o644, 'node_exporter runs as another user');
    const samples = parseMetrics(page);
    assert.equal(
      metricValue(samples, 'headroom_alert_state', { mountpoint: disk.dir, kind: 'space', state: 'ok' }),
      1,
    );
    assert.equal(metricValue(samples, 'headroom_filesystem_device_error', { mountpoint: disk.dir }), 0);
    // The collector reads every *.prom file: the page being written (each second, also right now)
    // goes to a name it skips, and only a complete page is renamed into place.
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.prom')),
      ['headroom.prom'],
      'no half-written page for the collector to read',
    );
    await w.stop();
  });

  it('counts deliveries by outcome and times each attempt, per integration', async () => {
    const pki = await makePki();
    const receiver = await Receiver.start(pki);
    try {
      const added = await addWebhook(home, {
        name: 'Ops "hook"',
        url: `${receiver.url}/disk`,
        ca: pki.files.ca,
      });
      assert.equal(added.code, 0, added.stderr);
      const id = added.stdout.trim();
      receiver.reply({ status: 503, body: 'busy' });
      await disk.setFreePercent(15);
      const w = watch('--metrics', '127.0.0.1:0');
      const url = await metricsUrl(w);
      await w.waitUntil(() => w.jsonLines('delivery').find((d) => d.outcome === 'delivered'), 'a delivery');
      const page = await scrape(url);
      await assertPromtoolAccepts(page);
      const samples = parseMetrics(page);
      const of = { integration: id };
      assert.equal(metricValue(samples, 'headroom_deliveries_total', { ...of, outcome: 'delivered' }), 1);
      assert.equal(metricValue(samples, 'headroom_deliveries_total', { ...of, outcome: 'failed' }), 0);
      assert.equal(
        metricValue(samples, 'headroom_delivery_attempt_duration_seconds_count', of),
        2,
        'the 503, then the 200',
      );
      assert.equal(
        metricValue(samples, 'headroom_delivery_attempt_duration_seconds_bucket', { ...of, le: '+Inf' }),
        2,
      );
      assert.ok(metricValue(samples, 'headroom_delivery_attempt_duration_seconds_sum', of)! > 0);
      assert.equal(metricValue(samples, 'headroom_outbox_pending_deliveries', of), 0);
      assert.equal(
        metricValue(samples, 'headroom_integration_info', {
          ...of,
          name: 'Ops "hook"',
          type: 'webhook',
          enabled: 'true',
        }),
        1,
      );
    } finally {
      await receiver.close();
    }
  });
});

describe('metrics of mounts whose names need escaping', { skip }, () => {
  const NAMES = ['with "quotes"', 'back\\slash', 'new\nline', 'spaced é'];
  const disks: Tmpfs[] = [];
  let parent: string;
  let cases = 0;
  before(async () => {
    parent = await mkdtemp(join(tmpdir(), 'headroom-names-'));
  });
  after(async () => {
    for (const d of disks) await d.dispose();
    await rm(parent, { recursive: true, force: true });
    assertReported('Mount points that need escaping, in metrics', cases);
  });

  it('each comes out of a scrape exactly as mounted, and promtool accepts the page', async () => {
    const mounts: string[] = [];
    for (const name of NAMES) {
      const dir = join(parent, name);
      await mkdir(dir);
      disks.push(await Tmpfs.mountAt(dir, 4));
      mounts.push(dir);
    }
    for (const d of disks) await d.setFreePercent(15);
    const w = new CliProcess(
      [
        'watch',
        '--json',
        '--interval',
        '60',
        '--metrics',
        '127.0.0.1:0',
        ...mounts.flatMap((m) => ['--mount', m]),
      ],
      await tempHome(),
    );
    try {
      const url = await metricsUrl(w);
      // Each mount's warning is printed after the first sample, which the metrics then hold.
      await w.transition(mounts.length);
      const page = await scrape(url);
      await assertPromtoolAccepts(page);
      const seen = parseMetrics(page)
        .filter((s) => s.name === 'headroom_filesystem_size_bytes')
        .map((s) => s.labels.mountpoint);
      for (const m of mounts) {
        assert.ok(seen.includes(m), `${JSON.stringify(m)} in ${JSON.stringify(seen)}`);
        cases++;
      }
    } finally {
      await w.stop('SIGKILL');
    }
  });
});

describe('where the metrics endpoint listens, and whom it answers', () => {
  it('refuses a non-loopback address without --metrics-allow-remote, and that flag alone', async () => {
    const home = await tempHome();
    const remote = await runCli(['watch', '--metrics', '0.0.0.0:0'], home);
    assert.equal(remote.code, 2);
    assert.match(remote.stderr, /--metrics 0\.0\.0\.0: not a loopback address.*--metrics-allow-remote/);
    const alone = await runCli(['watch', '--metrics-allow-remote'], home);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--metrics-allow-remote goes with --metrics/);
    const port = await runCli(['watch', '--metrics', 'localhost:http'], home);
    assert.equal(port.code, 2);
    assert.match(port.stderr, /--metrics localhost:http: give a port \(9484\)/);
    const textfile = await runCli(['watch', '--textfile', '/no/such/dir'], home);
    assert.equal(textfile.code, 2);
    assert.match(textfile.stderr, /--textfile \/no\/such\/dir: no such directory/);
  });

  it('on loopback, answers loopback Host names only (DNS rebinding), GET only', async () => {
    const w = new CliProcess(['watch', '--interval', '60', '--metrics', '127.0.0.1:0'], await tempHome());
    try {
      const url = new URL(await metricsUrl(w));
      const ask = (host: string, method = 'GET') =>
        new Promise<number>((resolve, reject) =>
          request(url, { method, headers: { host } }, (res) => {
            res.resume();
            resolve(res.statusCode!);
          })
            .on('error', reject)
            .end(),
        );
      assert.equal(await ask(`localhost:${url.port}`), 200);
      assert.equal(await ask(`127.0.0.1:${url.port}`), 200);
      assert.equal(await ask(`attacker.example:${url.port}`), 421);
      assert.equal(await ask(`127.0.0.1:${url.port}`, 'POST'), 405);
    } finally {
      await w.stop('SIGKILL');
    }
  });
});
