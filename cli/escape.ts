/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts the sequences that
 * move the cursor, recolour, retitle the window; CR rewrites the line), DEL, the C1 controls
 * (U+009B is a one-character CSI), the bidirectional overrides and isolates that reorder what is
 * shown (CVE-2021-42574), and the Unicode line and paragraph separators. Also a lone surrogate: a
 * byte of a path that is not UTF-8 (U+DCFF is byte 0xFF, see shared/path-bytes.ts), which a
 * terminal would get as U+FFFD, hiding which byte it was and that the name is not what it looks.
 */
const CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\p{Cs}/gu;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function show(c: string): string {
  return NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Text from user data or a receiver (a name, a mount, an error message) made safe to print in one
 * line or table cell: every control character is shown as its escape (`\n`, `\u001b`). The JSON
 * spelling, so that the same escaping leaves a JSON line valid and meaning the same. Backslashes
 * are left alone (Windows paths stay readable), so a name that contains the text `\n` looks like
 * one that contains a newline; the JSON output tells them apart.
 */
export function visible(text: string): string {
  return text.replace(CONTROL, show);
}

/** Whole output, line by line: the same escaping except that line breaks stay line breaks. */
export function visibleLines(text: string): string {
  return text.split('\n').map(visible).join('\n');
}
