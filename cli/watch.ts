import { DEFAULT_KIND, kindLabel } from '../shared/alert-kinds.js';
import { usableOf } from '../shared/disk.js';
import { formatBytes, formatPercent, formatTime, roundPercent } from '../shared/format.js';
import { UsageScanFailed } from '../core/usage/usage-on-alert.js';
import { statusLabel, type DeliveryRecord } from '../shared/history.js';
import type { Transition } from '../shared/hysteresis.js';
import type { Settings } from '../shared/settings.js';
import { percentLimits, readingThresholds } from '../shared/thresholds.js';
import { describeHolder, WatchLock } from '../core/watch-lock.js';
import { Watcher } from '../core/watcher.js';
import type { PingResult } from '../core/heartbeat.js';
import { storageHealth } from '../core/fs/storage-health.js';
import type { ShellHooks } from '../core/api.js';
import type { UiHost } from '../core/web-ui-hosts.js';
import { join } from 'node:path';
import { openContext, type CliIO } from './context.js';
import { CommandFailed, UserError } from './errors.js';
import { visible } from './escape.js';
import type { CommandHelp } from './help.js';
import { resolveNamedMounts } from './mounts.js';
import { watchOverride } from './watch-flags.js';
import { readMetricsFlags, startMetricsOutputs } from './watch-metrics.js';
import { parseListen, publishUiUrl, refusedLine, uiHostFlags } from './watch-ui.js';
import { parseOptions, synopsis, type OptionTable } from './options.js';

export const WATCH_OPTIONS = {
  interval: {
    type: 'string',
    value: 'SECONDS',
    help: 'time between samples (default: the intervalSeconds setting, 300)',
  },
  mount: {
    type: 'string',
    short: 'm',
    multiple: true,
    value: 'PATH',
    help: 'watch only the disk PATH is on (a mount point, or any file or directory on it); tmpfs and network mounts included',
  },
  json: {
    type: 'boolean',
    short: 'j',
    help: 'one JSON object per line: {"type":"transition","mount","from","to","freePercent","at"}, and {"type":"usage",…} for what grew',
  },
  ui: {
    type: 'string',
    value: '[HOST:]PORT',
    help: 'serve the web UI (loopback unless --ui-allow-remote); its URL, with the access token (kept until `headroom ui --rotate-token`), is printed at start on a terminal, else saved to ui-url in the data directory (0600)',
  },
  'ui-allow-remote': {
    type: 'boolean',
    help: "allow --ui on a non-loopback address and answer to this machine's host names and addresses (warns: put it behind TLS)",
  },
  'ui-host': {
    type: 'string',
    multiple: true,
    value: 'NAME',
    help: "also answer to NAME, NAME:PORT or a proxy's https://NAME (needs --ui-allow-remote); the first is the name in the printed URL",
  },
  metrics: {
    type: 'string',
    value: '[HOST:]PORT',
    help: 'serve Prometheus metrics at http://HOST:PORT/metrics (loopback unless --metrics-allow-remote); 9484 is the usual port',
  },
  'metrics-allow-remote': {
    type: 'boolean',
    help: 'allow --metrics on a non-loopback address (0.0.0.0:9484), for a Prometheus on another machine',
  },
  textfile: {
    type: 'string',
    value: 'DIR',
    help: "write the same metrics to DIR/headroom.prom after every sample, for node_exporter's textfile collector",
  },
} as const satisfies OptionTable;

export const watchHelp: CommandHelp = {
  usage: [`headroom watch ${synopsis(WATCH_OPTIONS)}`],
  about: `Samples at start and then every interval, and prints one line per transition (ok, warning,
critical, unreachable). Nothing is printed while a state holds. Runs until SIGINT or SIGTERM.`,
  options: WATCH_OPTIONS,
};

