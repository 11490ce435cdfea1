// The idle watcher's memory rests on a lint rule (eslint.config.js): no value import of a heavy
// built-in in the CLI's code but core/builtins.ts. These run the project's own ESLint config on
// small sources placed where the rule applies, so the rule cannot silently go away or widen.
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { describe, it } from '../helpers/node-test.js';

const eslint = new ESLint({ cwd: process.cwd() });

/** The messages of the idle-import rule for `code`, linted as if it were the file at `filePath`. */
async function restricted(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint: heavy built-ins stay out of the idle watcher', () => {
  it(
    'refuses a value import of node:crypto in core/, naming core/builtins.ts',
    { timeout: 30_000 },
    async () => {
      const found = await restricted(
        "import { createHash } from 'node:crypto';\nexport const h = createHash('sha256');\n",
        'core/fixture-idle.ts',
      );
      assert.equal(found.length, 1, `one error expected: ${found.join(' | ')}`);
      assert.match(found[0]!, /node:crypto.*core\/builtins\.ts/);
    },
  );

  it(
    'refuses http, net, util and module in cli/, with or without the node: prefix',
    { timeout: 30_000 },
    async () => {
      const code = [
        "import { createServer } from 'http';",
        "import * as net from 'node:net';",
        "import { inspect } from 'node:util';",
        "import { createRequire } from 'module';",
        'export const all = [createServer, net, inspect, createRequire];',
      ].join('\n');
      assert.equal((await restricted(code, 'cli/fixture-idle.ts')).length, 4);
    },
  );

  it(
    'refuses node:fs/promises in core/, naming core/fs/promised.ts (it loads streams and readline)',
    { timeout: 30_000 },
    async () => {
      const found = await restricted(
        "import { stat } from 'node:fs/promises';\nexport const s = stat;\n",
        'core/fixture-idle.ts',
      );
      assert.equal(found.length, 1, `one error expected: ${found.join(' | ')}`);
      assert.match(found[0]!, /core\/fs\/promised\.ts/);
    },
  );

  it('allows type imports, core/builtins.ts itself, and light built-ins', { timeout: 30_000 }, async () => {
    const types =
      "import type { Hash } from 'node:crypto';\nimport { type Server } from 'node:http';\nexport type T = [Hash, Server];\n";
    assert.deepEqual(await restricted(types, 'core/fixture-idle.ts'), []);
    const builtins = "import { createHash } from 'node:crypto';\nexport const h = createHash;\n";
    assert.deepEqual(await restricted(builtins, 'core/builtins.ts'), []);
    const light = "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n";
    assert.deepEqual(await restricted(light, 'core/fixture-idle.ts'), []);
  });

  it('finds no such import in the code as it is', { timeout: 60_000 }, async () => {
    const results = await eslint.lintFiles(['core', 'cli']);
    const found = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === 'no-restricted-imports')
        .map((m) => `${r.filePath}: ${m.message}`),
    );
    assert.deepEqual(found, []);
  });
});
