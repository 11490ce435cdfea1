import { DEFAULT_SETTINGS } from '../../shared/settings.js';
import { CliProcess } from '../../test/helpers/cli.js';
import type { TestPki } from '../../test/helpers/tls.js';
import { sleep, webhookHome, type Arrival } from './alert-rig.js';
import { LoopDisk } from '../../test/helpers/images.js';
import { readTruth, type Truth } from '../../test/helpers/truth.js';
import type { Inputs } from './workload-inputs.js';
import type { Claim } from './workload-score.js';
import { DISK_MIB, type Workload } from './workloads.js';

export interface WorkloadRun {
  truth: Truth[];
  told: Arrival[];
  claims: Claim[];
  /** When the observation ended (epoch ms): claims whose time had not run out are not judged. */
  endAt: number;
}

/** Runs `tick` every `ms` (from its start) until stopped; `stop()` waits for the tick under way. */
function every(ms: number, tick: () => Promise<void>) {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const next = Date.now() + ms;
      await tick().catch(() => {});
      await sleep(next - Date.now());
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

/** `headroom_forecast_seconds{…,until="full"} 12` lines of a scrape, as claims made now. */
function claimsOf(page: string, at: number): Claim[] {
  const out: Claim[] = [];
  for (const m of page.matchAll(/^headroom_forecast_seconds\{[^}]*until="(full|critical)"\} (\S+)$/gm))
    out.push({ at, until: m[1] as Claim['until'], seconds: Number(m[2]), source: 'metrics' });
  return out;
}

/** The times an alert stated in its forecast, as claims made when it arrived. */
function claimsOfAlerts(told: Arrival[]): Claim[] {
  const out: Claim[] = [];
  for (const a of told)
    for (const [until, key] of [
      ['full', 'secondsToFull'],
      ['critical', 'secondsToCritical'],
    ] as const) {
      const seconds = a.forecast?.[key];
      if (typeof seconds === 'number') out.push({ at: a.at, until, seconds, source: 'alert' });
    }
  return out;
}

/**
 * One workload on a fresh ext4, under a fresh `headroom watch` (default settings, `--metrics` on
 * loopback) with a webhook integration to a local receiver. The bench reads the truth with statfs
 * at 10 Hz and the watcher's forecasts from /metrics each second; after the workload's time the
 * disk rests for the confirmation and a second, so what is under way is told. The disk is always
 * unmounted, the watcher and receiver always stopped.
 */
export async function runWorkload(pki: TestPki, w: Workload, inputs: Inputs): Promise<WorkloadRun> {
  const disk = await LoopDisk.create(DISK_MIB);
  let hook: Awaited<ReturnType<typeof webhookHome>> | undefined;
  let watcher: CliProcess | undefined;
  try {
    await disk.mount();
    await disk.leaveFree(w.startFree);
    hook = await webhookHome(pki);
    watcher = new CliProcess(['watch', '--json', '--mount', disk.dir, '--metrics', '127.0.0.1:0'], hook.home);
    const line = await watcher.waitForStderr(/Prometheus metrics at /);
    const metricsUrl = line.match(/(http:\S+)/)![1]!;
    await sleep(1000); // past its first sample: the workload starts on a watched, calm disk

    const truth: Truth[] = [];
    const claims: Claim[] = [];
    const stopTruth = every(100, async () => void truth.push(await readTruth(disk.dir)));
    const stopScrape = every(1000, async () => {
      const page = await (await fetch(metricsUrl)).text();
      claims.push(...claimsOf(page, Date.now()));
    });
    try {
      const until = Date.now() + w.seconds * 1000;
      await w.run(disk, inputs, until);
      await sleep(until - Date.now() + DEFAULT_SETTINGS.confirmSeconds * 1000 + 1000);
    } finally {
      await stopTruth();
      await stopScrape();
    }
    const told = [...hook.arrivals];
    return { truth, told, claims: [...claims, ...claimsOfAlerts(told)], endAt: Date.now() };
  } finally {
    await watcher?.stop();
    await hook?.receiver.close();
    await disk.dispose();
  }
}
