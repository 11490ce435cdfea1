import { ALERT_KIND_NAMES } from '../../shared/alert-kinds.js';
import { MOUNT_STATES, subjectKey, type Reading } from '../../shared/disk.js';
import { wholeSeconds } from '../../shared/forecast.js';
import type { Integration } from '../../shared/integration.js';
import { appVersion } from '../app-version.js';
import type { Watcher } from '../watcher.js';
import { ATTEMPT_BUCKETS, DeliveryMetrics, FINAL_OUTCOMES } from './delivery-metrics.js';
import { labels, Page } from './exposition.js';

const UNTIL = ['warning', 'critical', 'full'] as const;
const FORECAST_KEY = {
  warning: 'secondsToWarning',
  critical: 'secondsToCritical',
  full: 'secondsToFull',
} as const;

/**
 * Headroom's state as Prometheus metrics, for `watch --metrics` and `--textfile`. Names follow
 * https://prometheus.io/docs/practices/naming/ (`headroom_` prefix, base units in the name,
 * `_total` counters); mounts carry node_exporter's labels (`device`, `fstype`, `mountpoint`), so
 * rules and dashboards written for `node_filesystem_*` carry over.
 *
 * The page is built from what the watcher already holds, never by sampling: the disk part once per
 * sample (in the watcher's tick), the delivery part when a delivery changed. A scrape joins the
 * cached parts, so it costs the watcher next to nothing however often it comes.
 */
export class Metrics {
  readonly deliveries: DeliveryMetrics;
  private disksText = '';
  private disksVersion = 0;
  private deliveriesText = '';
  private deliveriesKey: unknown[] = [];
  private readonly head: string;
  /** The whole page as sent, encoded once per change rather than once per scrape. */
  private encoded: { disksVersion: number; deliveriesText: string; body: Buffer } | undefined;

  constructor(
    private readonly watcher: Watcher,
    now: () => number = Date.now,
  ) {
    this.deliveries = new DeliveryMetrics(now());
    const { dispatcher } = watcher.runtime.delivery;
    dispatcher.onRecord((r) => this.deliveries.observe(r));
    watcher.monitor.onTick(() => this.rebuildDisks());
    this.head = new Page()
      .family('headroom_build_info', 'gauge', 'Always 1; the labels say which Headroom and Node.js run.')
      .sample('headroom_build_info', labels({ version: appVersion(), nodejs: process.version }), 1)
      .family('process_start_time_seconds', 'gauge', 'When this process started, in seconds since the epoch.')
      .sample('process_start_time_seconds', '', Math.round((now() - process.uptime() * 1000) / 1000))
      .text();
    this.rebuildDisks();
  }

  /** The whole page, as the textfile gets it. */
  render(): string {
    this.refreshDeliveries();
    return this.head + this.disksText + this.deliveriesText;
  }

  /**
   * The page as a scrape gets it: UTF-8 bytes, encoded once per change rather than once per
   * scrape (encoding 150 KB for every scrape was most of its cost: npm run bench).
   */
  page(): Buffer {
    this.refreshDeliveries();
    const e = this.encoded;
    if (e && e.disksVersion === this.disksVersion && e.deliveriesText === this.deliveriesText) return e.body;
    const body = Buffer.from(this.head + this.disksText + this.deliveriesText);
    this.encoded = { disksVersion: this.disksVersion, deliveriesText: this.deliveriesText, body };
    return body;
  }

  private refreshDeliveries(): void {
    const { integrations, problems } = this.watcher.runtime.delivery.integrations.load();
    const dispatcher = this.watcher.runtime.delivery.dispatcher;
    // The same list object comes back while integrations.json is unchanged.
    const key = [integrations, problems.length, this.deliveries.version, dispatcher.pendingCount()];
    if (key.some((k, i) => k !== this.deliveriesKey[i])) {
      this.deliveriesKey = key;
      this.deliveriesText = this.buildDeliveries(integrations, problems.length);
    }
  }

