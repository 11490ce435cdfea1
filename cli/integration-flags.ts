import type { Channel, Field } from '../shared/channels/channel.js';
import { CHANNELS } from '../shared/channels/registry.js';
import { SEVERITY_FILTERS } from '../shared/integration.js';
import { DAYS } from '../shared/quiet.js';
import type { FieldError } from '../shared/validation.js';
import type { IntegrationInput } from '../core/delivery/integration-service.js';
import { parseArgs } from '../core/builtins.js';
import type { CliIO } from './context.js';
import { UserError } from './errors.js';
import { otherChannelsFlag } from './flag-hints.js';
import { readFlagFile, readFlagText } from './flag-files.js';
import { optionsHelp, parseMistake, withNegativeValues, type OptionTable } from './options.js';

/**
 * The options every channel takes, for `add` and `edit`; each channel adds its own fields
 * (`channelOptions`). The parser and `headroom help integration` are both made from these.
 */
export const COMMON_OPTIONS = {
  type: {
    type: 'string',
    value: 'TYPE',
    help: 'the channel (add only): one of the types below, or its Web PaaS name (health.webhook)',
  },
  name: { type: 'string', value: 'NAME', help: 'a label (default: the channel and the receiver’s host)' },
  mounts: {
    type: 'string',
    value: 'MOUNT,...',
    help: 'comma-separated disks this integration cares about (default: every disk)',
  },
  severity: {
    type: 'string',
    value: SEVERITY_FILTERS.join('|'),
    help: 'which changes it hears: every one (default), warnings and criticals, or criticals only',
  },
  disabled: { type: 'boolean', help: 'save it switched off (enable it later with `integration enable`)' },
  'quiet-hours': {
    type: 'string',
    value: "'[DAYS ]HH:MM-HH:MM'|off",
    help: "hold changes during this weekly period, local time: '22:00-07:00', 'mon-fri 19:00-08:00'",
  },
  'quiet-critical': {
    type: 'string',
    value: 'send|hold',
    help: 'during quiet hours, send a critical at once (default) or hold it too',
  },
  'remind-warning': {
    type: 'string',
    value: 'HOURS|off',
    help: 'repeat a warning every so many hours while it holds (default off)',
  },
  'remind-critical': {
    type: 'string',
    value: 'HOURS|off',
    help: 'repeat a critical every so many hours while it holds (default off)',
  },
  'include-usage': {
    type: 'boolean',
    help: 'attach what grew on the disk (paths and sizes) to its alerts; off by default, as paths can be private',
  },
  'omit-usage': { type: 'boolean', help: 'stop attaching it (edit)' },
  'title-template': {
    type: 'string',
    value: 'TEMPLATE',
    help: "the message title, with {{variables}} ({{mount}}, {{state}}, {{free}}…); '' removes it",
  },
  'text-template': {
    type: 'string',
    value: 'TEMPLATE',
    help: "the message text, the same way; '' removes it",
  },
  'body-template': {
    type: 'string',
    value: 'JSON',
    help: "the generic webhook's whole JSON body, with {{variables}}; '' removes it",
  },
  'no-check': {
    type: 'boolean',
    help: 'save without asking the receiver (it is unreachable now, or said no): "save anyway"',
  },
} as const satisfies OptionTable;

/** Where a field error of the common settings points on the command line. */
const FLAG_OF_FIELD: Record<string, string> = {
  quietHours: 'quiet-hours',
  'quietHours.critical': 'quiet-critical',
  'reminders.warningHours': 'remind-warning',
  'reminders.criticalHours': 'remind-critical',
  'template.title': 'title-template',
  'template.text': 'text-template',
  'template.body': 'body-template',
};

/**
 * `--quiet-hours 'mon-fri 22:00-07:00'` (days optional: every day), or `off`. Day ranges wrap
 * (`sat-sun`); the times are the machine's local time.
 */
