import { USER_AGENT } from '../shared/channels/common.js';
import { failTarget, heartbeatTarget } from '../shared/heartbeat.js';
import type { DeliveryRecord } from '../shared/history.js';
import type { Settings } from '../shared/settings.js';
import type { Transport } from './delivery/transport.js';
import { monotonicMs } from './builtins.js';

/** What a heartbeat ping came to, for the CLI's and the app's log. */
export interface PingResult {
  /** The host pinged (never the whole URL: its token is a secret). */
  host: string;
  /** What was told: all is well, or trouble (with the reason). */
  said: 'ok' | 'fail';
  reason?: string;
  /** Whether the receiver took it (a 2xx). */
  delivered: boolean;
  detail: string;
}

export interface HeartbeatOptions {
  settings: () => Settings;
  transport: Transport;
  host: string;
  /** Monotonic milliseconds: a wall clock set back must not stop the pings. */
  now?: () => number;
  onPing?: (result: PingResult) => void;
}

/** How often to look whether a ping is due: a new URL or a shorter period applies within this. */
export const HEARTBEAT_CHECK_MS = 15_000;
const TIMEOUT_MS = 10_000;

/**
 * Pings the heartbeat URL every `heartbeatMinutes` while the watcher runs, and at once whenever
 * the watcher's own health changes: `/fail` (or the fail URL) while it is in trouble — a data
 * file cannot be written, deliveries to an integration failed for good, sampling failed — and the
 * plain URL again once that is over. One attempt per ping, no retries: the next ping is the retry,
 * and an outside switch that hears nothing for a while is exactly what should page someone.
 */
export class Heartbeat {
  /** What is wrong now, by source (a file, an integration, sampling). */
  private readonly trouble = new Map<string, string>();
  private lastPingAt = -Infinity;
  private lastSaid: 'ok' | 'fail' | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private changed = false;
  private readonly now: () => number;

  constructor(private readonly o: HeartbeatOptions) {
    this.now = o.now ?? monotonicMs;
  }

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), HEARTBEAT_CHECK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sending;
  }

  /** Something is wrong (`reason`) or fine again (null); a change is told at once. */
  set(source: string, reason: string | null): void {
    const before = this.status();
    if (reason === null) this.trouble.delete(source);
    else this.trouble.set(source, reason);
    if (this.status() !== before) void this.tick(true);
  }

  /** Deliveries: a failed one is trouble until that integration takes one again. */
  noteDelivery(r: DeliveryRecord): void {
    if (r.test) return;
    if (r.outcome === 'failed')
      this.set(
        `integration:${r.integrationId}`,
        `deliveries to "${r.integrationName}" fail: ${r.reason ?? 'failed'}`,
      );
    else if (r.outcome === 'delivered') this.set(`integration:${r.integrationId}`, null);
  }

  /** Forgets trouble of integrations that are gone (removed, or disabled). */
  keepIntegrations(ids: Iterable<string>): void {
    const keep = new Set([...ids].map((id) => `integration:${id}`));
    for (const source of [...this.trouble.keys()])
      if (source.startsWith('integration:') && !keep.has(source)) this.set(source, null);
  }

  status(): 'ok' | 'fail' {
    return this.trouble.size ? 'fail' : 'ok';
  }

  /**
   * Pings if one is due, or — `changed` — if the health changed since the last ping. One ping at a
   * time: a change while one is in flight is told right after it.
   */
  async tick(changed = false): Promise<void> {
    if (changed) this.changed = true;
    if (this.sending) return this.sending;
    const s = this.o.settings();
    if (s.heartbeatUrl === null) return;
    const due = this.now() - this.lastPingAt >= s.heartbeatMinutes * 60_000;
    const tell = this.changed && this.status() !== this.lastSaid;
    this.changed = false;
    if (!due && !tell) return;
    this.sending = this.ping(s.heartbeatUrl, s.heartbeatFailUrl).finally(() => {
      this.sending = undefined;
      if (this.changed) void this.tick();
    });
    return this.sending;
  }

  private async ping(pingUrl: string, failUrl: string | null): Promise<void> {
    const said = this.status();
    const reason = said === 'fail' ? [...this.trouble.values()].join('; ') : undefined;
    let url: string;
    try {
      const ping = heartbeatTarget(pingUrl, this.o.host);
      url =
        said === 'ok' ? ping : failTarget(ping, failUrl && heartbeatTarget(failUrl, this.o.host), reason!);
    } catch {
      // A URL that no longer parses (a hand-edited settings file): nothing to ping.
      return;
    }
    this.lastPingAt = this.now();
    this.lastSaid = said;
    const sent = await this.o.transport(
      { method: 'GET', url, headers: { 'user-agent': USER_AGENT } },
      TIMEOUT_MS,
    );
    const delivered = sent.ok && sent.response.status >= 200 && sent.response.status < 300;
    this.o.onPing?.({
      host: new URL(url).host,
      said,
      ...(reason ? { reason } : {}),
      delivered,
      detail: sent.ok ? `HTTP ${sent.response.status}` : (sent.error.code ?? sent.error.message),
    });
  }
}
