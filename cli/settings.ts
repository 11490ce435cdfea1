import {
  newlyWatched,
  RETIRED_SETTINGS,
  SETTING_KEYS,
  settingsSchema,
  shownSettings,
  type Settings,
} from '../shared/settings.js';
import type { FieldError } from '../shared/validation.js';
import { openContext, type CliIO } from './context.js';
import { UserError } from './errors.js';
import { visible } from './escape.js';
import type { CommandHelp } from './help.js';
import { ManagedError } from '../core/policy/policy.js';
import { SettingsRefused } from '../core/settings-store.js';
import { readFlagFile } from './flag-files.js';
import { closest, parseOptions, type OptionTable } from './options.js';
import { warnNotMounted } from './mounts.js';

const OVERRIDE_KEYS = [
  'warningPercent',
  'criticalPercent',
  'warningGiB',
  'criticalGiB',
  'clearMarginPercent',
];

export const SETTINGS_OPTIONS = {
  json: { type: 'boolean', short: 'j', help: 'print the settings as JSON (with or after set)' },
  'heartbeat-url-file': {
    type: 'string',
    value: 'PATH',
    help: 'with set: heartbeatUrl read from a file (- for standard input), so its token stays off the command line',
  },
  'heartbeat-fail-url-file': {
    type: 'string',
    value: 'PATH',
    help: 'with set: heartbeatFailUrl read from a file, the same way',
  },
} as const satisfies OptionTable;

/** `--NAME-file` options of `set`, and the setting each one sets. */
const FROM_FILE = {
  'heartbeat-url-file': 'heartbeatUrl',
  'heartbeat-fail-url-file': 'heartbeatFailUrl',
} as const;

export const settingsHelp: CommandHelp = {
  usage: [
    'headroom settings [--json]',
    'headroom settings set KEY=VALUE... [--heartbeat-url-file PATH] [--heartbeat-fail-url-file PATH] [--json]',
  ],
  about: `Shows or changes settings. Keys: ${SETTING_KEYS.join(', ')}.
Lists (watchedMounts, ignoredMounts) are comma-separated; an empty value clears them. null or
off switches warningGiB / criticalGiB / predictiveMinutes off.
Per-mount thresholds: mountOverrides.MOUNT.KEY=VALUE with KEY one of ${OVERRIDE_KEYS.join(', ')};
mountOverrides.MOUNT= removes that mount's overrides.
heartbeatUrl and heartbeatFailUrl are secrets: shown masked; {host} in them is this machine's name.
Examples: headroom settings set warningPercent=25 criticalPercent=12
          headroom settings set warningGiB=4 criticalGiB=2
          headroom settings set mountOverrides./.criticalPercent=15
          headroom settings set --heartbeat-url-file /etc/headroom/heartbeat-url heartbeatMinutes=5
          headroom settings set clearMarginPercent=0 confirmSeconds=0   (clear just above warning; no confirmation)`,
  options: SETTINGS_OPTIONS,
};

export async function settingsCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseOptions(SETTINGS_OPTIONS, argv, true);
  const [verb, ...pairs] = positionals;
  if (verb !== undefined && verb !== 'set') {
    const near = closest(verb, ['set']);
    throw new UserError(`unknown subcommand "${visible(verb)}"${near ? `; did you mean ${near}?` : ''}`);
  }
  const files = Object.entries(FROM_FILE).filter(
    ([flag]) => values[flag as keyof typeof FROM_FILE] !== undefined,
  );
  if (files.length && verb !== 'set') throw new UserError(`--${files[0]![0]} goes with settings set.`);
  if (verb === 'set' && pairs.length === 0 && files.length === 0)
    throw new UserError('set needs KEY=VALUE (e.g. warningPercent=25)');
  const ctx = openContext(io);
  if (verb === undefined) {
    show(ctx.settings.get(), values.json ?? false, io, ctx.settings.managed());
    return 0;
  }

  const fromFiles: Record<string, unknown> = {};
  for (const [flag, key] of files)
    fromFiles[key] = readFlagFile(flag, values[flag as keyof typeof FROM_FILE] as string, {
      warn: (line) => io.err(`headroom: ${line}`),
    });
  // Made again under the lock from the settings as they are then: only these keys are saved.
  const changesFrom = (current: Settings): Partial<Settings> => {
    const changes: Record<string, unknown> = {};
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      if (pair.startsWith('mountOverrides.') && eq > 0) {
        const overrides = (changes.mountOverrides ??= structuredClone(current.mountOverrides)) as Record<
          string,
          Record<string, unknown>
        >;
        setOverride(overrides, pair.slice('mountOverrides.'.length, eq), pair.slice(eq + 1));
        continue;
      }
      const key = pair.slice(0, eq) as keyof Settings;
      const retired = eq > 0 ? RETIRED_SETTINGS[key] : undefined;
      if (retired) throw new UserError(`${key} ${retired}.`);
      if (eq < 1 || !SETTING_KEYS.includes(key)) {
        const near = eq < 1 ? undefined : closest(key, SETTING_KEYS);
        throw new UserError(
          `"${pair}" is not KEY=VALUE with a known key${near ? `; did you mean ${near}?` : `. Keys: ${SETTING_KEYS.join(', ')}.`}`,
        );
      }
      changes[key] = parseValue(key, pair.slice(eq + 1));
    }
    for (const [flag, key] of files)
      if (key in changes) throw new UserError(`give ${key}=… or --${flag}, not both.`);
    return { ...changes, ...fromFiles } as Partial<Settings>;
  };
  const current = ctx.settings.get();
  const changes = changesFrom(current);
  const locked = ctx.settings.lockedChanges(changes);
  if (locked.length)
    throw new ManagedError(
      `${locked.join(', ')} ${locked.length > 1 ? 'are' : 'is'} managed by your organisation (${ctx.settings.managed()!.file}) and cannot be changed here; nothing saved.`,
    );
  const refused = (errors: FieldError[]) => new UserError(new SettingsRefused(errors).message);
  const checked = ctx.settings.check(changes, current);
  if (!checked.ok) throw refused(checked.errors);
  let saved: Settings;
  try {
    saved = ctx.settings.update(changesFrom);
  } catch (error) {
    if (error instanceof SettingsRefused) throw refused(error.errors);
    throw error;
  }
  // A change says what it saved (below); the whole settings only when asked for, as JSON.
  if (values.json) show(saved, true, io, ctx.settings.managed());
  const said = [
    ...pairs.map((p) => savedPair(p, saved)),
    ...files.map(([, key]) => savedPair(`${key}=`, saved)),
  ];
  io.err(`headroom: saved: ${said.join(' ')}`);
  await warnNotMounted(io, newlyWatched(current, saved));
  return 0;
}