  private rebuildDisks(): void {
    const readings = this.watcher.recent.readings();
    const states = this.watcher.runtime.states.all();
    const page = new Page();
    const each = (name: string, fn: (r: Reading, mount: string) => number | undefined) => {
      for (const [r, set] of mounts) {
        const v = fn(r, set.mount);
        if (v !== undefined) page.sample(name, set.text, v);
      }
    };
    const mounts: [Reading, { mount: string; text: string; inner: string }][] = readings.map((r) => {
      const m = r.ok ? r.sample : r.mount;
      const text = labels({ device: m.fs, fstype: m.type, mountpoint: m.mount });
      return [r, { mount: m.mount, text, inner: text.slice(1, -1) }];
    });
    const bytes = [
      ['headroom_filesystem_size_bytes', 'Filesystem size in bytes.', (s: Sample) => s.size],
      [
        'headroom_filesystem_avail_bytes',
        'Bytes an unprivileged user can still write (what free-space alerts are judged on).',
        (s: Sample) => s.available,
      ],
      [
        'headroom_filesystem_free_bytes',
        'Free bytes, including blocks reserved for root.',
        (s: Sample) => s.size - s.used,
      ],
    ] as const;
    for (const [name, help, of] of bytes) {
      page.family(name, 'gauge', help);
      each(name, (r) => (r.ok ? of(r.sample) : undefined));
    }
    page.family(
      'headroom_filesystem_files',
      'gauge',
      'Inodes in all (absent where the filesystem keeps no count).',
    );
    each('headroom_filesystem_files', (r) => (r.ok ? r.sample.inodes?.total : undefined));
    page.family('headroom_filesystem_files_free', 'gauge', 'Free inodes.');
    each('headroom_filesystem_files_free', (r) => (r.ok ? r.sample.inodes?.free : undefined));
    page.family(
      'headroom_filesystem_device_error',
      'gauge',
      'Whether the last sample could not read the mount (1: unreachable, unmounted or timed out).',
    );
    each('headroom_filesystem_device_error', (r) => (r.ok ? 0 : 1));
    page.family(
      'headroom_sample_timestamp_seconds',
      'gauge',
      'When the mount was last sampled, in seconds since the epoch.',
    );
    each('headroom_sample_timestamp_seconds', (r) => (r.ok ? r.sample.at : r.at) / 1000);

    page.family(
      'headroom_alert_state',
      'gauge',
      `Each alert's state: 1 for the state it is in, 0 for the others. kind is ${ALERT_KIND_NAMES.join(' or ')}.`,
    );
    for (const [, set] of mounts)
      for (const kind of ALERT_KIND_NAMES) {
        const record = states[subjectKey(set.mount, kind)];
        if (!record) continue;
        for (const state of MOUNT_STATES)
          page.sample(
            'headroom_alert_state',
            `{${set.inner},kind="${kind}",state="${state}"}`,
            state === record.state ? 1 : 0,
          );
      }
    page.family(
      'headroom_forecast_seconds',
      'gauge',
      'At the recent fill rate, seconds until free space falls below the warning or critical threshold, or the disk is full (absent while not filling).',
    );
    for (const [r, set] of mounts) {
      if (!r.ok) continue;
      const f = this.watcher.forecasts.forecast(set.mount);
      for (const until of UNTIL) {
        const s = f[FORECAST_KEY[until]];
        if (s !== null)
          page.sample('headroom_forecast_seconds', `{${set.inner},until="${until}"}`, wholeSeconds(s));
      }
    }
    page.family('headroom_alerts_paused', 'gauge', 'Whether alerts are paused (1) or go out (0).');
    page.sample('headroom_alerts_paused', '', this.watcher.pauses.paused() ? 1 : 0);
    this.disksText = page.text();
    this.disksVersion++;
  }

  private buildDeliveries(integrations: Integration[], problems: number): string {
    const page = new Page();
    const pending = this.watcher.runtime.delivery.dispatcher.pendingByIntegration();
    const sets = integrations.map((i) => ({
      i,
      inner: labels({ integration: i.id }).slice(1, -1),
      counts: this.deliveries.of(i.id),
    }));
    page.family(
      'headroom_integration_info',
      'gauge',
      "Always 1, one series per integration: its name, channel type, whether it is enabled, and whether the organisation's policy manages it.",
    );
    for (const { i, inner } of sets)
      page.sample(
        'headroom_integration_info',
        `{${inner},${labels({ name: i.name, type: i.type, enabled: String(i.enabled), managed: String(!!i.managed) }).slice(1)}`,
        1,
      );
    page.family(
      'headroom_integration_load_problems',
      'gauge',
      'Integrations that cannot be loaded (invalid, or a secret that cannot be read): they get no alerts.',
    );
    page.sample('headroom_integration_load_problems', '', problems);
    page.family(
      'headroom_deliveries_total',
      'counter',
      'Deliveries ended since start, by outcome: delivered, failed (for good), held (quiet hours, snooze, flapping).',
    );
    for (const { inner, counts } of sets)
      for (const outcome of FINAL_OUTCOMES)
        page.sample('headroom_deliveries_total', `{${inner},outcome="${outcome}"}`, counts.outcomes[outcome]);
    page.family(
      'headroom_delivery_attempt_duration_seconds',
      'histogram',
      'How long each attempt to send took, from the request to the answer (or the timeout).',
    );
    for (const { inner, counts } of sets) {
      let running = 0;
      const cumulative = counts.buckets.map((n) => (running += n));
      page.histogram('headroom_delivery_attempt_duration_seconds', inner, {
        bounds: ATTEMPT_BUCKETS,
        cumulative,
        total: counts.attempts,
        sum: counts.secondsSum,
      });
    }
    page.family(
      'headroom_outbox_pending_deliveries',
      'gauge',
      'Deliveries waiting in the outbox to be sent or retried.',
    );
    for (const { i, inner } of sets)
      page.sample('headroom_outbox_pending_deliveries', `{${inner}}`, pending.get(i.id) ?? 0);
    return page.text();
  }
}

type Sample = Extract<Reading, { ok: true }>['sample'];
