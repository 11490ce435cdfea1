import { parseArgs } from 'node:util';
import { SETTING_KEYS, settingsSchema, type Settings } from '../../shared/settings.js';
import { describeErrors, parseWith } from '../../shared/validation.js';
import { openContext, type CliIO } from './context.js';
import { UserError } from './errors.js';

export const settingsUsage = `headroom settings [--json] | headroom settings set KEY=VALUE...

Shows or changes settings. Keys: ${SETTING_KEYS.join(', ')}.
Lists (watchedMounts, ignoredMounts) are comma-separated; an empty value clears them.
Example: headroom settings set warningPercent=25 criticalPercent=12`;

export async function settingsCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' } },
    strict: true,
    allowPositionals: true,
  });
  const ctx = openContext(io);
  const [verb, ...pairs] = positionals;
  if (verb === undefined) {
    show(ctx.settings.get(), values.json ?? false, io);
    return 0;
  }
  if (verb !== 'set' || pairs.length === 0) throw new UserError(`usage: ${settingsUsage.split('\n')[0]}`);

  const changes: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq) as keyof Settings;
    if (eq < 1 || !SETTING_KEYS.includes(key)) {
      throw new UserError(`"${pair}" is not KEY=VALUE with a known key. Keys: ${SETTING_KEYS.join(', ')}.`);
    }
    changes[key] = parseValue(key, pair.slice(eq + 1));
  }
  const checked = parseWith(settingsSchema, { ...ctx.settings.get(), ...changes });
  if (!checked.ok) throw new UserError(`settings not saved:\n${describeErrors(checked.errors)}`);
  show(ctx.settings.update(checked.value), values.json ?? false, io);
  return 0;
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

function show(settings: Settings, json: boolean, io: CliIO) {
  if (json) return io.out(JSON.stringify(settings, null, 2));
  for (const key of SETTING_KEYS) {
    const v = settings[key];
    io.out(`${key} = ${Array.isArray(v) ? v.join(',') : v}`);
  }
}
