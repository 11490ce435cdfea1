import { dirname, isAbsolute, join } from 'node:path';
import { channelFor, CHANNEL_TYPES } from '../../shared/channels/registry.js';
import { INTEGRATION_SETTINGS, type Integration } from '../../shared/integration.js';
import { validateIntegration } from '../../shared/integration-validate.js';
import {
  DEFAULT_SETTINGS,
  SECRET_SETTINGS,
  RETIRED_SETTINGS,
  SETTING_KEYS,
  settingsInputSchema,
  type Settings,
} from '../../shared/settings.js';
import { parseWith } from '../../shared/validation.js';
import type { IntegrationProblem } from '../delivery/integration-store.js';
import { FileRefused, readSmallFile } from '../fs/small-file.js';
import { untrustedPolicy } from './trusted-path.js';
import { checkUpdateFeed, UPDATE_FEED_KEY } from './update-feed.js';

/** One part of the policy that does not apply, and why: the rest still does. */
export interface PolicyProblem {
  /** Where in the file: `settings.warningPercent`, `integrations[1].config.url`, `(file)`. */
  field: string;
  message: string;
}

/** The policy as it applies now. */
export interface PolicySnapshot {
  file: string;
  /** Managed settings: their values apply, and they cannot be changed on the machine. */
  settings: Partial<Settings>;
  locked: ReadonlySet<string>;
  /** Managed integrations, each marked `managed`. */
  integrations: Integration[];
  /** Whether users may add integrations of their own beside the managed ones. */
  userIntegrations: boolean;
  /** Where the desktop app looks for updates; absent: it never looks. */
  updateFeedUrl?: string;
  problems: PolicyProblem[];
  /** Broken managed integrations, as `integration list` shows integrations that cannot be loaded. */
  integrationProblems: IntegrationProblem[];
  /** Secret files it read: a change to one of them is a change of the policy. */
  files: string[];
}

const TOP_KEYS = ['settings', 'integrations', 'userIntegrations', UPDATE_FEED_KEY];
const INTEGRATION_KEYS: readonly string[] = ['id', 'type', ...INTEGRATION_SETTINGS, 'config'];
const ID = /^[a-z0-9-]{1,40}$/;
const SECRET_HELP = 'is a secret: give {"file": "/path"} or {"env": "NAME"}, never the value itself';

type Ref = { file: string } | { env: string };

