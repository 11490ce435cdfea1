import { settingsSchema, type Settings } from '../../shared/settings.js';
import { fileVersion } from './fs/file-version.js';
import { JsonStore, type StoreWarning } from './json-store.js';

export class SettingsStore {
  private readonly store: JsonStore<typeof settingsSchema>;

  constructor(dir: string, onWarning?: (w: StoreWarning) => void) {
    this.store = new JsonStore(dir, 'settings', settingsSchema, onWarning);
    this.version = this.store.readable ? fileVersion(this.store.file) : 'unread';
  }

  private version: string;

  /**
   * The settings as the file holds them now: `headroom settings set` beside the running app or
   * watcher takes effect at the next sample, without a restart.
   */
  get(): Settings {
    const version = fileVersion(this.store.file);
    if (version === this.version) return this.store.get();
    const settings = this.store.reload();
    // Unread (out of open files, say): read again next time rather than keep the defaults.
    if (this.store.readable) this.version = version;
    return settings;
  }

  /** Validates the merged settings as a whole (critical < warning) before anything is written. */
  update(changes: Partial<Settings>): Settings {
    return this.store.update((current) => ({ ...current, ...changes }));
  }
}
