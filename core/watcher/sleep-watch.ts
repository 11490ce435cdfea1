import { monotonicMs } from '../builtins.js';

/**
 * Where no OS event tells of a resume (`headroom watch` on a laptop or a suspended VM): timers
 * stand still during sleep while the wall clock runs on, so a gap between them means a wake.
 * Returns the function that stops looking.
 */
export function watchForSleep(now: () => number, checkMs: number, onWake: () => void): () => void {
  let wall = now();
  let mono = monotonicMs();
  const timer = setInterval(() => {
    const [w, m] = [now(), monotonicMs()];
    const slept = w - wall - (m - mono) > 2 * checkMs;
    [wall, mono] = [w, m];
    if (slept) onWake();
  }, checkMs);
  timer.unref();
  return () => clearInterval(timer);
}
