import { settingsSchema, type Settings } from '../../shared/settings.js';
import { JsonStore, type StoreWarning } from './json-store.js';

export class SettingsStore {
  private readonly store: JsonStore<typeof settingsSchema>;

  constructor(dir: string, onWarning?: (w: StoreWarning) => void) {
    this.store = new JsonStore(dir, 'settings', settingsSchema, onWarning);
  }

  get(): Settings {
    return this.store.get();
  }

  /** Validates the merged settings as a whole (critical < warning) before anything is written. */
  update(changes: Partial<Settings>): Settings {
    return this.store.set({ ...this.get(), ...changes });
  }
}
