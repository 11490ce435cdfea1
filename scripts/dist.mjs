// `npm run dist`: installers through electron-builder (build/electron-builder.yml).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { electronBinary } from './electron-binary.mjs';

const electron = electronBinary();
if (!electron.path) {
  console.error(`headroom: cannot build installers here: ${electron.reason}`);
  process.exit(1);
}
// The app icon is drawn by the same code as the tray icon: no binary images in the repository.
const { trayIconPng } = await import('../dist/electron/main/tray-icons.js');
mkdirSync('build/icons', { recursive: true });
for (const size of [16, 32, 64, 128, 256, 512])
  writeFileSync(`build/icons/${size}x${size}.png`, trayIconPng('ok', size));
const result = spawnSync(
  'npx',
  ['electron-builder', '--config', 'build/electron-builder.yml', ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
