// Where the Electron binary is, or why it is not there. Requiring `electron` itself would start a
// download when the binary is missing, so this reads what its index.js reads, without side effects.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const electronDir = () => dirname(createRequire(import.meta.url).resolve('electron/package.json'));

export function electronBinary() {
  let dir;
  try {
    dir = electronDir();
  } catch {
    return { reason: 'the electron package is not installed (run npm ci)' };
  }
  const pathFile = join(dir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : undefined;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist');
  const full = name ? join(distDir, name) : undefined;
  if (full && existsSync(full)) return { path: full };
  return {
    reason: `the Electron binary is not installed (npm ci skips its download; npm start -- --install-electron fetches it)`,
  };
}

/**
 * Runs electron's own installer once, when the user asked for it (it needs the internet); returns
 * the binary, or why not in one line: the installer's stack trace (`TypeError: fetch failed` and
 * its frames) is kept out of the terminal.
 */
export function installElectron() {
  const result = spawnSync(process.execPath, [join(electronDir(), 'install.js')], {
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: 300_000,
  });
  const found = electronBinary();
  if (found.path) return found;
  const said = (result.stderr ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /error|fail/i.test(l) && !l.startsWith('at '));
  return {
    reason: `downloading Electron failed${said ? ` (${said.slice(0, 160)})` : ''}; is this machine offline?`,
  };
}
