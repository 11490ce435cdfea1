// `npm run dist`: installers through electron-builder (build/electron-builder.yml).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { electronBinary } from './electron-binary.mjs';

const electron = electronBinary();
if (!electron.path) {
  console.error(`headroom: cannot build installers here: ${electron.reason}`);
  process.exit(1);
}
// The app icons are drawn by the same code as the tray icon: no binary images in the repository.
const { appIconFiles } = await import('../dist/electron/main/app-icons.js');
mkdirSync('build/icons', { recursive: true });
for (const [name, data] of Object.entries(appIconFiles())) writeFileSync(`build/icons/${name}`, data);
const result = spawnSync(
  'npx',
  ['electron-builder', '--config', 'build/electron-builder.yml', ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
