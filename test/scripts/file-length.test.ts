// Files stay under 300 lines, split by what they do (CONVENTIONS.md): a long file is read whole by
// whoever changes any of it. This lists every product source file over the limit with its length.
// Stylesheets count; tests are left out (a score of them are longer: one file per behaviour, its
// cases side by side), and so is data.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { describe, it } from '../helpers/node-test.js';

const LIMIT = 300;
const ROOTS = ['shared', 'core', 'cli', 'electron', 'renderer/src', 'scripts', 'bin'];
const CODE = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.css']);

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.isFile() && CODE.has(extname(entry.name))) yield path;
  }
}

const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

describe('source files', () => {
  it(`are ${LIMIT} lines or fewer in ${ROOTS.join(', ')}`, { timeout: 10_000 }, () => {
    const all = ROOTS.flatMap((root) => [...sources(root)]);
    assert.ok(all.length > 100, `only ${all.length} files found: run from the repository's root`);
    const over = all
      .map((path) => ({ path, lines: lineCount(readFileSync(path, 'utf8')) }))
      .filter((f) => f.lines > LIMIT)
      .sort((a, b) => b.lines - a.lines)
      .map((f) => `${f.path}: ${f.lines} lines`);
    assert.deepEqual(over, [], `over ${LIMIT} lines (split by what they do):\n${over.join('\n')}`);
  });
});
