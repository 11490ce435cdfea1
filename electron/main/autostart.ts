import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AppLike } from './surfaces.js';

/** The argument a login start passes: the app then starts in the tray, with no window. */
export const HIDDEN = '--hidden';

/**
 * "Launch at login". macOS and Windows have it in Electron (`app.setLoginItemSettings`); Linux
 * desktops read an XDG autostart entry, written here.
 */
export interface Autostart {
  get(): boolean | null;
  set(on: boolean): void;
}

export function linuxAutostart(executable: string, env: NodeJS.ProcessEnv = process.env): Autostart {
  const file = join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'autostart', 'headroom.desktop');
  return {
    get: () => existsSync(file),
    set(on) {
      if (!on) return rmSync(file, { force: true });
      mkdirSync(join(file, '..'), { recursive: true });
      const exec = /[\s"'\\]/.test(executable) ? `"${executable.replace(/(["\\$`])/g, '\\$1')}"` : executable;
      writeFileSync(
        file,
        `[Desktop Entry]\nType=Application\nName=Headroom\nComment=Warns before your disks fill up\nExec=${exec} ${HIDDEN}\nX-GNOME-Autostart-enabled=true\nTerminal=false\n`,
      );
    },
  };
}

/**
 * The OS's login items. Windows starts the program with the arguments of its Run entry, so the
 * entry carries `--hidden` (and is looked up with it: Electron compares them); macOS passes none,
 * and says instead whether this start was a login start (`wasOpenedAtLogin`, see startedAtLogin).
 */
export function loginItems(app: AppLike, platform: NodeJS.Platform): Autostart {
  const args = platform === 'win32' ? [HIDDEN] : undefined;
  // An entry an earlier Headroom made without the argument opened the window at every login.
  if (args && !app.getLoginItemSettings({ args }).openAtLogin && app.getLoginItemSettings().openAtLogin)
    app.setLoginItemSettings({ openAtLogin: true, args });
  return {
    get: () => app.getLoginItemSettings(args && { args }).openAtLogin,
    set: (openAtLogin) => app.setLoginItemSettings(args ? { openAtLogin, args } : { openAtLogin }),
  };
}

/** Started at login (or asked to start hidden): the tray only, no window. */
export function startedAtLogin(argv: readonly string[], platform: NodeJS.Platform, app: AppLike): boolean {
  if (argv.includes(HIDDEN)) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
}
