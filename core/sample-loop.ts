import { monotonicMs } from './builtins.js';

/** How long one wait lasts at most, before the interval is read again. */
const INTERVAL_SLICE_MS = 10_000;

/**
 * Runs `tick` now and then every `intervalMs()` until the signal aborts; resolves once the tick
 * in progress has finished, so nothing is cut off half-way. A tick that throws goes to `onError`
 * and the loop carries on.
 */
export async function everyInterval(
  tick: () => Promise<unknown>,
  intervalMs: () => number,
  signal: AbortSignal,
  onError: (e: unknown) => void,
): Promise<void> {
  while (!signal.aborted) {
    // The monotonic clock: a wall clock set back a day must not stop sampling for a day.
    const started = monotonicMs();
    await tick().catch(onError);
    // In slices, reading the interval again each time: a shorter one set while waiting (the
    // CLI, Settings) applies within a slice, not after the old interval has run out.
    for (;;) {
      const left = started + intervalMs() - monotonicMs();
      if (left <= 0 || signal.aborted) break;
      await sleep(Math.min(left, INTERVAL_SLICE_MS), signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