export function parseQuietHours(raw: string, critical: string | undefined): unknown {
  if (raw === 'off' || raw === '') return null;
  const m = /^(?:([a-z,-]+)\s+)?(\S+)-(\S+)$/i.exec(raw.trim());
  if (!m)
    throw new UserError(
      `--quiet-hours "${raw}": give [DAYS ]HH:MM-HH:MM, e.g. 22:00-07:00 or "mon-fri 19:00-08:00", or off.`,
    );
  const days = m[1] ? parseDays(m[1]) : [...DAYS];
  return { days, start: m[2], end: m[3], ...(critical ? { critical } : {}) };
}

function parseDays(spec: string): string[] {
  const days = new Set<string>();
  for (const part of spec.toLowerCase().split(',')) {
    const [a, b] = part.split('-') as [string, string | undefined];
    const i = DAYS.indexOf(a as (typeof DAYS)[number]);
    const j = b === undefined ? i : DAYS.indexOf(b as (typeof DAYS)[number]);
    if (i < 0 || j < 0)
      throw new UserError(`--quiet-hours: "${part}" is not a day or a range of days (${DAYS.join(', ')}).`);
    for (let k = i; ; k = (k + 1) % 7) {
      days.add(DAYS[k]!);
      if (k === j) break;
    }
  }
  return DAYS.filter((d) => days.has(d));
}

function hoursFlag(raw: string | undefined): number | null | string | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'off' || raw === '') return null;
  const n = Number(raw);
  return Number.isNaN(n) ? raw : n;
}

const VALUE_NAME: Record<Field['kind'], string> = {
  text: 'VALUE',
  url: 'URL',
  list: 'VALUE',
  pem: 'FILE',
  select: '',
};

/** Fields that may hold a secret get a `--FLAG-file PATH` twin, so it never has to be in argv. */
const fromFile = (f: Field) => (f.secret || f.kind === 'url' || f.of === 'url') && f.kind !== 'pem';

/** One option per field of the channel, with the field's help (and its `-file` twin). */
export function channelOptions(channel: Channel): OptionTable {
  const options: OptionTable = {};
  for (const f of channel.fields) {
    options[f.flag] = {
      type: 'string',
      ...(f.kind === 'list' ? { multiple: true } : {}),
      value: f.kind === 'select' ? (f.options ?? []).join('|') : f.of === 'url' ? 'URL' : VALUE_NAME[f.kind],
      help: f.help,
    };
    if (fromFile(f))
      options[`${f.flag}-file`] = {
        type: 'string',
        value: 'PATH',
        help: `--${f.flag} read from a file (- for standard input), so it stays off the command line`,
      };
  }
  return options;
}

/**
 * The value of `--FLAG-file PATH` (`-`: standard input): the file's text less one trailing
 * newline (what `echo` and editors add); a list field takes one value per line.
 */
function readValueFile(f: Field, path: string, warn: (line: string) => void): string | string[] {
  const value = readFlagFile(`${f.flag}-file`, path, {
    toRemove: `to remove the setting, give --${f.flag} ''`,
    ...(f.secret ? { warn } : {}),
  });
  return f.kind === 'list' ? value.split(/\r?\n/).filter((line) => line !== '') : value;
}

/**
 * Reads `integration add/edit` flags for one channel into service input. An empty value
 * (`--shared-key ''`) removes that setting; `--cert FILE` reads the file.
 */
