import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from './helpers/node-test.js';
import { NO_ELECTRON_BINARY } from './helpers/skip-report.mjs';
import { ROOT } from './helpers/root.js';

const root = ROOT;
const reporters = ['spec', './test/helpers/run-report.mjs'].flatMap((r) => [
  `--test-reporter=${r}`,
  '--test-reporter-destination=stdout',
]);

/** Runs one test file through the reporters `npm run test:unit` uses. */
async function runSuite(source: string, env: NodeJS.ProcessEnv) {
  const file = join(await mkdtemp(join(tmpdir(), 'headroom-skips-')), 'fixture.test.mjs');
  await writeFile(file, source);
  const child = spawn(process.execPath, ['--test', ...reporters, file], {
    cwd: root,
    // Without NODE_TEST_CONTEXT the child is a runner of its own, not a file of this run.
    env: { ...process.env, NODE_TEST_CONTEXT: undefined, CI: undefined, ...env },
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const [code] = await once(child, 'exit');
  return { code: code as number, stdout };
}

const skippedSuite = `import { describe, it } from 'node:test';
describe('on a real tmpfs', { skip: 'needs root to mount a tmpfs' }, () => { it('a', () => {}); });
it('runs', () => {});
`;

describe('the test summary', () => {
  it('counts and lists a suite skipped for a missing part, with its reason', async () => {
    const { code, stdout } = await runSuite(skippedSuite, {});
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^# skipped 1: 0 test\(s\), 1 suite\(s\)/m);
    assert.match(stdout, /^# {3}suite .*fixture\.test\.mjs: on a real tmpfs — needs root to mount a tmpfs$/m);
    assert.match(
      stdout,
      /^# slowest files \(of 1\):\n# +\d+\.\d s {2}.*fixture\.test\.mjs$/m,
      'and the slowest files',
    );
  });

  it('fails the run under CI=true when anything but the Electron binary is missing', async () => {
    const { code, stdout } = await runSuite(skippedSuite, { CI: 'true' });
    assert.equal(code, 1, stdout);
    assert.match(stdout, /CI=true: 1 skip\(s\) fail the run/);
  });

  it('lets the Electron smoke test skip under CI=true, and still lists it', async () => {
    const electron = `import { it } from 'node:test';
it('launches the app', { skip: '${NO_ELECTRON_BINARY}: not installed' }, () => {});
`;
    const { code, stdout } = await runSuite(electron, { CI: 'true' });
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^# skipped 1: 1 test\(s\), 0 suite\(s\)/m);
  });
});