export async function watch(argv: string[], io: CliIO, signal: AbortSignal): Promise<number> {
  const { values } = parseOptions(WATCH_OPTIONS, argv);
  const ctx = openContext(io, {
    onRecord: (r) => logDelivery(r, values.json ?? false, io),
    onRefreshFailed: (i, message) =>
      io.err(`headroom: could not re-send active alerts to "${i.name}": ${message}`),
  });
  const only = values.mount
    ? await resolveNamedMounts(values.mount, (line) => io.err(`headroom: ${line}`))
    : undefined;
  const override = watchOverride(ctx.settings, values.interval, only);
  const ui = values.ui === undefined ? undefined : parseListen('--ui', values.ui);
  const uiHosts = uiHostFlags(values);
  const metricsFlags = readMetricsFlags(values);

  storageHealth.on('failed', (file, reason) =>
    io.err(
      `headroom: cannot write ${file} (${reason}). Alerts keep going out from memory; they are saved once there is room.`,
    ),
  );
  storageHealth.on('readFailed', (file, reason) =>
    io.err(
      `headroom: cannot read ${file} (${reason}). Headroom keeps what it has in memory and reads it again next time; the file is left as it is.`,
    ),
  );
  storageHealth.on('recovered', (file) => io.err(`headroom: ${file} works again.`));

  const lock = new WatchLock(ctx.dir);
  const taken = lock.acquire('cli');
  if (!taken.ok) throw new CommandFailed(describeHolder(taken.holder, ctx.dir));
  try {
    const watcher = new Watcher(ctx, { only, override, onHeartbeat: heartbeatLogger(io) });
    watcher.monitor.onTransition((t) =>
      io.out(values.json ? JSON.stringify(transitionJson(t)) : transitionLine(t, watcher.settings(), io.utc)),
    );
    // What grew, from the scan a warning or critical starts: after the transition's own line.
    watcher.events.on('usage', (note) =>
      io.out(
        values.json
          ? JSON.stringify({ type: 'usage', ...note, at: new Date(note.at).toISOString() })
          : `${formatTime(note.at, { utc: io.utc })}  ${visible(note.mount)}  ${note.lines.map(visible).join('; ')}`,
      ),
    );
    const s = watcher.settings();
    const mounts = await watcher.monitor.watchedMounts();
    io.err(
      `headroom: watching ${mounts.map((m) => visible(m.mount)).join(', ') || 'no mounts'} every ${s.intervalSeconds} s ` +
        `(warning below ${s.warningPercent}% free, critical below ${s.criticalPercent}%, all clear above ${s.warningPercent + s.clearMarginPercent}%). Data: ${visible(ctx.dir)}`,
    );
    for (const p of ctx.delivery.integrations.load().problems)
      io.err(
        `headroom: integration ${visible(p.id)} (${visible(p.name)}) cannot be loaded, the others keep working: ${visible(p.message)}`,
      );
    if (watcher.pauses.paused())
      io.err(
        `headroom: alerts are paused until ${formatTime(watcher.pauses.pausedUntil()!, { utc: io.utc, seconds: false })}.`,
      );
    const metrics = await startMetricsOutputs(watcher, metricsFlags, io);
    const web = ui
      ? await startUi(watcher, ui, { allowRemote: values['ui-allow-remote'] ?? false, uiHosts }, io).catch(
          async (error: unknown) => {
            await metrics.close();
            throw error;
          },
        )
      : undefined;
    try {
      await watcher.run(signal, (e) =>
        io.err(`headroom: ${e instanceof UsageScanFailed ? '' : 'sampling failed: '}${(e as Error).message}`),
      );
    } finally {
      await web?.close();
      await metrics.close();
    }
  } finally {
    lock.release();
  }
  const { dispatcher } = ctx.delivery;
  const pending = dispatcher.pendingCount();
  await ctx.close();
  io.err(
    `headroom: stopped.${pending ? ` ${pending} pending deliveries stay in the outbox and go out at the next start.` : ''}`,
  );
  return 0;
}

async function startUi(
  watcher: Watcher,
  at: { host: string; port: number },
  remote: { allowRemote: boolean; uiHosts: UiHost[] },
  io: CliIO,
) {
  const hooks: ShellHooks = {
    shell: 'web',
    secrets: { protected: false, description: watcher.runtime.delivery.integrations.secretsDescription },
    getLaunchAtLogin: () => null,
    setLaunchAtLogin: () => {},
  };
  // Built to dist/cli/ (bundled or not), beside dist/renderer/.
  const staticDir = join(import.meta.dirname, '..', 'renderer');
  // Loaded only with --ui: a watcher without the web UI does not hold its server and API code.
  const [{ isLoopback, startWebUi, WEB_UI_LIMITS }, { createApi }] = await Promise.all([
    import('../core/web-ui.js'),
    import('../core/api.js'),
  ]);
  let web;
  let rotated = (_token: string) => {};
  try {
    web = await startWebUi(watcher, createApi(watcher, hooks), {
      ...at,
      staticDir,
      ...remote,
      log: (line) => io.err(`headroom: ${line}`),
      onRotated: (token) => rotated(token),
      onRefused: (r) => io.err(refusedLine(r, WEB_UI_LIMITS)),
    });
  } catch (error) {
    // A system error (the port is taken) is a failure; anything else is a refused --ui value.
    const message = (error as Error).message;
    throw (error as NodeJS.ErrnoException).code ? new CommandFailed(message) : new UserError(message);
  }
  if (!isLoopback(at.host))
    io.err(
      `headroom: WARNING: the web UI listens on ${at.host}, reachable from the network. Anyone with the token controls your integrations: put it behind TLS.`,
    );
  const published = publishUiUrl(watcher.runtime.dir, web, io);
  rotated = published.rotated;
  return {
    close: async () => {
      published.remove();
      await web.close();
    },
  };
}

