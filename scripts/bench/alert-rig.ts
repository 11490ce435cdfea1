import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CliProcess, runCli, tempHome } from '../../test/helpers/cli.js';
import { Receiver } from '../../test/helpers/receiver.js';
import { Tmpfs } from '../../test/helpers/tmpfs.js';
import type { TestPki } from '../../test/helpers/tls.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The points a watcher saved for the forecast (docs/data-directory.md). */
const SAMPLE_FILES = ['samples.json', 'sample-history.json'];
/** What a watcher keeps of an alert: its state, what each integration was told, its thread. */
const ALERT_FILES = ['state.json', 'notified.json', 'threads.json'];

/** One webhook request as the receiver stamped it on arrival. */
export interface Arrival {
  at: number;
  severity: string;
  from: string;
  to: string;
  /** The forecast the alert carried (`secondsToFull`, `secondsToCritical`…), when it had one. */
  forecast?: Record<string, unknown>;
}

/**
 * A data directory with a webhook integration pointed at a local HTTPS receiver, which stamps
 * every space alert's arrival; `settings`: `key=value` pairs as `headroom settings set` takes them.
 */
export async function webhookHome(pki: TestPki, settings: string[] = []) {
  const receiver = await Receiver.start(pki);
  const arrivals: Arrival[] = [];
  receiver.always((r) => {
    const body = r.method === 'POST' ? JSON.parse(r.body) : undefined;
    if (body && body.headroom.kind !== 'inodes') {
      const { from, to, forecast } = body.headroom;
      arrivals.push({ at: Date.now(), severity: body.severity, from, to, ...(forecast ? { forecast } : {}) });
    }
    return { status: 200, body: 'ok' };
  });
  try {
    const home = await tempHome();
    const added = await runCli(
      ['integration', 'add', '--type', 'webhook', '--url', receiver.url, '--ca', `${pki.dir}/ca.pem`],
      home,
    );
    if (added.code !== 0) throw new Error(added.stderr);
    if (settings.length) {
      const set = await runCli(['settings', 'set', ...settings], home);
      if (set.code !== 0) throw new Error(set.stderr);
    }
    return { receiver, arrivals, home };
  } catch (error) {
    await receiver.close();
    throw error;
  }
}

/**
 * A real tmpfs watched by `headroom watch` (default settings, but for `settings`) with a webhook
 * integration pointed at a local HTTPS receiver (`webhookHome`).
 */
export async function alertRig(pki: TestPki, sizeMiB: number, settings: string[] = []) {
  const disk = await Tmpfs.mount(sizeMiB);
  await disk.setFreePercent(50);
  const { receiver, arrivals, home } = await webhookHome(pki, settings).catch(async (error) => {
    await disk.dispose();
    throw error;
  });

  let watcher: CliProcess | undefined;
  return {
    disk,
    home,
    get watcher() {
      return watcher;
    },
    /**
     * A fresh watcher: one that saw more than 4 changes within the hour would hold the next as
     * flapping (by design), which is not what the benchmarks measure. Without the points the last
     * one saved: the jumps and resets of the trial before are no history of this disk, and seen as
     * such they kept a steady fill from being recognised (its warning confirmed late, after the
     * critical: the crossing section failed in full runs from its second trial on).
     */
    async restart() {
      await watcher?.stop();
      for (const file of SAMPLE_FILES) await rm(join(home, file), { force: true });
      watcher = new CliProcess(['watch', '--json', '--mount', disk.dir], home);
      await watcher.waitForStderr(/watching/);
      await sleep(1500);
    },
    /**
     * A fresh watcher on the disk at a calm 50 % free, as on a new install: without the state of
     * the trial before (its alert), so that nothing waits for that alert's all-clear — 3 s of
     * confirmation and a re-read each time, most of a reset (the crossing section spent 40 s on them).
     */
    async restartCalm() {
      await watcher?.stop();
      watcher = undefined;
      await disk.setFreePercent(50);
      for (const file of ALERT_FILES) await rm(join(home, file), { force: true });
      await this.restart();
    },
    /** When the first alert matching `wanted` arrived at or after `after` (epoch ms). */
    async arrivalOf(wanted: Partial<Arrival>, after: number): Promise<number> {
      const matches = (a: Arrival) =>
        a.at >= after && Object.entries(wanted).every(([k, v]) => a[k as keyof Arrival] === v);
      for (let i = 0; i < 3000; i++) {
        const hit = arrivals.find(matches);
        if (hit) return hit.at;
        await sleep(5);
      }
      const since = arrivals.filter((a) => a.at >= after).map((a) => `${a.from}→${a.to} (${a.severity})`);
      throw new Error(
        `no ${JSON.stringify(wanted)} arrived within 15 s; arrived since: ${since.join(', ') || 'nothing'}`,
      );
    },
    async dispose() {
      await watcher?.stop();
      await receiver.close();
      await disk.dispose();
    },
  };
}
