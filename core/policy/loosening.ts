import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings.js';
import type { FieldError } from '../../shared/validation.js';
import { normaliseMountPath } from '../mount-table.js';
import type { PolicySnapshot } from './read-policy.js';

/**
 * A managed threshold is a floor, not just a value: no other setting may make a disk's alert start
 * later (or its all-clear come sooner) than the organisation's values say. Stricter is fine — a
 * per-disk override exists to watch the system disk more closely — so a disk's own
 * criticalPercent 8 stands beside a managed 5, and 1 does not.
 *
 * Percent and GiB thresholds combine as "P % or N GiB, whichever is smaller": a GiB threshold can
 * only lower where a level starts. So when either of a level's pair is managed, the other may not
 * go below what the policy means on a machine with the documented defaults: the managed value
 * with the default of its partner (a managed criticalPercent 5 with criticalGiB off). A
 * warning level below critical pulls critical down with it (critical never starts above
 * warning), so a managed critical also bounds the warning's GiB.
 */
type Key = 'warningPercent' | 'criticalPercent' | 'warningGiB' | 'criticalGiB' | 'clearMarginPercent';

interface Floor {
  /** The least strict value allowed; for GiB, null (off) is the strictest and then the only one. */
  value: number | null;
  /** The managed settings it comes from, for the message. */
  by: string[];
}

type Floors = Partial<Record<Key, Floor>>;

const LEVELS = [
  ['warningPercent', 'warningGiB'],
  ['criticalPercent', 'criticalGiB'],
] as const;

const isGiB = (key: Key) => key.endsWith('GiB');

/** `value` is at least as strict as `floor`. GiB: off beats any size, and a larger size a smaller. */
function holds(key: Key, value: number | null, floor: number | null): boolean {
  if (!isGiB(key)) return value !== null && floor !== null && value >= floor;
  if (value === null) return true;
  return floor !== null && value >= floor;
}

function floorsOf(policy: PolicySnapshot): Floors {
  const managed = policy.settings as Partial<Record<Key, number | null>>;
  const floors: Floors = {};
  for (const pair of LEVELS) {
    const by = pair.filter((k) => policy.locked.has(k));
    if (!by.length) continue;
    for (const k of pair)
      floors[k] = { value: managed[k] !== undefined ? managed[k]! : DEFAULT_SETTINGS[k], by };
  }
  // A warning's GiB below critical's would pull the managed critical level down with it.
  const critical = floors.criticalGiB;
  if (critical && !(floors.warningGiB && holds('warningGiB', floors.warningGiB.value, critical.value)))
    floors.warningGiB = critical;
  if (policy.locked.has('clearMarginPercent'))
    floors.clearMarginPercent = { value: managed.clearMarginPercent!, by: ['clearMarginPercent'] };
  return floors;
}

/** One place where `settings` would weaken what the policy manages. */
export interface Loosening extends FieldError {
  /** Where: `['criticalGiB']`, `['mountOverrides', '/', 'criticalPercent']`, `['ignoredMounts', 0]`. */
  path: [Key] | ['mountOverrides', string, Key] | ['ignoredMounts', number];
}

/**
 * Every value in `settings` (own globals, per-disk overrides, ignored mounts) that would weaken
 * what the policy manages. A managed watchedMounts names disks that are always watched: ignoring
 * one of them is refused too.
 */
export function loosenings(settings: Settings, policy: PolicySnapshot): Loosening[] {
  const floors = floorsOf(policy);
  const found: Loosening[] = [];
  const check = (path: Loosening['path'], key: Key, value: number | null) => {
    const floor = floors[key];
    if (!floor || holds(key, value, floor.value)) return;
    found.push({ path, field: path.join('.'), message: describe(key, value, floor, policy.file) });
  };
  for (const key of Object.keys(floors) as Key[])
    if (!policy.locked.has(key)) check([key], key, settings[key]);
  // What the policy itself sets is the organisation's own choice, however loose.
  const own = <T>(key: keyof Settings, values: T[]): T[] => (policy.locked.has(key) ? [] : values);
  for (const [mount, override] of own('mountOverrides', Object.entries(settings.mountOverrides)))
    for (const [key, value] of Object.entries(override) as [Key, number | null][])
      if (value !== undefined) check(['mountOverrides', mount, key], key, value);
  if (policy.locked.has('watchedMounts')) {
    const watched = new Set(settings.watchedMounts.map(normaliseMountPath));
    own('ignoredMounts', settings.ignoredMounts).forEach((mount, i) => {
      if (watched.has(normaliseMountPath(mount)))
        found.push({
          path: ['ignoredMounts', i],
          field: `ignoredMounts.${i}`,
          message: `${mount} is always watched: watchedMounts is managed by your organisation (${policy.file}), so it cannot be ignored`,
        });
    });
  }
  return found;
}

function describe(key: Key, value: number | null, floor: Floor, file: string): string {
  const allowed = !isGiB(key)
    ? `${floor.value} or more`
    : floor.value === null
      ? 'off (null), as "or N GiB, whichever is smaller" would let a large disk pass the managed threshold'
      : `${floor.value} or more, or off`;
  return `${value === null ? 'off' : value} would loosen ${floor.by.join(' and ')}, managed by your organisation (${file}); here it may only be stricter: ${allowed}`;
}

/**
 * `settings` with every loosening value taken out: an override's key is dropped (the disk takes
 * the global value), an own global value gives way to its default, which always holds.
 */
export function withoutLoosenings(settings: Settings, found: Loosening[]): Settings {
  if (!found.length) return settings;
  const next: Settings = { ...settings, mountOverrides: { ...settings.mountOverrides } };
  const ignored = new Set<number>();
  for (const { path } of found) {
    if (path[0] === 'ignoredMounts') {
      ignored.add(path[1]);
      continue;
    }
    if (path.length === 1) {
      (next as Record<Key, number | null>)[path[0]] = DEFAULT_SETTINGS[path[0]];
      continue;
    }
    const [, mount, key] = path;
    const { [key]: _dropped, ...rest } = next.mountOverrides[mount]!;
    if (Object.keys(rest).length) next.mountOverrides[mount] = rest;
    else delete next.mountOverrides[mount];
  }
  next.ignoredMounts = settings.ignoredMounts.filter((_, i) => !ignored.has(i));
  return next;
}
