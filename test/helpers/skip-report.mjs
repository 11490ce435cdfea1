// Part of the run report (run-report.mjs). Node's summary counts skipped tests but
// not skipped suites (`describe(…, { skip })`), so a whole file skipped for a missing part read
// "skipped 0". This one lists every skip, suites included, with its reason; and under CI=true any
// skip but the Electron smoke test's (the one part CI machines lack) fails the run.
// Plain JavaScript: the test runner loads its reporters as they are, before any loader.
import { relative } from 'node:path';

/** How the Electron smoke test's skip reason begins where the binary is missing: allowed on CI. */
export const NO_ELECTRON_BINARY = 'no Electron binary';

/** @param {AsyncIterable<{ type: string, data: any }>} source */
export default async function* skipReport(source) {
  const skips = [];
  for await (const { type, data } of source) {
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    if (data.skip === undefined || data.skip === false) continue;
    // No line: under tsx the runner reports the transpiled file's. A test made through
    // node-test.ts is placed there by the runner (it takes the caller's file): no file then.
    const where =
      data.file && !data.file.endsWith('node-test.ts') ? `${relative(process.cwd(), data.file)}: ` : '';
    skips.push({
      suite: data.details?.type === 'suite',
      text: `${where}${data.name} — ${data.skip === true ? '(no reason given)' : data.skip}`,
      allowed: typeof data.skip === 'string' && data.skip.startsWith(NO_ELECTRON_BINARY),
    });
  }
  const suites = skips.filter((s) => s.suite).length;
  yield `# skipped ${skips.length}: ${skips.length - suites} test(s), ${suites} suite(s) with every test in them\n`;
  for (const s of skips) yield `#   ${s.suite ? 'suite' : 'test'} ${s.text}\n`;
  const refused = process.env.CI === 'true' ? skips.filter((s) => !s.allowed) : [];
  if (refused.length === 0) return;
  yield `# CI=true: ${refused.length} skip(s) fail the run; only "${NO_ELECTRON_BINARY}" may skip here\n`;
  // The runner only ever sets a failing exit code, so this one stands.
  process.exitCode = 1;
}
