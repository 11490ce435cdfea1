import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Channel } from '../../shared/channels/channel.js';
import { CHANNELS } from '../../shared/channels/registry.js';
import { SEVERITY_FILTERS } from '../../shared/integration.js';
import type { FieldError } from '../../shared/validation.js';
import type { IntegrationInput } from '../core/delivery/integration-service.js';
import { UserError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON: Options = {
  type: { type: 'string' },
  name: { type: 'string' },
  mounts: { type: 'string' },
  severity: { type: 'string' },
  disabled: { type: 'boolean' },
};

function channelOptions(channel: Channel): Options {
  const options: Options = {};
  for (const f of channel.fields)
    options[f.flag] = f.kind === 'list' ? { type: 'string', multiple: true } : { type: 'string' };
  return options;
}

/**
 * Reads `integration add/edit` flags for one channel into service input. An empty value
 * (`--shared-key ''`) removes that setting; `--cert FILE` reads the file.
 */
export function readIntegrationFlags(channel: Channel, argv: string[], allowPositionals: boolean) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...COMMON, ...channelOptions(channel) },
      strict: true,
      allowPositionals,
    });
  } catch (error) {
    const flag = /'(--[^']+)'/.exec((error as Error).message)?.[1]?.slice(2);
    const owner = CHANNELS.find((c) => c.fields.some((f) => f.flag === flag));
    if (flag && owner)
      throw new UserError(`--${flag} is an option of ${owner.type} integrations, not of ${channel.type}.`);
    throw error;
  }
  const v = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const config: Record<string, unknown> = {};
  for (const f of channel.fields) {
    const raw = v[f.flag];
    if (raw === undefined) continue;
    if (Array.isArray(raw)) config[f.key] = raw.filter((s) => s !== '');
    else if (raw === '') config[f.key] = undefined;
    else if (f.kind === 'pem') config[f.key] = readPem(f.flag, raw as string);
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
    config,
  };
  return { input, positionals: parsed.positionals };
}

function readPem(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(
      `--${flag} ${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
    );
  }
}

/** Field errors worded for the command line: the flag that sets the field, then the fix. */
export function flagErrors(channel: Channel | undefined, errors: FieldError[]): string {
  const flagOf = (field: string) => {
    if (field === 'severity') return `--severity (${SEVERITY_FILTERS.join(' | ')})`;
    const f = channel?.fields.find((x) => x.key === field.split('.')[0]);
    return f ? `--${f.flag}` : `--${field}`;
  };
  return errors.map((e) => `  ${flagOf(e.field)}: ${e.message}`).join('\n');
}

export function integrationHelp(): string {
  const lines = CHANNELS.map((c) => {
    const flags = c.fields
      .map((f) => `[--${f.flag}${f.kind === 'list' ? ' V]...' : f.kind === 'pem' ? ' FILE]' : ' V]'}`)
      .join(' ');
    return `  --type ${c.type}${c.aliases.length ? ` (or ${c.aliases.join(', ')})` : ''}\n      ${flags}\n${c.fields.map((f) => `      --${f.flag.padEnd(18)} ${f.help}`).join('\n')}`;
  });
  return lines.join('\n');
}
