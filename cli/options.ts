import type { ParseArgsConfig } from 'node:util';
import { parseArgs } from '../core/builtins.js';
import { UserError } from './errors.js';

type ParseArgsOption = NonNullable<ParseArgsConfig['options']>[string];

/**
 * One command-line option. Each command keeps a table of these, and both its parser
 * (`parseOptions`) and its help (`optionsHelp`) are made from that table, so the help cannot
 * leave out an option the parser accepts.
 */
export type OptionDef = ParseArgsOption & {
  /** What the value is called in the help (`SECONDS`); string options only. */
  value?: string;
  help: string;
};
export type OptionTable = Record<string, OptionDef>;

/** `--mount PATH` (or `--json`), as the help and the synopsis write it. */
export function optionLabel(flag: string, def: OptionDef): string {
  return def.type === 'string' ? `--${flag} ${def.value ?? 'VALUE'}` : `--${flag}`;
}

/** `[--json] [--mount PATH]...`: the options part of a synopsis line. */
export function synopsis(options: OptionTable): string {
  return Object.entries(options)
    .map(([flag, def]) => `[${optionLabel(flag, def)}]${def.multiple ? '...' : ''}`)
    .join(' ');
}

const LONG_LABEL = 28;

/** One line per option: the flag and its value name, then what it does. */
export function optionsHelp(options: OptionTable, indent = '  '): string {
  // `-j, --json`, and the options without a short form lined up under the long ones.
  const shorts = Object.values(options).some((def) => def.short);
  const labels = Object.entries(options).map(
    ([flag, def]) => (def.short ? `-${def.short}, ` : shorts ? '    ' : '') + optionLabel(flag, def),
  );
  // A long label (a list of values as the value name) gets its text on the next line.
  const long = (label: string) => label.length > LONG_LABEL;
  const width = Math.max(0, ...labels.filter((l) => !long(l)).map((l) => l.length)) + 2;
  return Object.values(options)
    .map((def, i) => {
      const text = `${def.help}${def.multiple ? ' (repeatable)' : ''}`;
      const label = labels[i]!;
      return long(label)
        ? `${indent}${label}\n${indent}${' '.repeat(width)}${text}`
        : `${indent}${label.padEnd(width)}${text}`;
    })
    .join('\n');
}

/**
 * parseArgs with the table, strict. A mistake becomes a one-line UserError naming the option,
 * with the closest known option when there is one (`--jsno` → `--json`).
 */
export function parseOptions<O extends OptionTable, P extends boolean = false>(
  options: O,
  args: string[],
  allowPositionals?: P,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: P }>> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: allowPositionals as P });
  } catch (error) {
    throw parseMistake(error, Object.keys(options));
  }
}

/**
 * `--chat-id -1001234567890` as `--chat-id=-1001234567890`: a negative number (a Telegram group's
 * chat ID) is a value, never an option, though parseArgs takes any word that begins with "-" for one.
 */
export function withNegativeValues(argv: string[], options: Record<string, { type: string }>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (arg.startsWith('--') && options[arg.slice(2)]?.type === 'string' && next && /^-\d+$/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** A parseArgs error, worded in one line; anything else is returned as it is. */
export function parseMistake(error: unknown, flags: readonly string[]): unknown {
  const { code, message } = error as { code?: string; message?: string };
  if (!code?.startsWith('ERR_PARSE_ARGS') || message === undefined) return error;
  // An option with a short form is quoted as '-j, --json': name it by its long form.
  const quoted = /'(?:-\w, )?([^' ]+)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const near = closest(quoted.replace(/^-+/, ''), flags);
      return new UserError(`unknown option ${quoted}${near ? `; did you mean --${near}?` : ''}`);
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UserError(`unexpected argument "${quoted}"`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (message.includes('does not take an argument')) return new UserError(`${quoted} takes no value`);
      if (message.includes('ambiguous'))
        return new UserError(
          `${quoted} needs a value; to give one that begins with "-", write ${quoted}=-VALUE`,
        );
      return new UserError(`${quoted} needs a value`);
    default:
      return new UserError(message.split('\n')[0]!);
  }
}

/**
 * The candidate nearest to `word` by edit distance (a swap of two neighbours counts as one),
 * when near enough to be a likely typo; or the one candidate `word` begins (of a flag and its
 * `-file` twin, the flag).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word === '') return undefined;
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  if (bestDistance <= limit) return best;
  const prefixed = candidates.filter((c) => word.length >= 3 && c.startsWith(word));
  // `--server` begins both --server-url and its twin --server-url-file: the shorter is meant.
  return prefixed.find((p) => prefixed.every((c) => c.startsWith(p)));
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}
