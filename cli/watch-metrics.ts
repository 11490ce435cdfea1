import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isLoopback } from '../core/web-ui-hosts.js';
import type { Watcher } from '../core/watcher.js';
import type { CliIO } from './context.js';
import { CommandFailed, UserError } from './errors.js';
import { parseListen } from './watch-ui.js';

export interface MetricsFlags {
  listen?: { host: string; port: number };
  allowRemote: boolean;
  textfileDir?: string;
}

/** `--metrics`, `--metrics-allow-remote` and `--textfile`, checked before anything starts. */
export function readMetricsFlags(values: {
  metrics?: string;
  'metrics-allow-remote'?: boolean;
  textfile?: string;
}): MetricsFlags {
  const allowRemote = values['metrics-allow-remote'] ?? false;
  if (allowRemote && values.metrics === undefined)
    throw new UserError('--metrics-allow-remote goes with --metrics [HOST:]PORT.');
  let textfileDir: string | undefined;
  if (values.textfile !== undefined) {
    textfileDir = resolve(values.textfile);
    let isDir: boolean;
    try {
      isDir = statSync(textfileDir).isDirectory();
    } catch {
      throw new UserError(
        `--textfile ${values.textfile}: no such directory (node_exporter's --collector.textfile.directory).`,
      );
    }
    if (!isDir) throw new UserError(`--textfile ${values.textfile}: not a directory.`);
    try {
      accessSync(textfileDir, constants.W_OK);
    } catch {
      throw new CommandFailed(`--textfile ${values.textfile}: this user cannot write there.`);
    }
  }
  return {
    ...(values.metrics === undefined ? {} : { listen: parseListen('--metrics', values.metrics, 9484) }),
    allowRemote,
    ...(textfileDir ? { textfileDir } : {}),
  };
}

/**
 * The metrics endpoint and the textfile, as the flags ask; `close()` stops both. Loaded only when
 * asked for: a watcher without them keeps its idle footprint (measured in `npm run bench`).
 */
export async function startMetricsOutputs(watcher: Watcher, flags: MetricsFlags, io: CliIO) {
  if (!flags.listen && !flags.textfileDir) return { close: async () => {} };
  const [{ Metrics }, { METRICS_LIMITS, startMetricsServer }, { textfileWriter }] = await Promise.all([
    import('../core/metrics/metrics.js'),
    import('../core/metrics/metrics-server.js'),
    import('../core/metrics/textfile.js'),
  ]);
  const metrics = new Metrics(watcher);
  const render = () => metrics.render();
  let server: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  if (flags.listen) {
    try {
      server = await startMetricsServer(() => metrics.page(), {
        ...flags.listen,
        allowRemote: flags.allowRemote,
        onRefused: (n) =>
          io.err(
            `headroom: in the last minute the metrics endpoint closed or refused ${n} connection(s) to stay within its limit of ${METRICS_LIMITS.connections} (idle ones, the longest idle first). Sampling and alerts go on.`,
          ),
      });
    } catch (error) {
      // A system error (the port is taken) is a failure; anything else is a refused value.
      const message = (error as Error).message;
      throw (error as NodeJS.ErrnoException).code
        ? new CommandFailed(`--metrics ${flags.listen.host}:${flags.listen.port}: ${message}`)
        : new UserError(message);
    }
    io.err(`headroom: Prometheus metrics at ${server.url}`);
    if (!isLoopback(flags.listen.host))
      io.err(
        `headroom: the metrics endpoint listens on ${flags.listen.host}, reachable from the network: it names this machine's mounts and integrations.`,
      );
  }
  const textfile = flags.textfileDir
    ? textfileWriter(flags.textfileDir, render, {
        onFailed: (file, reason) =>
          io.err(`headroom: cannot write ${file} (${reason}); trying again after every sample.`),
        onRecovered: (file) => io.err(`headroom: ${file} is written again.`),
      })
    : undefined;
  if (textfile) {
    watcher.monitor.onTick(() => textfile.write());
    watcher.runtime.delivery.dispatcher.onRecord(() => textfile.soon());
    io.err(`headroom: metrics written to ${textfile.file} after every sample.`);
  }
  return {
    close: async () => {
      textfile?.stop();
      await server?.close();
    },
  };
}
