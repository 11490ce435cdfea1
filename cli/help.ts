import { optionsHelp, type OptionTable } from './options.js';

/** What `headroom help COMMAND` says; the options part is made from the parser's own table. */
export interface CommandHelp {
  /** Synopsis lines, without options the table lists. */
  usage: string[];
  about: string;
  /** The table the command's parser takes. */
  options?: OptionTable;
  /** Anything after the options: more tables, exit codes. */
  more?: string;
  /** The help for what the arguments given beside --help narrow it to (one channel's options). */
  narrowed?(args: string[]): CommandHelp | undefined;
}

export const EXIT_CODES = `Exit codes: 0 done; 1 the work failed (a receiver refused, a file could not be written,
another process already watches); 2 a usage error (an unknown command or option, a missing or
malformed value, a value the rules refuse, an id that names nothing) — nothing was changed.
\`check\` follows the Nagios plugin convention instead: 0 ok, 1 warning, 2 critical, 3 unknown
(a disk unreachable, a usage error, or a failure).`;

export function renderHelp(help: CommandHelp): string {
  const [first, ...others] = help.usage;
  return [
    [`Usage: ${first}`, ...others.map((u) => `       ${u}`)].join('\n'),
    help.about,
    help.options && Object.keys(help.options).length ? `Options:\n${optionsHelp(help.options)}` : undefined,
    help.more,
  ]
    .filter((part) => part !== undefined)
    .join('\n\n');
}
