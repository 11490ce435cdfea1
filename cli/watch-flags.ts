import type { MountInfo } from '../shared/disk.js';
import { settingsInputSchema, type Settings } from '../shared/settings.js';
import { describeErrors, parseWith } from '../shared/validation.js';
import { normaliseMountPath } from '../core/mount-table.js';
import { ManagedError } from '../core/policy/policy.js';
import type { SettingsStore } from '../core/settings-store.js';
import { UserError } from './errors.js';

/** `--interval SECONDS` as settings over the stored ones, checked as a save would be. */
export function watchOverride(
  settings: SettingsStore,
  interval: string | undefined,
  only: MountInfo[] | undefined,
): Partial<Settings> {
  refuseManagedFlags(settings, interval, only);
  const override = interval === undefined ? {} : { intervalSeconds: Number(interval) };
  const checked = parseWith(settingsInputSchema, { ...settings.get(), ...override });
  if (!checked.ok) throw new UserError(`--interval ${interval}: ${describeErrors(checked.errors)}`);
  return override;
}

/**
 * `watch`'s flags may not weaken what the organisation manages: `--interval` may not replace a
 * managed intervalSeconds (not even a shorter one: the policy may set it for the load on
 * network mounts as much as for speed), and `--mount` may not leave out a disk a managed
 * watchedMounts names. Refused in one line naming the file, the key and what to do instead.
 */
function refuseManagedFlags(
  settings: SettingsStore,
  interval: string | undefined,
  only: MountInfo[] | undefined,
): void {
  const managed = settings.managed();
  if (!managed) return;
  const s = settings.get();
  if (interval !== undefined && settings.lockedChanges({ intervalSeconds: Number(interval) }).length)
    throw new ManagedError(
      `--interval ${interval}: intervalSeconds is managed by your organisation (${managed.file}) at ${s.intervalSeconds} s; leave --interval out.`,
    );
  if (!only || !managed.keys.includes('watchedMounts')) return;
  const named = new Set(only.map((m) => m.mount));
  const left = s.watchedMounts.map(normaliseMountPath).filter((m) => !named.has(m));
  if (left.length)
    throw new ManagedError(
      `--mount would leave out ${left.join(', ')}: watchedMounts is managed by your organisation (${managed.file}), so ${left.length > 1 ? 'they are' : 'it is'} always watched; add ${left.map((m) => `--mount ${m}`).join(' ')}.`,
    );
}