function isRef(v: unknown): v is Ref {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  const [key] = keys;
  return (
    keys.length === 1 &&
    (key === 'file' || key === 'env') &&
    typeof (v as Record<string, unknown>)[key] === 'string'
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a policy file: undefined when there is none. Each part is checked on its own — a setting,
 * an integration, a secret — so that a broken part is reported with the file and the field and
 * left out, while the valid parts apply. Values are never quoted in a problem: any may be a secret.
 */
export function readPolicy(file: string, env: NodeJS.ProcessEnv): PolicySnapshot | undefined {
  const snapshot: PolicySnapshot = {
    file,
    settings: {},
    locked: new Set(),
    integrations: [],
    userIntegrations: true,
    problems: [],
    integrationProblems: [],
    files: [],
  };
  const problem = (field: string, message: string) => snapshot.problems.push({ field, message });
  const untrusted = untrustedPolicy(file);
  if (untrusted) {
    problem(
      '(file)',
      `is not safe to apply: ${untrusted}. Whoever can change it could make Headroom (often run as root) send any file as a token; none of it applies`,
    );
    return snapshot;
  }
  let text: string;
  let mtime: number;
  try {
    const read = readSmallFile(file);
    text = read.text;
    mtime = Math.floor(read.stat.mtimeMs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    const why =
      error instanceof FileRefused ? error.message : `cannot be read (${code ?? (error as Error).message})`;
    problem('(file)', `${why}; none of it applies`);
    return snapshot;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    problem('(file)', `is not valid JSON (${(error as Error).message}); none of it applies`);
    return snapshot;
  }
  if (!isObject(doc)) {
    problem('(file)', 'must be a JSON object: {"settings": {…}, "integrations": […]}; none of it applies');
    return snapshot;
  }
  for (const key of Object.keys(doc))
    if (!TOP_KEYS.includes(key)) problem(key, `is not part of a policy (${TOP_KEYS.join(', ')}); ignored`);

  const secret = (field: string, ref: Ref): string | undefined => {
    const read = resolveRef(ref, dirname(file), env);
    // Watched even when unreadable: the policy applies anew once the file is fixed.
    if (read.file) snapshot.files.push(read.file);
    if ('problem' in read) problem(field, read.problem);
    return 'value' in read ? read.value : undefined;
  };

  const reader = { snapshot, problem, secret };
  readSettings(doc.settings, reader);
  if (doc.userIntegrations !== undefined) {
    if (typeof doc.userIntegrations === 'boolean') snapshot.userIntegrations = doc.userIntegrations;
    else problem('userIntegrations', 'must be true or false; users may add integrations meanwhile');
  }
  readIntegrations(doc.integrations, mtime, reader);
  if (doc[UPDATE_FEED_KEY] !== undefined) {
    const feed = checkUpdateFeed(doc[UPDATE_FEED_KEY]);
    if ('url' in feed) snapshot.updateFeedUrl = feed.url;
    else problem(UPDATE_FEED_KEY, feed.problem);
  }
  return snapshot;
}

/** What each part of the file is read into, and how it says a problem or reads a secret. */
interface Reader {
  snapshot: PolicySnapshot;
  problem: (field: string, message: string) => void;
  secret: (field: string, ref: Ref) => string | undefined;
}

function readSettings(given: unknown, { snapshot, problem, secret }: Reader): void {
  if (given === undefined) return;
  if (!isObject(given)) return problem('settings', 'must be an object of settings; ignored');
  const candidate: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    const field = `settings.${key}`;
    if (!(SETTING_KEYS as string[]).includes(key)) {
      problem(
        field,
        `${RETIRED_SETTINGS[key] ?? 'is not a setting (see `headroom help settings`)'}; ignored`,
      );
      continue;
    }
    if ((SECRET_SETTINGS as readonly string[]).includes(key) && value !== null) {
      if (!isRef(value)) {
        problem(field, `${SECRET_HELP}; ignored`);
        continue;
      }
      const read = secret(field, value);
      if (read !== undefined) candidate[key] = read;
      continue;
    }
    if (isRef(value)) {
      problem(field, 'is not a secret: give the value itself; ignored');
      continue;
    }
    candidate[key] = value;
  }
  // Checked with the save rules against the defaults, so that a managed value holds on any
  // machine: a managed criticalPercent comes with its warningPercent. A wrong one is left out.
  for (let round = 0; round < SETTING_KEYS.length; round++) {
    const checked = parseWith(settingsInputSchema, { ...DEFAULT_SETTINGS, ...candidate });
    if (checked.ok) {
      for (const key of Object.keys(candidate))
        (snapshot.settings as Record<string, unknown>)[key] = checked.value[key as keyof Settings];
      break;
    }
    let dropped = false;
    for (const e of checked.errors) {
      const key = e.field.split('.')[0]!;
      if (!(key in candidate)) continue;
      problem(`settings.${e.field}`, `${e.message}; ignored`);
      delete candidate[key];
      dropped = true;
    }
    if (!dropped) break;
  }
  snapshot.locked = new Set(Object.keys(snapshot.settings));
}

function readIntegrations(given: unknown, mtime: number, { snapshot, problem, secret }: Reader): void {
  if (given === undefined) return;
  if (!Array.isArray(given)) return problem('integrations', 'must be a list of integrations; ignored');
  const ids = new Set<string>();
  given.forEach((entry, i) => {
    const at = `integrations[${i}]`;
    const before = snapshot.problems.length;
    const broken = (field: string, message: string) => problem(field ? `${at}.${field}` : at, message);
    const label = { id: isObject(entry) && typeof entry.id === 'string' ? entry.id : at };
    const name = isObject(entry) && typeof entry.name === 'string' ? entry.name : label.id;
    const report = () => {
      const mine = snapshot.problems
        .slice(before)
        .map((p) => `${p.field.slice(at.length + 1) || at}: ${p.message}`);
      snapshot.integrationProblems.push({
        id: label.id,
        name,
        message: `managed by ${snapshot.file}, which has it wrong: ${mine.join('; ')}`,
      });
    };
    if (!isObject(entry)) {
      broken('', 'must be an object: {"id", "type", "name", "config"}; ignored');
      return report();
    }
    for (const key of Object.keys(entry))
      if (!INTEGRATION_KEYS.includes(key)) broken(key, `is not part of an integration; ignored`);
    if (typeof entry.id !== 'string' || !ID.test(entry.id))
      broken(
        'id',
        'is required: lower-case letters, digits and dashes (at most 40), the same on every machine',
      );
    else if (ids.has(entry.id)) broken('id', 'is used by an earlier integration of the policy');
    const channel = typeof entry.type === 'string' ? channelFor(entry.type) : undefined;
    if (!channel) broken('type', `must be one of ${CHANNEL_TYPES().join(', ')}`);
    if (entry.config !== undefined && !isObject(entry.config)) broken('config', 'must be an object');
    if (snapshot.problems.length > before || !channel) return report();

    const config: Record<string, unknown> = {};
    for (const [key, value] of Object.entries((entry.config as Record<string, unknown>) ?? {})) {
      const field = channel.fields.find((f) => f.key === key);
      if (field?.secret && !isRef(value)) {
        broken(`config.${key}`, SECRET_HELP);
        continue;
      }
      if (!isRef(value)) {
        config[key] = value;
        continue;
      }
      const read = secret(`${at}.config.${key}`, value);
      if (read !== undefined)
        config[key] = field?.kind === 'list' ? read.split(/\r?\n/).filter((l) => l !== '') : read;
    }
    if (snapshot.problems.length > before) return report();
    const { config: _config, ...rest } = entry;
    const checked = validateIntegration({
      ...rest,
      name,
      type: channel.type,
      config,
      createdAt: mtime,
      updatedAt: mtime,
    });
    if (!checked.ok) {
      // The channel's own fields are under config in the policy.
      const inConfig = (f: string) => channel.fields.some((x) => x.key === f.split('.')[0]);
      for (const e of checked.errors) broken(inConfig(e.field) ? `config.${e.field}` : e.field, e.message);
      return report();
    }
    ids.add(checked.value.id);
    snapshot.integrations.push({ ...checked.value, managed: true });
  });
}

/** A secret's value from its file (relative to the policy's folder) or environment variable. */
function resolveRef(
  ref: Ref,
  dir: string,
  env: NodeJS.ProcessEnv,
): ({ value: string } | { problem: string }) & { file?: string } {
  if ('env' in ref) {
    const value = env[ref.env];
    return value ? { value } : { problem: `the environment variable ${ref.env} is not set; ignored` };
  }
  const file = isAbsolute(ref.file) ? ref.file : join(dir, ref.file);
  try {
    const value = readSmallFile(file).text.replace(/\r?\n$/, '');
    return value === '' ? { file, problem: `${file} is empty; ignored` } : { file, value };
  } catch (error) {
    if (error instanceof FileRefused) return { file, problem: `${file} ${error.message}; ignored` };
    return {
      file,
      problem: `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); ignored`,
    };
  }
}
