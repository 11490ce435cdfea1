import { DEFAULT_SETTINGS, settingsInputSchema, settingsSchema, type Settings } from '../shared/settings.js';
import { onChangedSide } from '../shared/settings-pairs.js';
import { describeErrors, parseWith, type FieldError, type Parsed } from '../shared/validation.js';
import { isDeepStrictEqual } from './builtins.js';
import { fileVersion } from './fs/file-version.js';
import { JsonStore, type StoreWarning } from './json-store.js';
import { loosenings, withoutLoosenings } from './policy/loosening.js';
import { ManagedError, type Policy, type PolicySnapshot } from './policy/policy.js';

/** A setting of the user's own that cannot stand beside the managed ones, and what applies. */
export interface SettingConflict {
  key: string;
  message: string;
}

/** The changes, with the settings as they are when saved, break a rule: nothing was written. */
export class SettingsRefused extends Error {
  constructor(readonly errors: FieldError[]) {
    super(`settings not saved:\n${describeErrors(errors)}`);
  }
}

/** Changed keys, or how to make them from the settings as they are (a `mountOverrides` entry). */
export type SettingsChanges = Partial<Settings> | ((current: Settings) => Partial<Settings>);

export class SettingsStore {
  private readonly store: JsonStore<typeof settingsSchema>;

  constructor(
    dir: string,
    onWarning?: (w: StoreWarning) => void,
    private readonly policy?: Policy,
  ) {
    this.store = new JsonStore(dir, 'settings', settingsSchema, onWarning);
    this.version = this.store.readable ? fileVersion(this.store.file) : 'unread';
  }

  private version: string;
  private merged:
    { own: Settings; policy: PolicySnapshot; value: Settings; conflicts: SettingConflict[] } | undefined;

  /**
   * The settings as they apply now: the file's, with the organisation's managed ones on top.
   * `headroom settings set` beside the running app or watcher takes effect at the next sample,
   * and so does a new policy, without a restart.
   */
  get(): Settings {
    return this.withPolicy().value;
  }

  /** The policy file's managed settings, when there are any. */
  managed(): { file: string; keys: string[] } | null {
    const p = this.policy?.current();
    return p && p.locked.size ? { file: p.file, keys: [...p.locked] } : null;
  }

  /** Settings of the user's own replaced because they cannot stand beside the managed ones. */
  conflicts(): SettingConflict[] {
    return this.withPolicy().conflicts;
  }

  /** The keys among `changes` that the policy manages and that would change. */
  lockedChanges(changes: Partial<Settings>): string[] {
    const p = this.policy?.current();
    if (!p) return [];
    return Object.keys(changes).filter(
      (key) =>
        p.locked.has(key) &&
        !isDeepStrictEqual(changes[key as keyof Settings], p.settings[key as keyof Settings]),
    );
  }

  /**
   * Where `settings` (checked, as a save would store them) would weaken what the policy manages:
   * a disk's own threshold looser than a managed one, a managed watched disk ignored.
   */
  loosened(settings: Settings): FieldError[] {
    const p = this.policy?.current();
    return p?.locked.size ? loosenings(settings, p).map(({ field, message }) => ({ field, message })) : [];
  }

  /**
   * The settings `changes` would make from `base` (those that apply now), checked as a save is; a
   * rule between two settings is said on the one changed.
   */
  check(changes: Partial<Settings>, base = this.get()): Parsed<Settings> {
    const values = { ...base, ...changes };
    const parsed = parseWith(settingsInputSchema, values);
    if (parsed.ok) return parsed;
    const changed = Object.keys(changes).filter(
      (k) => !isDeepStrictEqual(changes[k as keyof Settings], base[k as keyof Settings]),
    );
    return { ok: false, errors: onChangedSide(parsed.errors, changed, values) };
  }

  /**
   * Saves only the changed keys, merged under the file's lock with the file as it is then: two
   * processes saving different keys at once both keep theirs. The merged whole is validated
   * again there (critical < warning), against what another save may just have changed
   * (SettingsRefused). Managed settings are not the user's to change (ManagedError); the file
   * keeps the user's own values, so they apply again if the policy goes.
   */
  update(changes: SettingsChanges): Settings {
    const p = this.policy?.current();
    const saved = this.store.update((current) => {
      const now = this.withPolicy(current).value;
      const changed = typeof changes === 'function' ? changes(now) : changes;
      const locked = this.lockedChanges(changed);
      if (locked.length) throw this.policy!.refuse(locked.join(', '));
      const checked = this.check(changed, now);
      if (!checked.ok) throw new SettingsRefused(checked.errors);
      const loose = this.loosened(checked.value);
      if (loose.length) throw new ManagedError(describeLoosened(loose));
      const mine = Object.fromEntries(
        Object.keys(changed)
          .filter((key) => !p?.locked.has(key))
          .map((key) => [key, checked.value[key as keyof Settings]]),
      );
      const next = { ...current, ...mine };
      // Alone, the user's values may break a rule the managed ones satisfy (critical 25 below a
      // managed warning 30, the file's own warning 20): then the file keeps the managed values.
      return parseWith(settingsSchema, next).ok ? next : { ...next, ...p?.settings };
    });
    return this.withPolicy(saved).value;
  }

  private own(): Settings {
    const version = fileVersion(this.store.file);
    if (version === this.version) return this.store.get();
    const settings = this.store.reload();
    // Unread (out of open files, say): read again next time rather than keep the defaults.
    if (this.store.readable) this.version = version;
    return settings;
  }

  private withPolicy(own = this.own()): { value: Settings; conflicts: SettingConflict[] } {
    const policy = this.policy?.current();
    if (!policy || policy.locked.size === 0) return { value: own, conflicts: [] };
    if (this.merged?.own === own && this.merged.policy === policy) return this.merged;
    // Values of the user's own that would weaken a managed one (stored before the policy came,
    // or by an older version) do not apply: the managed one would not hold otherwise.
    const found = loosenings({ ...own, ...policy.settings }, policy);
    const conflicts: SettingConflict[] = found.map((l) => ({
      key: String(l.path[0]),
      message: `your ${l.field}: ${l.message}; it does not apply`,
    }));
    // The managed values were checked against the defaults: a conflict can only be with one of
    // the user's own, which then gives way to its default.
    const merged: Record<string, unknown> = withoutLoosenings({ ...own, ...policy.settings }, found);
    let checked = parseWith(settingsSchema, merged);
    for (let round = 0; !checked.ok && round < 5; round++) {
      for (const e of checked.errors) {
        const key = e.field.split('.')[0]! as keyof Settings;
        if (policy.locked.has(key) || !(key in DEFAULT_SETTINGS)) continue;
        conflicts.push({
          key,
          message: `your ${e.field} ${e.message} (managed by ${policy.file}); the default applies`,
        });
        merged[key] = DEFAULT_SETTINGS[key];
      }
      checked = parseWith(settingsSchema, merged);
    }
    const value = checked.ok ? checked.value : { ...DEFAULT_SETTINGS, ...policy.settings };
    this.merged = { own, policy, value, conflicts };
    return this.merged;
  }
}

/** Loosenings in one line, for a refusal: `field: why; field: why; nothing saved.` */
function describeLoosened(errors: FieldError[]): string {
  return `${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}; nothing saved.`;
}
