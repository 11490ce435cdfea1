import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { reportRows } from './helpers/report.js';

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? testSources(join(dir, e.name))
      : e.name.endsWith('.test.ts')
        ? [readFileSync(join(dir, e.name), 'utf8')]
        : [],
  );
}

it('every row of docs/reliability.md is checked by the test that produces it', () => {
  const sources = testSources(new URL('.', import.meta.url).pathname).join('\n');
  const rows = [...reportRows().keys()];
  assert.ok(rows.length > 0);
  for (const fault of rows)
    assert.ok(
      sources.includes(`'${fault}'`) || sources.includes(`"${fault}"`),
      `no test calls assertReported('${fault}', …)`,
    );
});
