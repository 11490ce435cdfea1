import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { repoPath } from './root.js';

const REPORT = repoPath('docs/reliability.md');

export interface ReportRow {
  fault: string;
  /** "Cases per run", as written ("10,000"). */
  cases: string;
  result: string;
  /** The test file the row names, from the repository root. */
  test: string;
}

/** The rows of docs/reliability.md's table. */
export function reportRows(text = readFileSync(REPORT, 'utf8')): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 6 || cells[1] === '' || /^-+$/.test(cells[1]!) || cells[1] === 'Fault or input')
      continue;
    rows.push({ fault: cells[1]!, cases: cells[2]!, result: cells[3]!, test: cells[4]!.replace(/`/g, '') });
  }
  return rows;
}

const written = (n: number) => n.toLocaleString('en-US');

/**
 * The figures a row's Result claims: each in bold, a number then what it counts
 * (`**4 notifications**`), so a reader sees what the test measured and the test can find it.
 */
export function claimedFigures(result: string): Map<string, number> {
  const figures = new Map<string, number>();
  for (const [, n, what] of result.matchAll(/\*\*([\d,]+) ([^*]+)\*\*/g))
    figures.set(what!, Number(n!.replace(/,/g, '')));
  return figures;
}

/**
 * What is wrong with `row` given what its test ran: the count of cases, and `figures`, each
 * measured figure under the words that follow it in the row. Every figure the row claims must be
 * measured, and every one measured must be claimed with its value.
 */
export function rowProblems(row: ReportRow, cases: number, figures: Record<string, number> = {}): string[] {
  const problems: string[] = [];
  if (row.cases.replace(/[,\s]/g, '') !== String(cases))
    problems.push(`says ${row.cases} case(s), the test ran ${written(cases)}`);
  const claimed = claimedFigures(row.result);
  for (const [what, n] of Object.entries(figures)) {
    const says = claimed.get(what);
    if (says === undefined) problems.push(`claims no "**${written(n)} ${what}**", the test measured it`);
    else if (says !== n) problems.push(`says ${written(says)} ${what}, the test measured ${written(n)}`);
  }
  for (const what of claimed.keys())
    if (!(what in figures)) problems.push(`claims "${what}", which the test does not measure`);
  return problems;
}

/**
 * Keeps docs/reliability.md true: the test that runs a fault class says how many cases it ran
 * and what it measured, and fails when the report's row says otherwise (or is missing).
 */
export function assertReported(fault: string, cases: number, figures?: Record<string, number>): void {
  const row = reportRows().find((r) => r.fault === fault);
  assert.ok(row !== undefined, `docs/reliability.md has no row "${fault}"`);
  const problems = rowProblems(row, cases, figures);
  assert.deepEqual(problems, [], `docs/reliability.md's row "${fault}" is wrong: update the report`);
}
