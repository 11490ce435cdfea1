import { readdirSync, readFileSync } from 'node:fs';
import { WebSocket } from 'undici';

/** CPU ticks (user + system, every thread), resident and peak resident memory, from /proc. */
export function procStats(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]) * 1024;
  return { cpuTicks: Number(stat[11]) + Number(stat[12]), rss: kib('VmRSS'), peakRss: kib('VmHWM') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What `headroom watch` is compared with: Node doing nothing, with one far-off timer. */
export const BARE_NODE = ['-e', 'setInterval(() => {}, 300000)'];

/**
 * Nanoseconds the process has run on a CPU, all its threads, from the scheduler's own count
 * (`/proc/PID/task/TID/schedstat`). The ticks in `/proc/PID/stat` are sampled at the clock tick: a
 * process that wakes for a fraction of a millisecond twice a second is charged whole ticks or
 * none, and two runs of the same build read 0.13 % and 0.21 % of a core.
 */
export function runNanoseconds(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended meanwhile: its time is no longer counted anywhere.
    }
  }
  return ns;
}

/**
 * The share of one core each process used over the same `seconds`, and its memory at the end.
 * Processes measured side by side share the window, so a busy moment of the machine falls on all.
 */
export async function idleOver(pids: number[], seconds: number) {
  const before = pids.map(runNanoseconds);
  const t = performance.now();
  await sleep(seconds * 1000);
  const after = pids.map(runNanoseconds);
  const elapsed = (performance.now() - t) / 1000;
  return pids.map((pid, i) => ({
    rss: procStats(pid).rss,
    cpuPercent: ((after[i]! - before[i]!) / 1e9 / elapsed) * 100,
  }));
}

/**
 * A full, memory-reducing garbage collection in a process started with `--inspect`, through the
 * inspector at `url` (the `ws://` address it printed). V8 otherwise hands freed heap back to the
 * system when its memory reducer decides to — seen 10 s after start in one run and not within a
 * minute in another — so an RSS read without this says more about that timing than about what
 * the process holds.
 */
export function collectGarbage(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
    ws.onmessage = (m) => {
      if (JSON.parse(String(m.data)).id !== 1) return;
      ws.close();
      resolve();
    };
    ws.onerror = () => reject(new Error(`inspector at ${url} did not answer`));
  });
}
