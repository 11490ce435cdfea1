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
  const missing = full ? `${full} is missing` : `${pathFile} is missing`;
  return { reason: `the Electron binary is not installed (${missing}; npm ci may skip its download)` };
}

/** Tries electron's own installer once (it needs the internet); returns the binary or why not. */
export function installElectron() {
  const result = spawnSync(process.execPath, [join(electronDir(), 'install.js')], {
    stdio: 'inherit',
    timeout: 300_000,
  });
  const found = electronBinary();
  if (found.path || result.status === 0) return found;
  return { reason: `${found.reason}; downloading it failed (no internet here?)` };
}
