import { mkdirSync, chmodSync } from 'node:fs';
import { homedir } from './builtins.js';
import { join } from 'node:path';

export const APP_NAME = 'Headroom';

/**
 * Where settings, state and history live: `$HEADROOM_HOME`, else the folder Electron's
 * `app.getPath('userData')` gives the desktop app, so the CLI and the app share one directory.
 */
export function dataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.HEADROOM_HOME) return env.HEADROOM_HOME;
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
}

/** Creates the directory readable by its owner only: it holds integration secrets later on. */
export function ensureDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
  return dir;
}
