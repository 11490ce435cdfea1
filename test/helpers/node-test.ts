/**
 * node:test with a timeout on every test and hook. Node 20 applies `--test-timeout` to a whole
 * file, so one slow test on a busy machine cancelled all the others in its file, and a hung test
 * could only be found by the file's limit. Every test file imports from here (eslint enforces it).
 * The file limit (`--test-timeout` in package.json, 10 minutes) stays only as a backstop for a
 * file that never exits (a handle left open after its tests).
 */
import * as nodeTest from 'node:test';
import { within } from './diagnose.js';

export { describe } from 'node:test';

/** A test that sets no timeout of its own fails after this long; a slower one says so itself. */
export const TEST_TIMEOUT_MS = 60_000;
/** Hooks start and stop servers, mounts and browsers: the same bound. */
export const HOOK_TIMEOUT_MS = 60_000;

type Fn = nodeTest.TestFn;
type Options = nodeTest.TestOptions;

/** What a test is waiting on (a CLI process, say), told when the test runs out of time. */
const witnesses = new Set<() => string>();

/**
 * Registers `tell`, which says the state of something a test waits on (its output, what its
 * threads wait in); the returned function unregisters it. A test that runs out of time fails
 * with what every registered witness says at that moment, rather than only "timed out": a wait
 * that never ends on a busy CI machine then shows where it stuck from its first failure.
 */
export function witness(tell: () => string): () => void {
  witnesses.add(tell);
  return () => void witnesses.delete(tell);
}

/** `fn`, failing a moment before node:test would cancel it, with what the witnesses say. */
function told(fn: Fn, timeout: number): Fn {
  const ms = timeout - Math.min(2_000, timeout / 10);
  return async (t) => {
    await within(Promise.resolve((fn as (t: nodeTest.TestContext) => unknown)(t)), ms, () => [
      `still running after ${ms / 1000} s, of the ${timeout / 1000} s it has.`,
      ...[...witnesses].map((tell) => tell()),
    ]);
  };
}

export function it(name: string, fn: Fn): Promise<void>;
export function it(name: string, options: Options, fn?: Fn): Promise<void>;
export function it(name: string, a: Fn | Options, b?: Fn): Promise<void> {
  const [options, fn] = typeof a === 'function' ? [{}, a] : [a, b];
  const timeout = options.timeout ?? TEST_TIMEOUT_MS;
  return nodeTest.it(name, { ...options, timeout }, fn && Number.isFinite(timeout) ? told(fn, timeout) : fn);
}

type Hook = typeof nodeTest.before;
const bounded =
  (hook: Hook): Hook =>
  (fn, options) =>
    hook(fn, { timeout: HOOK_TIMEOUT_MS, ...options });

export const before = bounded(nodeTest.before);
export const after = bounded(nodeTest.after);
export const beforeEach = bounded(nodeTest.beforeEach);
export const afterEach = bounded(nodeTest.afterEach);
