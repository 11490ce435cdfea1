/**
 * node:test with a timeout on every test and hook. Node 20 applies `--test-timeout` to a whole
 * file, so one slow test on a busy machine cancelled all the others in its file, and a hung test
 * could only be found by the file's limit. Every test file imports from here (eslint enforces it).
 * The file limit (`--test-timeout` in package.json, 10 minutes) stays only as a backstop for a
 * file that never exits (a handle left open after its tests).
 */
import * as nodeTest from 'node:test';

export { describe } from 'node:test';

/** A test that sets no timeout of its own fails after this long; a slower one says so itself. */
export const TEST_TIMEOUT_MS = 60_000;
/** Hooks start and stop servers, mounts and browsers: the same bound. */
export const HOOK_TIMEOUT_MS = 60_000;

type Fn = nodeTest.TestFn;
type Options = nodeTest.TestOptions;

export function it(name: string, fn: Fn): Promise<void>;
export function it(name: string, options: Options, fn?: Fn): Promise<void>;
export function it(name: string, a: Fn | Options, b?: Fn): Promise<void> {
  const [options, fn] = typeof a === 'function' ? [{}, a] : [a, b];
  return nodeTest.it(name, { timeout: TEST_TIMEOUT_MS, ...options }, fn);
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