export function readIntegrationFlags(
  channel: Channel,
  argv: string[],
  allowPositionals: boolean,
  io?: Pick<CliIO, 'err'>,
) {
  // A secret file others can read is said at once; the command goes on.
  const warn = (line: string) => io?.err(`headroom: ${line}`);
  let parsed;
  try {
    const options = { ...COMMON_OPTIONS, ...channelOptions(channel) };
    parsed = parseArgs({
      args: withNegativeValues(argv, options),
      options,
      strict: true,
      allowPositionals,
    });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const flag = /'(--[^']+)'/.exec(message)?.[1]?.slice(2);
    // A value that begins with '-' (a key from `openssl rand -base64` can) looks like an option.
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag)
      throw new UserError(
        `--${flag} needs a value. For one that begins with "-", write --${flag}=VALUE` +
          (channel.fields.some((f) => f.flag === flag && fromFile(f)) ? ` or use --${flag}-file.` : '.'),
        { cause: error },
      );
    const elsewhere =
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag ? otherChannelsFlag(flag, channel) : undefined;
    if (elsewhere) throw new UserError(elsewhere, { cause: error });
    throw parseMistake(error, [...Object.keys(COMMON_OPTIONS), ...Object.keys(channelOptions(channel))]);
  }
  const v = parsed.values as Record<string, string | string[] | boolean | undefined>;
  if (channel.fields.filter((f) => v[`${f.flag}-file`] === '-').length > 1)
    throw new UserError('only one --…-file option can read standard input (-).');
  const config: Record<string, unknown> = {};
  for (const f of channel.fields) {
    const file = v[`${f.flag}-file`] as string | undefined;
    if (file !== undefined && v[f.flag] !== undefined)
      throw new UserError(`give --${f.flag} or --${f.flag}-file, not both.`);
    const raw = file === undefined ? v[f.flag] : readValueFile(f, file, warn);
    if (raw === undefined) continue;
    if (Array.isArray(raw)) config[f.key] = raw.filter((s) => s !== '');
    else if (raw === '') config[f.key] = undefined;
    else if (f.kind === 'pem') config[f.key] = readPem(f, raw as string, warn);
    else config[f.key] = raw;
  }
  const input: IntegrationInput = {
    name: v.name as string | undefined,
    mounts:
      typeof v.mounts === 'string'
        ? v.mounts
            .split(',')
            .map((m) => m.trim())
            .filter(Boolean)
        : undefined,
    severity: v.severity as string | undefined,
    enabled: v.disabled ? false : undefined,
    includeUsage: v['include-usage'] ? true : v['omit-usage'] ? false : undefined,
    ...(v['quiet-hours'] !== undefined
      ? { quietHours: parseQuietHours(v['quiet-hours'] as string, v['quiet-critical'] as string | undefined) }
      : {}),
    ...(v['remind-warning'] !== undefined || v['remind-critical'] !== undefined
      ? {
          reminders: {
            warningHours: hoursFlag(v['remind-warning'] as string | undefined),
            criticalHours: hoursFlag(v['remind-critical'] as string | undefined),
          },
        }
      : {}),
    ...(v['title-template'] !== undefined ||
    v['text-template'] !== undefined ||
    v['body-template'] !== undefined
      ? {
          template: {
            title: v['title-template'] as string | undefined,
            text: v['text-template'] as string | undefined,
            body: v['body-template'] as string | undefined,
          },
        }
      : {}),
    config,
  };
  return { input, positionals: parsed.positionals, check: v['no-check'] !== true };
}

function readPem(f: Field, file: string, warn: (line: string) => void): string {
  return readFlagText(f.flag, file, f.secret ? warn : undefined);
}

/** Field errors worded for the command line: the flag that sets the field, then the fix. */
export function flagErrors(channel: Channel | undefined, errors: FieldError[]): string {
  const flagOf = (field: string) => {
    if (field === 'severity') return `--severity (${SEVERITY_FILTERS.join(' | ')})`;
    const common = FLAG_OF_FIELD[field] ?? FLAG_OF_FIELD[field.split('.')[0]!];
    if (common) return `--${common}`;
    const f = channel?.fields.find((x) => x.key === field.split('.')[0]);
    return `--${f?.flag ?? field.split('.')[0]}`;
  };
  return errors.map((e) => `  ${flagOf(e.field)}: ${e.message}`).join('\n');
}

/**
 * Every option of `add` and `edit`: the common ones, then each channel's (or `only` that one's),
 * from the parser's tables.
 */
export function integrationOptionsHelp(only?: Channel): string {
  const channels = (only ? [only] : CHANNELS).map(
    (c) =>
      `  --type ${c.type}${c.aliases.length ? ` (or ${c.aliases.join(', ')})` : ''}: ${c.label}\n${optionsHelp(channelOptions(c), '    ')}`,
  );
  return `Options of add and edit:\n${optionsHelp(COMMON_OPTIONS)}\n\nChannel options:\n${channels.join('\n')}`;
}
