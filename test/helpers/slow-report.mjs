// Part of the run report (run-report.mjs): the files that took longest, so that whoever makes the
// suite slower sees it in the run that did: each file's own time, from loading it to its exit.
// Plain JavaScript: the test runner loads its reporters as they are, before any loader.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

/** The file a person edits: `test/x.test.ts` for its build in dist-tests/ (scripts/build-tests.mjs). */
const sourceOf = (file) => file.replace(/^dist-tests\/(test\/.*)\.js$/, '$1.ts');

/** Files listed at the end of the run, slowest first. */
const SHOWN = 8;
/** A file this slow is named as one to split (the suite's budget leaves no room for more). */
export const SLOW_FILE_SECONDS = 60;

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* slowReport(source) {
  const seconds = new Map();
  for await (const { type, data } of source) {
    // The runner's own event for a file: named by its path.
    if (type !== 'test:complete' || data.nesting !== 0 || !data.file || data.name !== data.file) continue;
    seconds.set(sourceOf(relative(process.cwd(), data.file)), (data.details?.duration_ms ?? 0) / 1000);
  }
  // Every file's time, for whoever speeds the suite up: HEADROOM_TEST_TIMES names where to write
  // them (run-tests.mjs empties it first; its groups of files each add theirs).
  const times = process.env.HEADROOM_TEST_TIMES;
  if (times) {
    const earlier = existsSync(times) ? JSON.parse(readFileSync(times, 'utf8')) : {};
    writeFileSync(times, JSON.stringify({ ...earlier, ...Object.fromEntries(seconds) }, null, 1));
  }
  const slowest = [...seconds].sort((a, b) => b[1] - a[1]).slice(0, SHOWN);
  if (slowest.length === 0) return;
  yield `# slowest files (of ${seconds.size}):\n`;
  for (const [file, s] of slowest)
    yield `#   ${s.toFixed(1).padStart(6)} s  ${file}${s > SLOW_FILE_SECONDS ? `  (over ${SLOW_FILE_SECONDS} s: split it)` : ''}\n`;
}
