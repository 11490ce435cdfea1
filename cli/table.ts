import { visible } from './escape.js';

/**
 * Left-aligned text columns, except figures, which read better right-aligned. Cells hold names
 * and mounts from user data: control characters are shown escaped, so a newline cannot break a
 * row nor an escape sequence drive the terminal.
 */
export function renderTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows].map((r) => r.map(visible));
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  // A time (2026-12-06 15:10:00 CET) begins with a figure but reads left to right, as text does.
  const figure = (cell: string) => /^[\d.-]/.test(cell) && !/^\d{4}-\d\d-\d\d/.test(cell);
  const numeric = header.map((_, i) => all.slice(1).every((r) => figure(r[i] ?? '') || r[i] === '-'));
  return all
    .map((r) =>
      r
        .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
