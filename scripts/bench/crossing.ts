import { CliProcess, runCli, tempHome } from '../../test/helpers/cli.js';
import { Receiver } from '../../test/helpers/receiver.js';
import { Tmpfs } from '../../test/helpers/tmpfs.js';
import type { TestPki } from '../../test/helpers/tls.js';
import { median } from './stats.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Crossing → delivered: a tmpfs filled at a steady rate (or in one jump) past 20% and 10% free
 * while `headroom watch` runs with default settings and a webhook integration; the delay runs
 * from the moment the write that crossed a threshold completed to the receiver's arrival stamp.
 */
export async function crossingBench(pki: TestPki, trials: number) {
  const disk = await Tmpfs.mount(128);
  const receiver = await Receiver.start(pki);
  const arrivals: { at: number; severity: string }[] = [];
  receiver.always((r) => {
    if (r.method === 'POST') arrivals.push({ at: Date.now(), severity: JSON.parse(r.body).severity });
    return { status: 200, body: 'ok' };
  });
  const home = await tempHome();
  await disk.setFreePercent(50);
  const added = await runCli(
    ['integration', 'add', '--type', 'webhook', '--url', receiver.url, '--ca', `${pki.dir}/ca.pem`],
    home,
  );
  if (added.code !== 0) throw new Error(added.stderr);
  // A fresh watcher for each crossing: one that saw more than 4 changes within the hour would
  // hold the next as flapping (by design), which is not what this measures.
  let watcher: CliProcess | undefined;
  const restart = async () => {
    await watcher?.stop();
    watcher = new CliProcess(['watch', '--mount', disk.dir], home);
    await watcher.waitForStderr(/watching/);
    await sleep(1500);
  };

  const arrivalOf = async (severity: string, after: number) => {
    for (let i = 0; i < 3000; i++) {
      const hit = arrivals.find((a) => a.severity === severity && a.at >= after);
      if (hit) return hit.at;
      await sleep(5);
    }
    throw new Error(`no ${severity} arrived`);
  };
  const reset = async () => {
    const before = Date.now();
    await disk.setFreePercent(50);
    await arrivalOf('clear', before);
    await sleep(3000); // calm again: the disk is stable and far from its thresholds
  };

  const steady: number[] = [];
  const jump: number[] = [];
  try {
    for (let t = 0; t < trials; t++) {
      await restart();
      // ~8 MB/s: 0.4 MB every 50 ms.
      const crossed: Record<string, number> = {};
      let free = await disk.freePercent();
      while (free > 8) {
        await disk.grow(0.4 * 1024 * 1024);
        free = await disk.freePercent();
        const now = Date.now();
        if (free < 20 && !crossed.warning) crossed.warning = now;
        if (free < 10 && !crossed.critical) crossed.critical = now;
        await sleep(50);
      }
      steady.push((await arrivalOf('warning', crossed.warning!)) - crossed.warning!);
      steady.push((await arrivalOf('critical', crossed.critical!)) - crossed.critical!);
      await reset();

      // A sudden jump from a calm disk straight to 15% free.
      await restart();
      await disk.setFreePercent(15);
      const at = Date.now();
      jump.push((await arrivalOf('warning', at)) - at);
      await reset();
    }
  } finally {
    await watcher?.stop();
    await receiver.close();
    await disk.dispose();
  }
  return { steadyMedianMs: median(steady), steady, jumpMedianMs: median(jump), jump };
}