/** A line when what the heartbeat tells, or whether it gets through, changes: not every ping. */
function heartbeatLogger(io: CliIO): (r: PingResult) => void {
  let last = '';
  return (r) => {
    const key = `${r.said}:${r.delivered}:${r.reason ?? ''}`;
    if (key === last) return;
    last = key;
    if (!r.delivered)
      io.err(
        `headroom: heartbeat to ${r.host} could not be sent (${visible(r.detail)}); trying again at the next ping.`,
      );
    else if (r.said === 'ok') io.err(`headroom: heartbeat to ${r.host}: all is well (${r.detail}).`);
    else
      io.err(`headroom: heartbeat to ${r.host}: told of trouble: ${visible(r.reason ?? '')} (${r.detail}).`);
  };
}

export function transitionJson(t: Transition) {
  const r = t.reading;
  return {
    type: 'transition' as const,
    mount: t.mount,
    kind: t.kind,
    from: t.from,
    to: t.to,
    freePercent: r.ok ? roundPercent(r.sample.freePercent) : null,
    at: new Date(t.at).toISOString(),
    ...(r.ok ? { available: r.sample.available, size: r.sample.size } : { reason: r.reason }),
    ...(r.ok && t.kind === 'inodes' && r.sample.inodes
      ? { inodes: { ...r.sample.inodes, freePercent: roundPercent(r.sample.inodes.freePercent) } }
      : {}),
  };
}

/** Deliveries as they progress: JSON lines beside the transitions, or a line on stderr. */
function logDelivery(r: DeliveryRecord, json: boolean, io: CliIO) {
  if (r.outcome === 'pending' || r.test) return;
  const last = r.attempts.at(-1);
  if (json) {
    io.out(
      JSON.stringify({
        type: 'delivery',
        id: r.id,
        integrationId: r.integrationId,
        integration: r.integrationName,
        mount: r.event.mount,
        kind: r.event.kind ?? DEFAULT_KIND,
        from: r.event.from,
        to: r.event.to,
        outcome: r.outcome,
        attempts: r.attempts.length,
        ...(last?.status === undefined ? {} : { status: last.status }),
        ...(r.reason ? { reason: r.reason } : {}),
        ...(r.delayedUntil === undefined ? {} : { delayedUntil: new Date(r.delayedUntil).toISOString() }),
      }),
    );
    return;
  }
  const meta = last
    ? [last.status && statusLabel(r.channel, last.status), `${last.latencyMs} ms`].filter(Boolean).join(', ')
    : '';
  // A held record's reason says so itself ("held: quiet hours until 07:00; …").
  const outcome =
    r.outcome === 'held'
      ? (r.reason ?? 'held')
      : `${r.outcome}${meta ? ` (${meta})` : ''}${r.reason ? `: ${r.reason}` : ''}`;
  io.err(
    `headroom: ${visible(r.event.mount)} ${r.event.from} → ${r.event.to} to "${visible(r.integrationName)}": ${visible(outcome)}`,
  );
}

function transitionLine(t: Transition, settings: Settings, utc?: boolean): string {
  const r = t.reading;
  const inodes = r.ok && t.kind === 'inodes' ? r.sample.inodes : undefined;
  // Never rounded across a threshold: 19.99 % in a warning at 20 % is not "20.0%".
  const percent = (p: number) => formatPercent(p, percentLimits(readingThresholds(settings, r, t.kind)));
  const detail = inodes
    ? `${percent(inodes.freePercent)} of inodes free (${inodes.free} of ${inodes.total})`
    : r.ok
      ? `${percent(r.sample.freePercent)} free (${formatBytes(r.sample.available)} of ${formatBytes(usableOf(r.sample))})`
      : `(${visible(r.reason)})`;
  const what = kindLabel(visible(t.mount), t.kind);
  return `${formatTime(t.at, { utc })}  ${what}  ${t.from} → ${t.to}  ${detail}`;
}
