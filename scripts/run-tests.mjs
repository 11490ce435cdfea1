// `npm run test:unit [-- FILE…]`: the test files, several at a time — most of a file's time is
// spent waiting on real servers, disks, browsers and clocks, not on the CPU — except the files
// that say they run alone (a line `// test:alone: why`, e.g. a loop-mounted ext4 that every other
// file's watcher would discover as a disk), which then run one at a time. HEADROOM_TEST_CONCURRENCY
// sets how many files run at once (1: the whole suite one file at a time).
// The files run as compiled first (scripts/build-tests.mjs): plain JavaScript, no tsx to load in
// each test process; stack traces still name the TypeScript lines (--enable-source-maps).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { builtPath, buildTests, testFiles } from './build-tests.mjs';

const ALONE = /^\/\/ test:alone: \S/m;
const concurrency = Number(process.env.HEADROOM_TEST_CONCURRENCY ?? 4);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(
    `HEADROOM_TEST_CONCURRENCY must be a whole number of 1 or more (it is "${process.env.HEADROOM_TEST_CONCURRENCY}").`,
  );
  process.exit(2);
}

// The browser tests are the longest and the heaviest: started early (a long file started last is
// the run's tail), but alternating with the others, so about half the files running at once start a browser.
const interleaved = (all) => {
  const browser = all.filter((f) => f.startsWith('test/e2e/'));
  const rest = all.filter((f) => !browser.includes(f));
  return Array.from({ length: Math.max(browser.length, rest.length) }, (_, i) => [browser[i], rest[i]])
    .flat()
    .filter(Boolean);
};
// `--checks` (npm test): lint, type-check and the Electron scan run too, one after another beside
// the files that run alone, which leave a core of two idle for a minute; run before the tests,
// they added ~40 s to the suite's time here. Their output is shown once they are done.
const CHECKS = ['lint', 'typecheck', 'scan:electron'];
const withChecks = process.argv.includes('--checks');
const named = process.argv.slice(2).filter((a) => a !== '--checks');
const files = named.length ? named : interleaved(testFiles().sort());
const unknown = files.filter((f) => !/^test\/.*\.test\.ts$/.test(f));
if (unknown.length) {
  console.error(
    `run-tests: give test files by their path from here (test/…/x.test.ts), not: ${unknown.join(', ')}`,
  );
  process.exit(2);
}
try {
  await buildTests();
} catch (error) {
  // esbuild has printed what does not compile, with its file and line.
  console.error(`run-tests: the tests do not compile: ${error.message.split('\n')[0]}`);
  process.exit(1);
}
// Each group's reporter adds its files' times to HEADROOM_TEST_TIMES (slow-report.mjs): start afresh.
if (process.env.HEADROOM_TEST_TIMES) rmSync(process.env.HEADROOM_TEST_TIMES, { force: true });
const alone = files.filter((f) => ALONE.test(readFileSync(f, 'utf8')));
const together = files.filter((f) => !alone.includes(f));

// One Chromium for every file that needs a browser (test/helpers/browser.ts says why), unless
// there is none, or the run is given one (HEADROOM_TEST_BROWSER).
const browser =
  !process.env.HEADROOM_TEST_BROWSER && files.some((f) => f.startsWith('test/e2e/'))
    ? await startBrowser()
    : undefined;

let failed = false;
let checking;
const groups = [
  [together, concurrency, `${together.length} test files, ${concurrency} at a time`],
  [alone, 1, `${alone.length} test files that run alone (test:alone), one at a time`],
].filter(([group]) => group.length > 0);
for (const [i, [group, n, what]] of groups.entries()) {
  if (withChecks && i === groups.length - 1) {
    console.log(`# ${CHECKS.map((c) => `npm run ${c}`).join(', ')}: beside the tests below`);
    checking = runChecks();
  }
  console.log(`# ${what}`);
  failed = !(await run(group, n)) || failed;
}
if (checking) {
  const { passed, output } = await checking;
  process.stdout.write(output);
  failed = !passed || failed;
}
await browser?.close();
process.exit(failed ? 1 : 0);

/** The shared Chromium, started from the built helper; none where Chromium is missing (files skip). */
async function startBrowser() {
  const { chromiumMissing, sharedChromium } = await import(
    pathToFileURL(builtPath('test/helpers/browser.ts')).href
  );
  if (chromiumMissing) return undefined;
  const shared = await sharedChromium();
  process.env.HEADROOM_TEST_BROWSER = shared.address;
  return shared;
}

/** The checks one after another, each one's output kept for the end; passed when all did. */
async function runChecks() {
  let passed = true;
  let output = '';
  for (const script of CHECKS) {
    const child = spawn('npm', ['run', script, '--silent'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    const code = await new Promise((done) => child.on('close', done));
    output += `# npm run ${script}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`}\n${text}`;
    passed &&= code === 0;
  }
  return { passed, output };
}

/** One run of Node's test runner; true when it passed. */
function run(group, n) {
  const reporters = ['spec', './test/helpers/run-report.mjs'].flatMap((r) => [
    `--test-reporter=${r}`,
    '--test-reporter-destination=stdout',
  ]);
  // Each test and hook has its own timeout (test/helpers/node-test.ts); the per-file limit is a
  // backstop for a file that never exits.
  const args = [
    '--enable-source-maps',
    '--test',
    `--test-concurrency=${n}`,
    '--test-timeout=600000',
    ...reporters,
  ];
  const child = spawn(process.execPath, [...args, ...group.map(builtPath)], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  return new Promise((done) => child.on('exit', (code) => done(code === 0)));
}
