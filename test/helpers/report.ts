import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const REPORT = new URL('../../docs/reliability.md', import.meta.url);

/** Rows of docs/reliability.md's table: first cell → second cell (cases per run). */
export function reportRows(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(REPORT, 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || cells[1] === '' || /^-+$/.test(cells[1]!) || cells[1] === 'Fault or input')
      continue;
    rows.set(cells[1]!, cells[2]!);
  }
  return rows;
}

/**
 * Keeps docs/reliability.md true: the test that runs a fault class says how many cases it ran, and
 * fails when the report's row says otherwise (or is missing). Call it with the count actually run.
 */
export function assertReported(fault: string, cases: number): void {
  const row = reportRows().get(fault);
  assert.ok(row !== undefined, `docs/reliability.md has no row "${fault}"`);
  assert.equal(
    row.replace(/[,\s]/g, ''),
    String(cases),
    `docs/reliability.md says ${row} case(s) for "${fault}", the test ran ${cases}: update the report`,
  );
}
