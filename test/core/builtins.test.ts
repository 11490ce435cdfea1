// core/builtins.ts answers for node:os without loading it (an idle watcher's memory): its answers
// must be the ones node:os gives, on this machine and with the environment a service may have.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import { describe, it } from '../helpers/node-test.js';
import { repoPath } from '../helpers/root.js';
import { homedir, hostname } from '../../core/builtins.js';

/** What `expression` gives in a fresh Node with `env`, importing core/builtins.js as `b`. */
function inNode(expression: string, env: NodeJS.ProcessEnv = process.env, command: string[] = []): string {
  const script = `import * as b from ${JSON.stringify(repoPath('dist/core/builtins.js'))}; import * as os from 'node:os'; process.stdout.write(JSON.stringify(${expression}));`;
  const [file, ...args] = [...command, process.execPath, '--input-type=module', '-e', script];
  return execFileSync(file!, args, { env, encoding: 'utf8' });
}

describe('core/builtins: node:os answers without node:os', () => {
  it('hostname() is os.hostname()', () => {
    assert.equal(hostname(), os.hostname());
  });

  it(
    "hostname() is a container's own name (a UTS namespace), as os.hostname() is",
    { timeout: 30_000, skip: process.getuid?.() !== 0 && 'needs root for a UTS namespace (unshare -u)' },
    () => {
      // `hostname NAME` in a new UTS namespace, then Node there: what a container sees.
      const command = ['unshare', '-u', 'sh', '-c', 'hostname headroom-ns-test && exec "$@"', 'sh'];
      const [ours, node] = JSON.parse(
        inNode('[b.hostname(), os.hostname()]', process.env, command),
      ) as string[];
      assert.deepEqual([ours, node], ['headroom-ns-test', 'headroom-ns-test']);
      assert.notEqual(hostname(), 'headroom-ns-test', 'this namespace keeps its own name');
    },
  );

  it('homedir() is os.homedir(), with $HOME set, empty or unset', { timeout: 30_000 }, () => {
    assert.equal(homedir(), os.homedir());
    const { HOME: _home, ...withoutHome } = process.env;
    for (const env of [
      { ...withoutHome, HOME: '/srv/elsewhere' },
      { ...withoutHome, HOME: '' },
      withoutHome,
    ]) {
      const [ours, node] = JSON.parse(inNode('[b.homedir(), os.homedir()]', env)) as [string, string];
      assert.equal(ours, node, `HOME=${JSON.stringify(env.HOME)}`);
    }
  });
});