/** `MOUNT.KEY=VALUE`: the key is after the last dot, so a mount may contain dots itself. */
function setOverride(overrides: Record<string, Record<string, unknown>>, path: string, raw: string): void {
  const dot = path.lastIndexOf('.');
  const key = path.slice(dot + 1);
  if (dot > 0 && OVERRIDE_KEYS.includes(key)) {
    const mount = path.slice(0, dot);
    const value = raw === 'null' || raw === 'off' ? null : raw.trim() === '' ? undefined : Number(raw);
    const entry = { ...overrides[mount] };
    if (value === undefined) delete entry[key];
    else entry[key] = Number.isNaN(value) ? raw : value;
    // An own property even for "__proto__", so the schema sees the key and refuses it by name.
    Object.defineProperty(overrides, mount, {
      value: entry,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    if (Object.keys(entry).length === 0) delete overrides[mount];
  } else if (raw === '') delete overrides[path];
  else
    throw new UserError(
      `"mountOverrides.${path}=${raw}": give mountOverrides.MOUNT.KEY=VALUE with KEY one of ${OVERRIDE_KEYS.join(', ')} (e.g. mountOverrides./.criticalPercent=15), or mountOverrides.MOUNT= to remove a mount's overrides`,
    );
}

function parseValue(key: keyof Settings, raw: string): unknown {
  if (Array.isArray(settingsSchema.parse({})[key])) {
    return raw.trim() === '' ? [] : raw.split(',').map((s) => s.trim());
  }
  if (raw === 'null' || raw === 'off') return null;
  if (typeof settingsSchema.parse({})[key] === 'boolean')
    return raw === 'true' ? true : raw === 'false' ? false : raw;
  // Number('') is 0 and Number('abc') NaN: keep the text so the schema names the field's rule.
  const n = Number(raw);
  return raw.trim() === '' || Number.isNaN(n) ? raw : n;
}

/** `KEY=VALUE` as it was stored (`warningGiB=null` for `warningGiB=off`); an override as given. */
function savedPair(pair: string, saved: Settings): string {
  const key = pair.slice(0, pair.indexOf('=')) as keyof Settings;
  if (!SETTING_KEYS.includes(key)) return visible(pair);
  const v = shownSettings(saved)[key];
  return `${key}=${Array.isArray(v) ? v.map(visible).join(',') : visible(String(v))}`;
}

function show(all: Settings, json: boolean, io: CliIO, managed: { file: string; keys: string[] } | null) {
  const settings = shownSettings(all);
  if (json) return io.out(JSON.stringify(settings, null, 2));
  const mark = (key: string) => (managed?.keys.includes(key) ? '  (managed)' : '');
  for (const key of SETTING_KEYS) {
    const v = settings[key];
    if (key === 'mountOverrides') {
      for (const [mount, o] of Object.entries(settings.mountOverrides))
        for (const [k, value] of Object.entries(o))
          io.out(`mountOverrides.${visible(mount)}.${k} = ${value}${mark(key)}`);
    } else io.out(`${key} = ${Array.isArray(v) ? v.map(visible).join(',') : v}${mark(key)}`);
  }
  if (managed) io.err(`headroom: settings marked (managed) are set by your organisation in ${managed.file}.`);
}
