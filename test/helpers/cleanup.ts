import { afterEach } from './node-test.js';

/**
 * Registers closers that run after each test, even a failing one, so a failure cannot leave a
 * server or dispatcher open and hang the run. Returns the function that registers one.
 */
export function closeAfterEach(): (...closers: (() => Promise<void>)[]) => void {
  const opened: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of opened.splice(0)) await close();
  });
  return (...closers) => void opened.push(...closers);
}
