import type { Unreadable, UsageDir } from '../usage.js';
import type { UsageNote } from '../usage-note.js';
import type { Field } from '../channels/channel.js';
import type { MountState } from '../disk.js';
import type { Forecast } from '../forecast.js';
import type { Thresholds } from '../hysteresis.js';
import type { IntegrationBase } from '../integration.js';
import type { Settings } from '../settings.js';

// What the window and the web UI are shown: the outputs of the contract's requests (contract.ts).

export interface DiskView {
  mount: string;
  fs: string;
  type: string;
  size: number | null;
  used: number | null;
  available: number | null;
  freePercent: number | null;
  /** Epoch ms of the reading these figures come from: the chart's line ends there, at the card's figure. */
  at: number;
  state: MountState;
  /** Mounted read-only (a disk the user named): it cannot fill, views say so instead of a level. */
  readOnly?: boolean;
  /** Epoch ms the disk entered its state. */
  since: number;
  reason?: string;
  /**
   * Where this disk turns warning and critical and clears (overrides and "or N GiB" applied): the
   * marks views draw, and the figures no percentage they show may round across.
   */
  thresholds: Thresholds;
  /** The inode alert, where the filesystem has an inode count. */
  inodes: {
    total: number;
    free: number;
    freePercent: number;
    state: MountState;
    thresholds: Thresholds;
  } | null;
  /** This disk's alerts are snoozed until then (null: not snoozed on its own). */
  snoozedUntil: number | null;
  forecast: Forecast;
}

/** An integration as forms and lists see it: its schema's fields, its secrets withheld. */
export interface IntegrationView extends IntegrationBase {
  /** Settings that are not secret, as saved (URLs without credentials). */
  config: Record<string, unknown>;
  /** Which secret fields hold a value: the values themselves never leave the main process. */
  secretsSet: string[];
  /** What a set secret may show of itself: the names of extra headers ("X-Team: ••••••"). */
  secretHints: Record<string, string[]>;
  /** Defined by the organisation's policy file: shown locked, changed only there. */
  managed: boolean;
}

/** Settings the organisation's policy file manages: shown locked ("managed by your organisation"). */
export interface ManagedSettings {
  file: string;
  keys: string[];
}

/** The settings as shown: secrets masked, managed ones named. */
export interface SettingsView {
  settings: Settings;
  launchAtLogin: boolean | null;
  managed: ManagedSettings | null;
}

export interface ChannelView {
  type: string;
  label: string;
  aliases: readonly string[];
  fields: readonly Field[];
  canValidate: boolean;
}

export interface CheckView {
  /** Nothing wrong was found (true also when nothing could be checked: see `level`). */
  ok: boolean;
  /** False when there was nothing the receiver could be asked without an alert. */
  checked: boolean;
  /** Checked and fine, checked and wrong, or nothing checkable: shown as three different things. */
  level: 'ok' | 'failed' | 'unchecked';
  message: string;
  status?: number;
  latencyMs?: number;
}

export interface AppInfo {
  version: string;
  host: string;
  dataDir: string;
  /** Where secrets are kept, in words, and whether that is a real keychain. */
  secrets: { protected: boolean; description: string };
  pausedUntil: number | null;
  launchAtLogin: boolean | null;
  /** 'electron' in the app, 'web' for the headless web UI. */
  shell: 'electron' | 'web';
}

/**
 * The user's Trash on a disk (freedesktop layout): what emptying it would give back, and the
 * folders that hold what was thrown away (the first is what "Open Trash" opens).
 */
export interface TrashView {
  size: number;
  folders: string[];
}

/** A disk's usage as the window shows it: the tree (4 levels, 12 a level) and what grew. */
export interface UsageView {
  mount: string;
  size: number;
  files: number;
  dirs: number;
  seconds: number;
  tree: UsageDir;
  unreadableCount: number;
  unreadable: Unreadable[];
  /** What grew since the previous snapshot (or, on a first scan, where the space is). */
  note: UsageNote | null;
  /** The user's Trash on this disk; null when there is none. */
  trash: TrashView | null;
}
