import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

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
        `[Desktop Entry]\nType=Application\nName=Headroom\nComment=Warns before your disks fill up\nExec=${exec} --hidden\nX-GNOME-Autostart-enabled=true\nTerminal=false\n`,
      );
    },
  };
}
