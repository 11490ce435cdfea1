import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { it } from './helpers/node-test.js';
import { VENDOR_SCHEMAS } from './helpers/openapi.js';

/** `file` → SHA-256, from the provenance table of test/vendor-schemas/README.md. */
function listed(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(new URL('README.md', VENDOR_SCHEMAS), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const file = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    if (file) rows.set(file, cells.at(-2)!);
  }
  return rows;
}

it('every vendor schema is in the repository, unchanged since its provenance was written down', () => {
  const rows = listed();
  const files = readdirSync(VENDOR_SCHEMAS).filter((f) => /\.(json|yaml)$/.test(f));
  assert.ok(rows.size >= 7, `the README lists ${rows.size} files`);
  assert.deepEqual([...rows.keys()].sort(), files.sort(), 'each file has a provenance row, each row a file');
  for (const [file, sha256] of rows) {
    const actual = createHash('sha256')
      .update(readFileSync(new URL(file, VENDOR_SCHEMAS)))
      .digest('hex');
    assert.equal(actual, sha256, `${file} differs from the copy its provenance describes`);
  }
});

it('every extract says where it came from', () => {
  for (const file of listed().keys()) {
    if (!file.includes('-extract.')) continue;
    const doc = JSON.parse(readFileSync(new URL(file, VENDOR_SCHEMAS), 'utf8'));
    const p = doc['x-extract-provenance'];
    assert.match(p?.source_repo ?? '', /^[\w.-]+\/[\w.-]+$/, file);
    assert.match(p?.source_commit ?? '', /^[0-9a-f]{40}$/, file);
    assert.ok(p?.source_path && p?.extracted, file);
  }
});
